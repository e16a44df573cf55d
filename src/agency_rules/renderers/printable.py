"""Text from an input, made safe to show: never interpreted as control codes, terminal markup, Markdown or HTML.

Every character Python does not count as printable but a tab or a line feed (controls, format
characters such as zero-width spaces and bidirectional overrides, line separators, spaces other
than the plain one, unassigned code points) is shown as a visible escape, so a cell can neither
clear a screen, retitle a window, reorder what a reader sees nor hide a character.
"""

from __future__ import annotations

import re
from html import escape


def _escaped(char: str) -> str:
    code = ord(char)
    if char in "\t\n" or char.isprintable():
        return char
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def printable(text: object) -> str:
    """The text with every unprintable character but tab and line feed written as \\xNN, \\uNNNN or \\UNNNNNNNN."""
    value = "" if text is None else str(text)
    return value if value.isprintable() else "".join(map(_escaped, value))


def one_line(text: object) -> str:
    """Printable, with line feeds and tabs shown as spaces: one table cell, one line."""
    return printable(text).replace("\n", " ").replace("\t", " ")


MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]|>$~]|<(?=[A-Za-z/!?])|&(?=[A-Za-z#])|^[#+]")


def markdown_cell(text: object) -> str:
    """A Markdown table cell, only ever text: Markdown's own characters, and a `<` or `&` that could open HTML, backslash-escaped.

    A backslash escape reads as the character itself, so `<5` and `A & B` stay as they are written
    in the raw file too; `<script` becomes `\\<script`, which Markdown shows as text, and `$x$` is
    not mathematics.
    """
    return MARKDOWN_SPECIAL.sub(lambda found: "\\" + found.group(), one_line(text))


def html_text(text: object) -> str:
    return escape(printable(text))
