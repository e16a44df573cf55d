"""The one strict loader for every TOML file the tool reads: rules, overlays, caps, waivers, config, column maps.

It sits at the bottom of the package: every file model is a `Strict` pydantic model, and every
problem is reported with the file, the item (by its id where it has one) and the reason.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
)

from .domain import FIRST_DAY, LAST_DAY
from .errors import RuleFileError
from .shown import excerpt

M = TypeVar("M", bound=BaseModel)
MAX_FILE = 5 << 20
MESSAGE = 600  # characters of one problem's words: enough for any the tool writes, not for a value it quotes
MAX_TEXT = 2000


def _a_day(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueError(
            f"must be a date written as YYYY-MM-DD, without a time of day (not {value.isoformat(sep=' ')})"
        )
    if not isinstance(value, date):
        raise ValueError(f"must be a date written as YYYY-MM-DD, without quotes (not {value!r})")
    if (
        not FIRST_DAY <= value <= LAST_DAY
    ):  # as in an export: 9999-12-31 is no contract's end, and a day after it no day
        raise ValueError(
            f"must be a date from {FIRST_DAY.year} to {LAST_DAY.year} (not {value.isoformat()}); leave an open end out"
        )
    return value


def _a_flag(value: Any) -> bool:
    """true or false as TOML writes them: 1, "yes" or "false" in a contract would be a guess."""
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, without quotes (not {value!r})")
    return value


def _a_whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, without quotes (not {value!r})")
    return value


def _an_amount(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number (not {value!r})")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number (not {value!r})")
    return float(value)


def _visible(value: str) -> str:
    if not any(unicodedata.category(char).startswith("L") for char in value):
        raise ValueError("must contain visible letters (a name, not blank or invisible characters)")
    return value


def _legible(value: str) -> str:
    if not any(unicodedata.category(char)[0] in "LN" for char in value):
        raise ValueError(
            "must contain letters or digits (a reference, not blank or invisible characters)"
        )
    if not all(
        " " <= char <= "~" for char in value
    ):  # FW-1 and FW-1 with a zero-width space, or a Cyrillic B, print alike
        odd = next(char for char in value if not " " <= char <= "~")
        raise ValueError(
            f"must be plain letters, digits and punctuation (A-Z, 0-9, - / .), not {ascii(odd)}: a look-alike or "
            "invisible character would make two references that print alike"
        )
    return value


Day = Annotated[date, BeforeValidator(_a_day)]
Amount = Annotated[float, BeforeValidator(_an_amount)]
Words = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Name = Annotated[str, StringConstraints(max_length=200), AfterValidator(_visible)]
Reference = Annotated[
    str, StringConstraints(max_length=200), AfterValidator(_legible)
]  # "2024/017" is a reference
Flag = Annotated[bool, BeforeValidator(_a_flag)]
Whole = Annotated[int, BeforeValidator(_a_whole_number)]
ITEM_KEYS = {
    "cap": ("region", "role", "effective_from"),
    "waiver": ("rule_id", "engagement_id", "worker_id", "agency", "la_code", "framework"),
    "explanation": ("rule_id", "engagement_id", "worker_id", "agency", "la_code", "framework"),
    "rate": ("region", "role", "employment_model"),
}


class Strict(BaseModel):
    """Unknown keys are errors, values are frozen: a file says exactly what it means or is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


_DIGESTS: dict[Path, str] = {}
_TOML: dict[tuple[Path, str], dict[str, Any]] = {}
TOML_KEPT = 64


def digest(path: Path) -> str:
    """SHA-256 of the bytes read_toml last parsed from this file, so a report names what was used, not what is there now."""
    if path.resolve() not in _DIGESTS:
        read_toml(path)
    return _DIGESTS[path.resolve()]


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML, refusing what is not a regular file, too large, not UTF-8 (a byte-order mark is fine) or nested too deeply."""
    return _parsed(path, _text(path))


def _text(path: Path) -> str:
    """The file's text, its digest noted for the report."""
    try:
        if not stat.S_ISREG(
            path.stat().st_mode
        ):  # before opening: opening a pipe waits for a writer
            raise RuleFileError(
                f"{path}: not a regular file (a device, pipe or folder); name a TOML file"
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE + 1)
        if len(raw) > MAX_FILE:
            raise RuleFileError(
                f"{path}: the file is larger than {MAX_FILE >> 20} MB; a rules, caps, waivers or config file is far smaller"
            )
        _DIGESTS[path.resolve()] = hashlib.sha256(raw).hexdigest()
        return raw.decode("utf-8").removeprefix("\ufeff")
    except OSError as error:
        raise RuleFileError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise RuleFileError(f"{path}: not UTF-8 text") from None


def _parsed(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise RuleFileError(f"{path}: not valid TOML (nested too deeply)") from None
    except tomllib.TOMLDecodeError as error:
        lines = text.splitlines()
        raise RuleFileError(
            f"{path}: {_toml_context(lines, str(error))}not valid TOML ({error}){_date_hint(lines, str(error))}"
        ) from None


_AT_LINE = re.compile(r"at line (\d+)")
_ITEM_ID = re.compile(r"""^\s*(?:id|rule|engagement_id)\s*=\s*["']([^"']+)["']""")
_DATE_LIKE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DATE_WITH_SLASHES = re.compile(r"=\s*\d{1,2}/\d{1,2}/\d{2,4}\b")


def _toml_context(lines: list[str], message: str) -> str:
    """'in COOL001: ' for a syntax error inside that rule's table, so the reader knows where to look."""
    match = _AT_LINE.search(message)
    if not match:
        return ""
    for line in reversed(lines[: int(match.group(1))]):
        found = _ITEM_ID.match(line)
        if found:
            return f"in {found.group(1)}: "
        if line.lstrip().startswith("[["):
            break
    return ""


def _date_hint(lines: list[str], message: str) -> str:
    """Name a date on the failing line that is not a real day: TOML reports it only as a syntax error."""
    match = _AT_LINE.search(message)
    if not match:
        return ""
    number = int(match.group(1))
    line = lines[number - 1] if number <= len(lines) else ""
    for year, month, day_ in _DATE_LIKE.findall(line):
        try:
            date(int(year), int(month), int(day_))
        except ValueError:
            return f"; {year}-{month}-{day_} is not a real date"
    if _DATE_WITH_SLASHES.search(line):
        return "; write a date as YYYY-MM-DD without quotes (1 April 2025 is 2025-04-01)"
    return ""


def closest(text: str, choices: Iterable[str]) -> str | None:
    """The choice a misspelt name most likely means, if any is close."""
    close = difflib.get_close_matches(text.strip().lower(), list(choices), n=1)
    return close[0] if close else None


def _keys_at(model: type[BaseModel], loc: list[Any]) -> list[str]:
    """The keys a file may use at `loc` (a path of keys and list positions) in `model`, for a 'did you mean'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = (
            current.model_fields.get(part)
            if isinstance(current, type) and issubclass(current, BaseModel)
            else None
        )
        if field is None:
            return []
        current = field.annotation
        while get_origin(current) is not None:  # list[X], X | None, dict[str, X]: the model inside
            inner = [
                a for a in get_args(current) if isinstance(a, type) and issubclass(a, BaseModel)
            ]
            current = inner[0] if inner else get_args(current)[-1]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [field.alias or name for name, field in current.model_fields.items()]
    return []


def describe_validation(
    path: Path,
    data: dict[str, Any],
    error: ValidationError,
    kind: str,
    model: type[BaseModel] | None = None,
) -> str:
    """One line for every problem: file, the items it is in (by id), the key, the reason; a problem shared by many items
    (every cap without its source) is said once, naming the first items."""
    problems: dict[tuple[str, str, str], list[str]] = {}
    for problem in error.errors():
        loc = list(problem["loc"])
        where = ".".join(
            excerpt(str(p)) for p in loc
        )  # a key 100,000 characters long is named by its first few
        if len(loc) >= 2 and isinstance(loc[1], int):
            label = (
                loc[0] if loc[0] in ITEM_KEYS else kind
            )  # a list of its own kind in the file (a contract's rate lines), else the file's
            try:
                item = data[str(loc[0])][loc[1]]
                item_id = excerpt(
                    str(
                        item.get("id")
                        or item.get("rule")
                        or " / ".join(str(item[k]) for k in ITEM_KEYS.get(label, ()) if k in item)
                    )
                )
            except (KeyError, IndexError, TypeError, AttributeError):
                item_id = None
            item_name = f"{label} {item_id or loc[1] + 1}"
            where = ".".join(excerpt(str(p)) for p in loc[2:])
        else:
            label, item_name = "", ""
        message = problem["msg"].removeprefix("Value error, ")
        message = (
            message if len(message) <= MESSAGE else message[:MESSAGE] + "…"
        )  # one quoting a value a megabyte long
        if problem["type"] == "extra_forbidden":
            match = closest(str(loc[-1]), _keys_at(model, loc[:-1])) if model else None
            message = f"unknown key (did you mean {match!r}?)" if match else "unknown key"
        problems.setdefault((label, where, message), []).append(item_name)
    return f"{path}: " + "; ".join(
        ": ".join(part for part in (_items(label, names), where, message) if part)
        for (label, where, message), names in problems.items()
    )


def _items(label: str, names: list[str], most: int = 3) -> str:
    """'cap A', or 'cap A, B, C and 2 more': the label once."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return names[0] if names else ""
    shown = [names[0], *(n.removeprefix(f"{label} ") for n in names[1:most])]
    return ", ".join(shown) + (f" and {len(names) - most} more" if len(names) > most else "")


def load_model(path: Path, model: type[M], kind: str) -> M:
    """Read a TOML file into a strict model; every problem is reported with the file and the item's id.

    The TOML read from the same bytes of the same file is kept for the process (a notebook or a test checking export
    after export with one ruleset and caps file paid 8 ms of parsing a check); it is validated each time, as what is
    valid depends on the checks the code defines."""
    text = _text(path)
    key = (path.resolve(), _DIGESTS[path.resolve()])
    if key not in _TOML:
        if len(_TOML) >= TOML_KEPT:
            _TOML.clear()
        _TOML[key] = _parsed(path, text)
    data = _TOML[key]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RuleFileError(describe_validation(path, data, error, kind, model)) from None
