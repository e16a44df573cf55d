"""Registration numbers and regional pseudonyms as they stand inside other text: an engagement id, an agency's name.

The worker-id reader takes `SW` (any case) and 1-6 digits, the first not 0, with spaces
anywhere, or the digits alone. Text is first read as a reader sees it (`normalised`): fullwidth,
superscript, circled and other scripts' digits are digits (`SW¹²³⁴⁵`, `SW①②③`, Arabic-Indic), a
non-breaking space, a tab or a blank-looking letter (braille blank, Hangul filler) a space, a
zero-width character or a combining mark (a grapheme joiner, a variation selector) nothing, an en
dash or a minus sign a hyphen, a Cyrillic or Cherokee letter that looks like S or W that letter; a
cell holding a number is written back so normalised. Then it is
read in tokens, left to right (`NUMBER`):

- a pseudonym, `P-` and 20 hex digits, is one token, kept as it is: its digits are not a number, but
  digits right after its 20th are (`P-…0123310007` holds 310007);
- `SW` (or `S.W.`, `S/W`, `S W`, `SWE`), up to three separators (spaces, `- _ . : ; / \\ | # , = ( [`),
  an optional `no`, `nr` or `number`, any zeros and 1-6 digits is a number (`SW012345` is
  SW12345's: a typist's zero does not make the number safe to leave). Spaces between the digits are ignored, as the reader
  ignores them (`SW 310 001`), and the longest such number is taken (`SW123456`, never `SW12345`
  and a `6` left over);
- six digits alone are a number (`310005`): the form registration numbers take, also when single
  spaces stand between them (`310 005`, as the reader ignores them), provided no further digit stands
  a space away (`2025 04 01` is a date, not `202504`). Fewer digits alone cannot be told from a day,
  a year, an amount or a count, so they are left as they are, and so are six digits split by dots
  or dashes (`31-10-08` is a date, `310.009` an amount).

A run of digits is taken whole: a number is never followed by a further digit, and six digits alone
are never preceded by one, so a longer number is never partly replaced by a shorter one's pseudonym.
Letters, `_` and `-` around a number do not hide it (`E_SW310002`, `SW310003A`, `310005-A1`): it is
still that worker's number in clear. Replacement is one pass; the text it makes holds no number
(each pseudonym is a token of its own, followed by what followed the number, never a digit), so
pseudonymising a written file again changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

PSEUDONYM_DIGITS = 20  # 80 bits: no two of a region's workers share one
_PSEUDONYM = rf"P-[0-9a-f]{{{PSEUDONYM_DIGITS}}}"
_SEPARATOR = r"[ \-_.:;/\\|#,=(\[]{0,3}"  # after normalising: spaces, dashes and the marks people type between SW and its digits
NUMBER = re.compile(
    rf"(?P<pseudonym>{_PSEUDONYM})"
    rf"|S\.?[/ ]?W\.?(?:E\.?)?{_SEPARATOR}(?:(?:no|nr|number)\.?{_SEPARATOR})?0*(?P<prefixed>[1-9](?:[ ]*[0-9]){{0,5}})(?![0-9])"
    rf"|(?:(?<![0-9])|(?<={_PSEUDONYM}))(?P<bare>[1-9][0-9]{{5}})(?![0-9])"
    rf"|(?:(?<![0-9])(?<![0-9] )|(?<={_PSEUDONYM}))(?P<spaced>[1-9](?: ?[0-9]){{5}})(?! ?[0-9])",
    re.IGNORECASE,  # as the reader upper-cases: `sw`, and `ſw` (a long s upper-cases to S)
)
MAY_HOLD_NUMBER = r"[\d\p{No}]"  # the cells worth reading token by token: every number has a digit, in whatever script or form
WORKER_ID = "[worker id]"
_BLANKS = {
    "\u2800",
    "\u3164",
    "\u115f",
    "\u1160",
    "\uffa0",
}  # letters and symbols that print as nothing
_LOOKALIKES = {
    "\u0405": "S",
    "\u0455": "s",
    "\u13da": "S",
    "\ua4e2": "S",
    "\u051c": "W",
    "\u051d": "w",
    "\u13b3": "W",
    "\ua4ea": "W",
}
_DASHES = {"\u2212", "\u2012", "\u2013", "\u2014", "\u2015", "\ufe58", "\ufe63", "\uff0d"}


def normalised(text: str) -> str:
    """The text as a reader sees a number in it: compatibility forms folded (fullwidth and superscript digits, a
    non-breaking space), every script's digits as 0-9, invisible characters and combining marks gone, blanks a space,
    every dash a hyphen, a letter that looks like S or W that letter, every run of white space one space."""
    return re.sub(" {2,}", " ", "".join(_as_read(c) for c in unicodedata.normalize("NFKC", text)))


def _as_read(c: str) -> str:
    category = unicodedata.category(c)
    if category in ("Cf", "Mn", "Me"):
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(c))
    if c in _DASHES or category == "Pd":
        return "-"
    if c.isspace() or c in _BLANKS:
        return " "
    return _LOOKALIKES.get(c, c)


def numbers_in(text: str) -> tuple[str, bool]:
    """The text to read numbers in, and whether it holds one: the normalised text where it does (so `SW–12345` and
    `310\u00a0005` are found), else the text as it is, untouched."""
    plain = normalised(text)
    found = any(match["pseudonym"] is None for match in NUMBER.finditer(plain))
    return (plain, True) if found else (text, False)


def without_worker_id(text: str) -> str:
    """The text with every registration number and pseudonym in it shown as [worker id]: for a paper that names no worker."""
    plain, _ = numbers_in(text)
    return NUMBER.sub(WORKER_ID, plain)


def without_worker_ids(texts: pl.Series) -> pl.Series:
    distinct = texts.drop_nulls().unique()
    return texts.replace({value: without_worker_id(value) for value in distinct})


def mixed_keys(keys: dict[str, list[str]], what: str, then: str) -> str | None:
    """Why `what` (files, reports) made with more than one pseudonym key are refused, naming each key's; None for one
    key. One worker's pseudonyms under two keys never match, so the worker would be missed across them, silently."""
    if len(keys) <= 1:
        return None
    return (
        f"these {what} pseudonymised with different keys ("
        + "; ".join(f"key {named}: {', '.join(places)}" for named, places in sorted(keys.items()))
        + f"): one worker's pseudonyms under two keys never match{then}. Pseudonymise every council's export with"
        " the region's one key"
    )
