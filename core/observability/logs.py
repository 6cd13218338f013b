"""One logging setup for every process: JSON lines (production) or plain text, at
`SHOPBOT_LOG_LEVEL`, each line carrying the request, tenant and bot ids when known.

Messages and tracebacks pass through the same scrubber as error reports: a secret that
reaches an exception message or a log argument is replaced before it is written. Before
that, `PersonalDataFilter` masks e-mail addresses, phone numbers and card numbers
(core.privacy.masking, always, whatever a bot's setting) in the message, the traceback and
string `extra=` fields, so a logged chat text or exception message keeps none of them.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Literal

from core.errors import ConfigurationError
from core.observability.context import current_context
from core.observability.scrub import scrub_text, scrub_value
from core.privacy.masking import mask_personal_data

LogFormat = Literal["json", "text"]

# Attributes every LogRecord has; anything else on a record came from `extra=`.
# (uvicorn adds `color_message`, a copy of the message with terminal colours.)
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}
_CONTEXT_FIELDS = ("request_id", "tenant_id", "bot_id")


class ContextFilter(logging.Filter):
    """Copies the current request context onto the record (for both formats)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current_context()
        fields = context.as_fields() if context is not None else {}
        for name in _CONTEXT_FIELDS:
            if not hasattr(record, name):
                setattr(record, name, fields.get(name))
        return True


class PersonalDataFilter(logging.Filter):
    """Masks personal data in the record itself (so every handler after it sees the masked
    text): the rendered message, the traceback's text and string `extra=` fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and isinstance(value, str):
                setattr(record, name, mask_personal_data(value))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub_text(record.getMessage()),
            # `shopbot serve --workers N` writes N processes' lines to one stream.
            "pid": record.process,
        }
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and value is not None and not name.startswith("_"):
                line[name] = scrub_value(value, personal_keys=False)
        if record.exc_info:
            # The filter's masked text when it ran (the formatter alone renders it itself).
            exception = record.exc_text or self.formatException(record.exc_info)
            line["exception"] = scrub_text(exception)
        if record.stack_info:
            line["stack"] = scrub_text(self.formatStack(record.stack_info))
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = scrub_text(super().format(record))
        ids = " ".join(
            f"{name}={getattr(record, name)}"
            for name in _CONTEXT_FIELDS
            if getattr(record, name, None)
        )
        return f"{text} [{ids}]" if ids else text


def configure_logging(
    level: str | int, log_format: LogFormat, stream: IO[str] | None = None
) -> logging.Handler:
    """Route the root logger to one handler in the chosen format, replacing the one this
    function installed before (other handlers, e.g. a test runner's, are left alone)."""
    root = logging.getLogger()
    number = _level_number(level)
    for handler in list(root.handlers):
        if getattr(handler, "_shopbot", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._shopbot = True  # type: ignore[attr-defined]
    handler.addFilter(ContextFilter())
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root.setLevel(number)
    root.addHandler(handler)
    for name in QUIET_BELOW_DEBUG:
        logging.getLogger(name).setLevel(number if number <= logging.DEBUG else logging.WARNING)
    return handler


# The HTTP clients' line per request at INFO ("HTTP Request: POST .../v1/chat/completions
# 200"): two per answer (the embedding, the model), 6,355 of an API's 10,202 lines in one
# bench.load run, saying nothing a failure's own warning does not. Shown again at DEBUG.
QUIET_BELOW_DEBUG = ("httpx", "httpx2")


_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _level_number(level: str | int) -> int:
    if isinstance(level, int):
        return level
    if level.strip().upper() not in _LEVELS:
        raise ConfigurationError(
            f"SHOPBOT_LOG_LEVEL must be one of {', '.join(_LEVELS)} (got {level!r})"
        )
    return logging.getLevelNamesMapping()[level.strip().upper()]
