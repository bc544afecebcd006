"""Read every environment variable the hotline uses, with typed parsing and clear errors."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

REPO_ROOT = Path(__file__).resolve().parents[2]
# The default city (Chengdu): its time zone, name and public contact; each has a variable.
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_CITY_NAME = "成都"
DEFAULT_CITY_NAME_EN = "Chengdu"
DEFAULT_CONTACT_EMAIL = "12345@chengdu.gov.cn"


class ConfigError(RuntimeError):
    """An environment variable holds a value the hotline cannot use."""


def _env(environ: dict[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def _int(environ: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = _env(environ, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def _float(environ: dict[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = _env(environ, name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a number") from None
    if not value >= minimum:
        raise ConfigError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def _share(environ: dict[str, str], name: str, default: float) -> float:
    value = _float(environ, name, default)
    if value > 1:
        raise ConfigError(f"{name}={value!r}: must be at most 1 (a rate)")
    return value


def _bool(environ: dict[str, str], name: str, default: bool = False) -> bool:
    raw = _env(environ, name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r}: expected true or false")


def _timezone(environ: dict[str, str]) -> str:
    name = _env(environ, "HOTLINE_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"HOTLINE_TIMEZONE={name!r}: not a known IANA time zone") from None
    return name


def _database_url(environ: dict[str, str], instance: Path) -> str:
    url = _env(environ, "HOTLINE_DATABASE_URL")
    if url is None:
        return f"sqlite:///{instance / 'hotline.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship.
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError(f"HOTLINE_DATABASE_URL={url!r}: use sqlite:///… or postgresql://…")
    return url


def _replica_url(environ: dict[str, str], primary: str) -> str | None:
    url = _env(environ, "HOTLINE_DATABASE_REPLICA_URL")
    if url is None:
        return None
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("postgresql+psycopg://"):
        raise ConfigError(
            # The scheme only: the URL may hold a password.
            f"HOTLINE_DATABASE_REPLICA_URL={url.split(':', 1)[0]}:…: a read replica is a"
            " PostgreSQL standby: use postgresql://…"
        )
    if not primary.startswith("postgresql"):
        raise ConfigError(
            "HOTLINE_DATABASE_REPLICA_URL is set but HOTLINE_DATABASE_URL is not PostgreSQL:"
            " a streaming replica needs a PostgreSQL primary"
        )
    return url


def _secret_key(environ: dict[str, str], instance: Path) -> str:
    key = _env(environ, "HOTLINE_SECRET_KEY")
    if key:
        return key
    # Keep a generated key in the instance folder so sessions survive a restart.
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key)
    return key


def _office_hours(environ: dict[str, str]) -> tuple[int, int]:
    raw = _env(environ, "HOTLINE_OFFICE_HOURS") or "08:30-21:00"
    try:
        start, end = (int(h) * 60 + int(m) for h, m in (p.split(":") for p in raw.split("-")))
    except ValueError:
        raise ConfigError(f"HOTLINE_OFFICE_HOURS={raw!r}: expected HH:MM-HH:MM") from None
    if not 0 <= start < end <= 24 * 60:
        raise ConfigError(f"HOTLINE_OFFICE_HOURS={raw!r}: start must come before end")
    return start, end


def _reply_review(environ: dict[str, str]) -> str | None:
    raw = _env(environ, "HOTLINE_REPLY_REVIEW")
    if raw is not None and raw not in ("all", "sample", "none"):
        raise ConfigError(f"HOTLINE_REPLY_REVIEW={raw!r}: expected all, sample or none")
    return raw


def compact_json(value: object) -> str:
    """Serialise JSON columns as UTF-8 without spaces: 汉字 take 3 bytes, not a 6-byte \\u escape."""
    try:  # orjson: the same text, datetimes as ISO 8601, several times faster (intake's rows)
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # what orjson refuses (a 65-bit integer…): the standard library decides
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _https_url(environ: dict[str, str], name: str) -> str | None:
    url = _env(environ, name)
    if url is not None and not url.startswith(("https://", "http://")):
        raise ConfigError(f"{name}={url!r}: expected an https:// URL")
    return url


def _file(environ: dict[str, str], name: str) -> str | None:
    path = _env(environ, name)
    if path is not None and not Path(path).is_file():
        raise ConfigError(f"{name}={path!r}: no such file")
    return path


@dataclass(frozen=True)
class Settings:
    """Typed settings, one field per environment variable."""

    instance_path: Path
    database_url: str
    redis_url: str | None
    port: int
    secret_key: str
    city: str
    timezone: str
    public_url: str | None
    rules_dir: Path
    sweep_interval: int
    followup_days: int
    sms_merge_hours: int
    calendar_overrides: Path | None
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_from_number: str | None
    twilio_operator_number: str | None
    twilio_api_base: str | None
    twilio_dev_mode: bool
    # The jurisdiction_id Open311 clients may send (empty or this value; others get 404).
    open311_jurisdiction: str = "5101"
    # Hours (local time, "HH:MM-HH:MM") when calls may be put through to an operator.
    office_hours: tuple[int, int] = (8 * 60 + 30, 21 * 60)
    twilio_timeout: int = 10
    # Public requests (intake, tracking, sign-in) per client address per minute; 0: no limit.
    rate_limit: int = 30
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    proxy_hops: int = 0
    # Reply review (办结审核): all | sample | none for every type, overriding review.yaml.
    reply_review: str | None = None
    # The reply review policy per type (default hotline/calendar/review.yaml).
    review_policy: Path | None = None
    # Approved returns/transfers of one ticket before the next request goes to the city.
    bounce_limit: int = 3
    # Pauses (挂起): the longest one in calendar days and how many one ticket may have.
    pause_max_days: int = 60
    pause_max_count: int = 2
    # Seconds the rate figures (daily aggregates) may lag behind the tickets; 0: always exact.
    stats_max_age: int = 60
    # A web process wakes the outbox drain at most once per so many milliseconds (a burst's
    # last message waits at most that long); 0: after every message.
    outbox_wake_ms: int = 200
    # Attachments (hotline.attachments): the size of one file, how many per upload, where
    # they are kept (a folder, or an S3-compatible bucket when a bucket is named).
    upload_max_bytes: int = 10 * 1024 * 1024
    upload_max_files: int = 5
    attachments_dir: Path | None = None
    s3_bucket: str | None = None
    s3_endpoint: str | None = None
    s3_region: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    # Fetch Open311 media_url photos from private addresses too (local trials and tests only).
    media_fetch_private: bool = False
    # The 110 platform: where emergency records and outcomes are pushed, and how.
    interop_110_push_url: str | None = None
    interop_110_push_key: str | None = None
    interop_110_push_cert: str | None = None
    interop_110_push_ca: str | None = None
    interop_110_timeout: int = 10
    # Where an emergency call is put through (Twilio <Dial>); unset: the caller is told to dial.
    interop_110_transfer_number: str | None = None
    # The assessment (考核) scheme: weights, deductions, minimum tickets to be ranked.
    assessment_file: Path | None = None
    # A CJK TrueType font for the PDF reports (default: the first one found on the system).
    report_font: str | None = None
    # Early warnings (未诉先办): a surge is at least factor × the same hour's usual count over
    # the last weeks, and at least minimum tickets of one matter in one street in the window.
    surge_window_minutes: int = 60
    surge_weeks: int = 4
    surge_factor: float = 3.0
    surge_minimum: int = 8
    surge_cooldown_hours: int = 6
    # The city's name as residents read it (pages, voice, Open311), zh and en, and its mailbox.
    city_name: str = DEFAULT_CITY_NAME
    city_name_en: str = DEFAULT_CITY_NAME_EN
    contact_email: str = DEFAULT_CONTACT_EMAIL
    # Auto-dispatch: the first-time-right rate a rule must keep over its latest dispatches.
    autodispatch_threshold: float = 0.98
    autodispatch_min: int = 200
    # The decision's confidence below which even an enabled rule leaves the ticket to operators.
    autodispatch_confidence: float = 0.5
    # Largest request bodies, in bytes: API and Open311 JSON, Twilio webhooks, forms, uploads.
    max_api_bytes: int = 64 * 1024
    # Twilio posts long texts URL-encoded (9 bytes per Chinese character).
    max_webhook_bytes: int = 256 * 1024
    max_form_bytes: int = 256 * 1024
    max_upload_bytes: int = 10 * 1024 * 1024
    # Minutes without a request after which a staff session ends.
    session_idle_minutes: int = 60
    # Staff sign-ins per client address per minute (its own budget); 0: no limit.
    login_rate_limit: int = 120
    # Failed sign-ins in a row that lock an account, and for how long.
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    # Messages one resident phone may receive per hour / per day, whatever asked for them.
    sms_per_phone_hour: int = 5
    sms_per_phone_day: int = 20
    # A PostgreSQL streaming replica for reports, search and exports (hotline.core.replica):
    # its URL, the lag beyond which reads go back to the primary, how long a dead replica is
    # left alone before it is tried again, and how long connecting to it may take.
    replica_url: str | None = None
    replica_max_lag: float = 30.0
    replica_retry: int = 10
    replica_connect_timeout: int = 2

    @property
    def https(self) -> bool:
        """Tell whether residents reach the hotline over HTTPS (Secure cookies, HSTS)."""
        return bool(self.public_url and self.public_url.startswith("https://"))

    def flask_config(self) -> dict[str, object]:
        """Return the Flask config keys derived from these settings."""
        # Idle PostgreSQL connections are pinged before reuse by core.extensions (not on every
        # checkout, as pool_pre_ping would).
        engine_options: dict[str, object] = {}
        if self.database_url.startswith("sqlite"):
            engine_options = {"connect_args": {"timeout": 30}}
        engine_options["json_serializer"] = compact_json
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "HOTLINE": self,
            "BABEL_DEFAULT_LOCALE": "zh_CN",
            "BABEL_DEFAULT_TIMEZONE": self.timezone,
            # Sessions are re-signed on every request and refused once older than this.
            "PERMANENT_SESSION_LIFETIME": timedelta(minutes=self.session_idle_minutes),
            "SESSION_REFRESH_EACH_REQUEST": True,
            # The ceiling; hotline.api.limits lowers it per route.
            "MAX_CONTENT_LENGTH": max(
                self.max_api_bytes,
                self.max_webhook_bytes,
                self.max_form_bytes,
                self.max_upload_bytes,
            ),
        }


def load_settings(
    environ: dict[str, str] | None = None, instance_path: Path | None = None
) -> Settings:
    """Build the settings from the environment, raising ConfigError on a bad value."""
    env = dict(os.environ if environ is None else environ)
    instance = Path(_env(env, "HOTLINE_INSTANCE_PATH") or instance_path or REPO_ROOT / "instance")
    city = _env(env, "HOTLINE_CITY") or "5101"
    if not (city.isdigit() and len(city) == 4):
        raise ConfigError(f"HOTLINE_CITY={city!r}: expected a 4-digit city code such as 5101")
    overrides = _env(env, "HOTLINE_CALENDAR_OVERRIDES")
    database_url = _database_url(env, instance)
    return Settings(
        instance_path=instance,
        database_url=database_url,
        redis_url=_env(env, "REDIS_URL"),
        port=_int(env, "HOTLINE_PORT", 5000, minimum=1),
        secret_key=_secret_key(env, instance),
        city=city,
        timezone=_timezone(env),
        public_url=(_env(env, "HOTLINE_PUBLIC_URL") or "").rstrip("/") or None,
        rules_dir=Path(_env(env, "HOTLINE_RULES_DIR") or REPO_ROOT / "routing_rules"),
        sweep_interval=_int(env, "HOTLINE_SWEEP_INTERVAL", 30, minimum=1),
        followup_days=_int(env, "HOTLINE_FOLLOWUP_DAYS", 3, minimum=1),
        sms_merge_hours=_int(env, "HOTLINE_SMS_MERGE_HOURS", 24, minimum=0),
        calendar_overrides=Path(overrides) if overrides else None,
        twilio_account_sid=_env(env, "TWILIO_ACCOUNT_SID"),
        twilio_auth_token=_env(env, "TWILIO_AUTH_TOKEN"),
        twilio_from_number=_env(env, "TWILIO_FROM_NUMBER"),
        twilio_operator_number=_env(env, "TWILIO_OPERATOR_NUMBER"),
        twilio_api_base=_env(env, "TWILIO_API_BASE"),
        twilio_dev_mode=_bool(env, "HOTLINE_TWILIO_DEV_MODE"),
        open311_jurisdiction=_env(env, "HOTLINE_OPEN311_JURISDICTION") or city,
        office_hours=_office_hours(env),
        twilio_timeout=_int(env, "TWILIO_HTTP_TIMEOUT", 10, minimum=1),
        rate_limit=_int(env, "HOTLINE_RATE_LIMIT", 30),
        proxy_hops=_int(env, "HOTLINE_PROXY_HOPS", 0),
        reply_review=_reply_review(env),
        review_policy=Path(p) if (p := _env(env, "HOTLINE_REVIEW_POLICY")) else None,
        bounce_limit=_int(env, "HOTLINE_BOUNCE_LIMIT", 3, minimum=1),
        pause_max_days=_int(env, "HOTLINE_PAUSE_MAX_DAYS", 60, minimum=1),
        pause_max_count=_int(env, "HOTLINE_PAUSE_MAX_COUNT", 2, minimum=1),
        stats_max_age=_int(env, "HOTLINE_STATS_MAX_AGE", 60),
        outbox_wake_ms=_int(env, "HOTLINE_OUTBOX_WAKE_MS", 200),
        upload_max_bytes=_int(env, "HOTLINE_UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024,
        upload_max_files=_int(env, "HOTLINE_UPLOAD_MAX_FILES", 5, minimum=1),
        attachments_dir=Path(_env(env, "HOTLINE_ATTACHMENTS_DIR") or instance / "attachments"),
        s3_bucket=_env(env, "HOTLINE_S3_BUCKET"),
        s3_endpoint=_env(env, "HOTLINE_S3_ENDPOINT"),
        s3_region=_env(env, "HOTLINE_S3_REGION"),
        s3_access_key=_env(env, "HOTLINE_S3_ACCESS_KEY"),
        s3_secret_key=_env(env, "HOTLINE_S3_SECRET_KEY"),
        media_fetch_private=_bool(env, "HOTLINE_MEDIA_FETCH_PRIVATE"),
        interop_110_push_url=_https_url(env, "HOTLINE_110_PUSH_URL"),
        interop_110_push_key=_env(env, "HOTLINE_110_PUSH_KEY"),
        interop_110_push_cert=_file(env, "HOTLINE_110_PUSH_CERT"),
        interop_110_push_ca=_file(env, "HOTLINE_110_PUSH_CA"),
        interop_110_timeout=_int(env, "HOTLINE_110_TIMEOUT", 10, minimum=1),
        interop_110_transfer_number=_env(env, "HOTLINE_110_TRANSFER_NUMBER"),
        assessment_file=Path(p) if (p := _file(env, "HOTLINE_ASSESSMENT_FILE")) else None,
        report_font=_file(env, "HOTLINE_REPORT_FONT"),
        surge_window_minutes=_int(env, "HOTLINE_SURGE_WINDOW_MINUTES", 60, minimum=5),
        surge_weeks=_int(env, "HOTLINE_SURGE_WEEKS", 4, minimum=1),
        surge_factor=_float(env, "HOTLINE_SURGE_FACTOR", 3.0, minimum=1.0),
        surge_minimum=_int(env, "HOTLINE_SURGE_MINIMUM", 8, minimum=1),
        surge_cooldown_hours=_int(env, "HOTLINE_SURGE_COOLDOWN_HOURS", 6, minimum=1),
        city_name=_env(env, "HOTLINE_CITY_NAME") or DEFAULT_CITY_NAME,
        city_name_en=_env(env, "HOTLINE_CITY_NAME_EN") or DEFAULT_CITY_NAME_EN,
        contact_email=_env(env, "HOTLINE_CONTACT_EMAIL") or DEFAULT_CONTACT_EMAIL,
        autodispatch_threshold=_share(env, "HOTLINE_AUTODISPATCH_THRESHOLD", 0.98),
        autodispatch_min=_int(env, "HOTLINE_AUTODISPATCH_MIN", 200, minimum=1),
        autodispatch_confidence=_float(env, "HOTLINE_AUTODISPATCH_CONFIDENCE", 0.5),
        max_api_bytes=_int(env, "HOTLINE_MAX_API_BYTES", 64 * 1024, minimum=1024),
        max_webhook_bytes=_int(env, "HOTLINE_MAX_WEBHOOK_BYTES", 256 * 1024, minimum=1024),
        max_form_bytes=_int(env, "HOTLINE_MAX_FORM_BYTES", 256 * 1024, minimum=1024),
        max_upload_bytes=_int(env, "HOTLINE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024),
        session_idle_minutes=_int(env, "HOTLINE_SESSION_IDLE_MINUTES", 60, minimum=1),
        login_rate_limit=_int(env, "HOTLINE_LOGIN_RATE_LIMIT", 120),
        login_max_failures=_int(env, "HOTLINE_LOGIN_MAX_FAILURES", 5),
        login_lockout_minutes=_int(env, "HOTLINE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1),
        sms_per_phone_hour=_int(env, "HOTLINE_SMS_PER_PHONE_HOUR", 5),
        sms_per_phone_day=_int(env, "HOTLINE_SMS_PER_PHONE_DAY", 20),
        replica_url=_replica_url(env, database_url),
        replica_max_lag=_float(env, "HOTLINE_REPLICA_MAX_LAG", 30.0),
        replica_retry=_int(env, "HOTLINE_REPLICA_RETRY", 10, minimum=1),
        replica_connect_timeout=_int(env, "HOTLINE_REPLICA_CONNECT_TIMEOUT", 2, minimum=1),
    )
