"""Which query and form parameters a view reads, found by asking it, and the odd values sent to them."""

from __future__ import annotations

import contextlib

from django.core.handlers import wsgi
from django.http import QueryDict
from django.http import request as http_request

# Digits that str.isdigit() accepts and int() refuses (superscripts, a circled one), and decimal
# digits of other scripts that int() reads as numbers (Arabic-Indic, full-width, Bengali, bold maths).
UNICODE_DIGITS = ["²", "¹²", "①", "٣", "３", "𝟙", "7²"]
# NUL, other C0 controls, DEL, a C1 control, the bidirectional and zero-width format characters.
CONTROLS = ["\x00", "a\x00b", "\x01\x1b[2J", "\x7f\x85", "\u202e\u200b", "\ufeff", "\r\n\t"]
ODD_VALUES = UNICODE_DIGITS + CONTROLS


class ReadLog(QueryDict):
    """A QueryDict that notes the name of every parameter read from it."""

    names: set[str] = set()

    def __getitem__(self, key):
        ReadLog.names.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        ReadLog.names.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        ReadLog.names.add(key)
        return super().__contains__(key)


@contextlib.contextmanager
def reads_noted():
    """Within: request.GET and request.POST note the parameters the view reads (ReadLog.names)."""
    saved = wsgi.QueryDict, http_request.QueryDict
    wsgi.QueryDict = http_request.QueryDict = ReadLog
    ReadLog.names = set()
    try:
        yield ReadLog.names
    finally:
        wsgi.QueryDict, http_request.QueryDict = saved
