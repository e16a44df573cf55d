"""What a message may show of an input's text: a short excerpt, never a whole header or cell, and nothing key-shaped.

A header can be megabytes long (an audit saw a 2 MB header name echoed whole), and a key file given
by mistake as an export has the key for its header, which an echo of "the headers found" would print.
So messages quote the first EXCERPT characters of input text, and text shaped like a key or a token
(a long run of hex or base64 characters) is named, not shown.
"""

from __future__ import annotations

import base64
import binascii
import re

EXCERPT = 60
KEY_BYTES = 32
HEX_KEY = re.compile(
    r"[0-9A-Fa-f]{64}"
)  # 32 bytes as hex, as `pseudonymise --new-key` and `openssl rand -hex 32` do
BASE64_KEY = re.compile(
    r"[A-Za-z0-9+/]{43}="
)  # 32 bytes as base64, as `openssl rand -base64 32` writes them
TOKEN = re.compile(r"[A-Za-z0-9+/=_-]{32,}")
NOT_SHOWN = "(not shown: it looks like a key)"
ONE_CELL = "one cell, not shown (a file of one field is not an export)"  # a key or passphrase file given by mistake


def is_key(text: str) -> bool:
    """Whether the text is 32 bytes written as 64 hex digits or as 44 base64 characters."""
    if HEX_KEY.fullmatch(text):
        return True
    try:
        return (
            BASE64_KEY.fullmatch(text) is not None
            and len(base64.b64decode(text, validate=True)) == KEY_BYTES
        )
    except binascii.Error:
        return False


def looks_secret(text: str) -> bool:
    """A key, or a token like one: 32 or more hex or base64 characters, all hex or mixing capitals, small letters and
    digits (a header such as 'previous_substantive_end' is neither)."""
    value = text.strip()
    if is_key(value):
        return True
    if not TOKEN.fullmatch(value):
        return False
    hexadecimal = re.fullmatch(r"[0-9A-Fa-f]+", value) is not None
    mixed = (
        any(c.isupper() for c in value)
        and any(c.islower() for c in value)
        and any(c.isdigit() for c in value)
    )
    return hexadecimal or mixed


def excerpt(text: str) -> str:
    """The text's first EXCERPT characters ('…' where it goes on), or NOT_SHOWN for key-shaped text."""
    if looks_secret(text):
        return NOT_SHOWN
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def quote(text: str) -> str:
    """An excerpt quoted as Python quotes text ('Worker Name'), or NOT_SHOWN for key-shaped text."""
    return NOT_SHOWN if looks_secret(text) else repr(excerpt(text))
