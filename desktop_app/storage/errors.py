"""The one error type for case files that cannot be read or written, and the one formatter of
error text shown to the user.

A message is one short readable sentence naming the file and the problem; the window shows it in a
dialog and the CLI prints it on one stderr line. Never a traceback. Anything taken from outside
(a file name, a value from the file) goes through `shown()` first: a 9 MB value or a name holding a
newline or a terminal escape must not become a 9 MB "line", two lines, or a recoloured terminal.
"""
from __future__ import annotations

import os
import unicodedata

SHOWN_CHARS = 80  # a value or file name in a message: enough to recognise, short enough for one line
MESSAGE_CHARS = 400  # a whole message: a safety net behind SHOWN_CHARS


class CaseFileError(Exception):
    pass


def _is_control(ch: str) -> bool:
    # Cc: C0, DEL and C1 controls (newline, ESC, CSI...); Zl/Zp: Unicode line and paragraph
    # separators; bidi overrides and isolates can reorder what a terminal or a dialog shows.
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"


def escape_controls(text: str) -> str:
    """Control characters written as visible escapes (\\x0a, \\x1b, \\u2028); everything else kept."""
    if not any(_is_control(c) for c in text):
        return text  # the common case, without building a new string
    out = []
    for c in text:
        if not _is_control(c):
            out.append(c)
        else:
            out.append(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
    return "".join(out)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value from outside, fit for one line of a message: escaped, then cut to `limit` characters.

    Strings are shown as they are (quote them in the message if that helps); other values by repr.
    Only the first limit*4 characters are looked at, so a huge value costs no more than a short one.
    """
    text = value if isinstance(value, str) else repr(value)
    return truncate(escape_controls(text[: limit * 4]), limit)


def shown_name(path: str | os.PathLike[str]) -> str:
    """A file's name (not its folder) for a message: escaped and truncated like any value."""
    name = os.path.basename(os.fspath(path)) or os.fspath(path)
    return shown(name)


def one_line(message: object) -> str:
    """The final form of any error text the CLI prints or the window shows: one short line."""
    return shown(str(message), MESSAGE_CHARS)
