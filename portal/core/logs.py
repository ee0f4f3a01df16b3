"""Log lines that a visitor cannot forge.

Values people type (an e-mail address, a path, a company name) end up in log messages.
A carriage return or line feed in one would start a new line that looks like the
portal's own ("... INFO portal.auth: user 1 (admin) created by cli"), and an escape
sequence could rewrite a terminal. `EscapeControlCharacters` renders each such character
visibly (`\\r`, `\\n`, `\\x1b`) in the finished message, so every record stays one line
whatever its arguments held. Tracebacks are formatted apart from the message and keep
their lines.
"""

from __future__ import annotations

import logging

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
_CONTROL = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
_ESCAPES = {code: repr(chr(code))[1:-1] if code < 0x100 else f"\\u{code:04x}" for code in _CONTROL}


def escape_control_characters(text: str) -> str:
    """`text` with every control character written as its escape, e.g. "\\r\\n" for CR LF."""
    return text.translate(_ESCAPES)


class EscapeControlCharacters(logging.Filter):
    """A handler filter: the record's rendered message, control characters escaped."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_control_characters(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True


def escape_every_handler(logger: logging.Logger) -> None:
    """Install the filter on each of `logger`'s handlers (once each): handler filters see
    every record the handler writes, also those logged on child loggers and propagated."""
    for handler in logger.handlers:
        if not any(isinstance(existing, EscapeControlCharacters) for existing in handler.filters):
            handler.addFilter(EscapeControlCharacters())
