"""Translations (zh_CN first, English by a remembered switch) and local-time Jinja filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, current_app, redirect, request
from flask_babel import Babel, get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context

from hotline.core.timeutil import to_local, utcnow

LOCALES = ("zh_CN", "en")
COOKIE = "hotline_lang"
babel = Babel()
bp = Blueprint("web_i18n", __name__)


def select_locale() -> str:
    """Use the language the visitor chose (cookie); otherwise Chinese."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in LOCALES else "zh_CN"


def localtime(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Format a stored naive-UTC time in the city's time zone."""
    local = to_local(value, current_app.config["HOTLINE"].timezone)
    return local.strftime(fmt) if local else ""


def isotime(value: datetime | None) -> str:
    """Return the ISO 8601 instant with offset, for the countdown script."""
    local = to_local(value, current_app.config["HOTLINE"].timezone)
    return local.isoformat(timespec="seconds") if local else ""


@bp.get("/lang/<code>")
def switch(code: str):
    """Remember the chosen language for a year and go back where the visitor was."""
    from hotline.web.auth import _safe_next

    target = _safe_next(request.args.get("next")) or "/"
    response = redirect(target)
    if code in LOCALES:
        response.set_cookie(
            COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["HOTLINE"].https,
        )
    return response


# Translations by language, looked up once: the catalogues change only on a restart.
# Flask-Babel finds the request's catalogue again for every call, and translates a lazy
# string anew each time it is written; a busy page writes the same words on every row.
_TRANSLATED: dict[tuple[str, str], str] = {}
_TABLES: dict[tuple[str, str], dict[str, str]] = {}


def _translated(locale: str, message: str) -> str:
    """Return ``message`` in ``locale`` (the request's language), looked up once."""
    key = (locale, message)
    text = _TRANSLATED.get(key)
    if text is None:
        text = _TRANSLATED[key] = get_translations().ugettext(message)
    return text


def translated_table(locale: str, name: str, table: Mapping[str, Any]) -> dict[str, str]:
    """Return the vocabulary ``table`` (code → lazy words) named ``name`` as plain strings in
    ``locale`` (the request's language), worked out once."""
    key = (locale, name)
    words = _TABLES.get(key)
    if words is None:
        words = _TABLES[key] = {code: str(value) for code, value in table.items()}
    return words


@pass_context
def _template_gettext(context: Context, message: str) -> str:
    """Translate a template's message in the page's language (the context processor's, under
    force_locale too; a template rendered without it asks)."""
    return _translated(context.get("current_locale") or str(get_locale()), message)


def remembered(message: str, **variables: object) -> str:
    """Translate ``message`` as gettext does, looked up once per language: for words a page
    writes on every row (durations, badges)."""
    text = _translated(str(get_locale()), message)
    return text % variables if variables else text


def word_filter(name: str, table: Mapping[str, Any]) -> Callable[..., str]:
    """Return the Jinja filter giving a code's words from ``table`` in the page's language
    (the code itself where the table has none)."""

    @pass_context
    def word(context: Context, code: str | None) -> str:
        if not code:
            return ""
        locale = context.get("current_locale") or str(get_locale())
        return translated_table(locale, name, table).get(code, code)

    return word


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and register the filters and the switch."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: None)
    # After Flask-Babel installed its own: the same catalogues, remembered. (The method is
    # the i18n extension's, which Flask-Babel added to the environment.)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["isotime"] = isotime
    app.register_blueprint(bp)

    @app.context_processor
    def _globals() -> dict[str, object]:
        locale = str(get_locale() or "zh_CN")
        settings = app.config["HOTLINE"]
        return {
            "current_locale": locale,
            "html_lang": "zh-CN" if locale.startswith("zh") else "en",
            "now_utc": utcnow,
            # The city's name in the page's language (settings, not the templates, know it).
            "city_name": settings.city_name if locale.startswith("zh") else settings.city_name_en,
        }
