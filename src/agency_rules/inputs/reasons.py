"""The catalogue of reasons a row is rejected: a stable code for each, beside the words a reader sees.

A code never changes once shipped; scripts and boards group by it. `docs/errors.md` is generated from this
catalogue (`python tools/make_error_docs.py`), and a test checks that every code a reader can produce is here.
"""

from __future__ import annotations

REJECTION_CODES: dict[str, str] = {
    "missing-value": "a required column is blank",
    "cell-too-long": "a cell is longer than 1,000 characters",
    "cell-count": "the row has more or fewer cells than the header",
    "ends-before-start": "the end date is before the start date",
    "duplicate-key": "the engagement id is used by an earlier row",
    "look-alike": "a name or id holds a character that prints as another (a Cyrillic letter among Latin ones, an invisible mark)",
    "not-a-worker-id": "neither a Social Work England number (SW + 1-6 digits) nor a regional pseudonym (P- + hex)",
    "ambiguous-council": "a council's name that could be more than one council",
    "near-council": "not a council's name, but close to one",
    "not-a-council": "neither the ONS code nor the name of one of England's 153 councils",
    "unknown-word": "a word the column does not take; a column map's [values.COLUMN] can translate it",
    "not-yes-no": "not a yes/no value (true/false, yes/no, y/n, 1/0)",
    "not-a-number": "not a number",
    "not-finite": "not a finite number",
    "negative": "a negative number",
    "implausible-number": "a number above the column's plausible maximum",
    "not-whole": "not a whole number",
    "two-digit-year": "a date with a two-digit year",
    "not-a-date": "not a date in any form the reader takes",
    "no-time-of-day": "a date with a time that is no time of day",
    "time-of-day": "a date with a time from 23:00 to 23:59, how a midnight moved by a time zone looks",
    "not-a-real-day": "a date that does not exist (31/02/2025)",
    "implausible-date": "a date outside the years 1900 to 2099",
    "invalid": "not a value the column takes",
}

NOTICE_KINDS: dict[str, str] = {
    "not_evaluated": "a rule could not be evaluated for some engagements (no cap, no figure in force), with why and for how many",
    "data_warning": "records that pass but look wrong (recorded experience longer than the time since qualifying)",
    "unmatched_waiver": "a waiver or explanation that selects no engagement of the run, or names a rule it does not check",
    "assumed_individual": "an export without engagement_type: each engagement taken as individual",
}
