"""Mask personal data in every log line: phone numbers shortened to 138****5678.

A filter on the handlers (web, worker, scheduler, gunicorn's error and access logs) rewrites
each record once it is formatted, so a number in a URL, an exception or a message never
reaches a log file whole. SMS texts are not logged at all (see notifications.senders).
"""

from __future__ import annotations

import logging
import re
from typing import Any

# Mainland mobiles with or without +86/0086/86 (also URL-encoded +), and landlines with an
# area code; not ticket numbers (20261126-000001) or other long digit runs.
_PHONE = re.compile(
    r"(?<![\dA-Za-z])((?:\+|%2[Bb]|00)?86[\s-]?)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)"
    r"|(?<![\d-])(0\d{2,3})(-?)(\d{3,4})(\d{4})(?![\d-])"
)


def mask_text(text: str) -> str:
    """Return ``text`` with every phone number masked."""

    def repl(m: re.Match[str]) -> str:
        if m.group(2):
            return f"{m.group(1) or ''}{m.group(2)}****{m.group(4)}"
        return f"{m.group(5)}{m.group(6)}****{m.group(8)}"

    return _PHONE.sub(repl, text)


class MaskingFilter(logging.Filter):
    """Rewrite a record's message (and exception text) with phone numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


MASK = MaskingFilter()


def install(*loggers: logging.Logger) -> None:
    """Put the masking filter on every handler of the root logger and of ``loggers``."""
    handlers = [logging.lastResort] if logging.lastResort else []
    for logger in (logging.getLogger(), *loggers):
        handlers += logger.handlers
    for handler in handlers:
        if MASK not in handler.filters:
            handler.addFilter(MASK)


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is optional outside production
    _GunicornLogger = object  # type: ignore[assignment,misc]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger with masked error and access logs (``--logger-class``)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        install(self.error_log, self.access_log)
