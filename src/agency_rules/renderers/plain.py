"""Text from an input, made safe to show: never interpreted as control codes, terminal markup, Markdown or HTML.

Control characters (C0, DEL, C1 and the bidirectional overrides) are shown as visible escapes, so
a cell can neither clear a screen, retitle a window nor reorder what a reader sees.
"""

from __future__ import annotations

import re
from html import escape

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """The text with every control character written as \\xNN (or \\uNNNN)."""
    value = "" if text is None else str(text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", value)


def one_line(text: object) -> str:
    """Printable, with line breaks and tabs shown as spaces: one table cell, one line."""
    return printable(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def markdown_cell(text: object) -> str:
    """A Markdown table cell: HTML and Markdown's own characters escaped, so a cell is only ever text."""
    value = escape(one_line(text), quote=False)
    for char in "\\`*_[]|":
        value = value.replace(char, "\\" + char)
    return value


def html_text(text: object) -> str:
    return escape(printable(text))
