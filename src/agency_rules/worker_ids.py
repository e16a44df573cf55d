"""Registration numbers and regional pseudonyms as they stand inside other text: an engagement id, an agency's name.

The worker-id reader takes `SW` (any case) and 1-6 digits, the first not 0, with spaces
anywhere, or the digits alone. Text is read in tokens, left to right (`NUMBER`):

- a pseudonym, `P-` and 20 hex digits, is one token, kept as it is: its digits are not a number, but
  digits right after its 20th are (`P-…0123310007` holds 310007);
- `SW` with an optional separator (spaces, or one of `- _ . : / #` between spaces) and 1-6 digits is a
  number. Spaces between the digits are ignored, as the reader ignores them (`SW 310 001`), and the
  longest such number is taken (`SW123456`, never `SW12345` and a `6` left over);
- six digits alone are a number (`310005`): the form registration numbers take, also when single
  spaces stand between them (`310 005`, as the reader ignores them), provided no further digit stands
  a space away (`2025 04 01` is a date, not `202504`). Fewer digits alone cannot be told from a day,
  a year, an amount or a count, so they are left as they are.

A run of digits is taken whole: a number is never followed by a further digit, and six digits alone
are never preceded by one, so a longer number is never partly replaced by a shorter one's pseudonym.
Letters, `_` and `-` around a number do not hide it (`E_SW310002`, `SW310003A`, `310005-A1`): it is
still that worker's number in clear. Replacement is one pass; the text it makes holds no number
(each pseudonym is a token of its own, followed by what followed the number, never a digit), so
pseudonymising a written file again changes nothing.
"""

from __future__ import annotations

import re

import polars as pl

PSEUDONYM_DIGITS = 20  # 80 bits: no two of a region's workers share one
_PSEUDONYM = rf"P-[0-9a-f]{{{PSEUDONYM_DIGITS}}}"
NUMBER = re.compile(
    rf"(?P<pseudonym>{_PSEUDONYM})"
    r"|SW[ ]*[-_.:/#]?[ ]*(?P<prefixed>[1-9](?:[ ]*[0-9]){0,5})(?![0-9])"
    rf"|(?:(?<![0-9])|(?<={_PSEUDONYM}))(?P<bare>[1-9][0-9]{{5}})(?![0-9])"
    rf"|(?:(?<![0-9])(?<![0-9] )|(?<={_PSEUDONYM}))(?P<spaced>[1-9](?: ?[0-9]){{5}})(?! ?[0-9])",
    re.IGNORECASE,  # as the reader upper-cases: `sw`, and `ſw` (a long s upper-cases to S)
)
MAY_HOLD_NUMBER = r"(?i)sw|[0-9](?: ?[0-9]){5}"  # the cells worth reading token by token
WORKER_ID = "[worker id]"


def without_worker_id(text: str) -> str:
    """The text with every registration number and pseudonym in it shown as [worker id]: for a paper that names no worker."""
    return NUMBER.sub(WORKER_ID, text)


def without_worker_ids(texts: pl.Series) -> pl.Series:
    distinct = texts.drop_nulls().unique()
    return texts.replace({value: without_worker_id(value) for value in distinct})
