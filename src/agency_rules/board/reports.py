"""Councils' JSON reports read for a board: checked to be whole, consistent runs of one ruleset, each counted once, workers dropped.

A report is read into strict models: every field has the type the data contract gives it, every
council is one of England's, every date lies in 1900-2099, and the counts agree with the findings
and rows they count. A report that fails any of this is refused, naming the report and the field:
a board paper must never be made from a damaged or edited report without a word.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Literal, cast

import polars as pl
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..domain import REPORTED, ROLES
from ..inputs.files import InputError, given_twice, read_bounded
from ..regions import council_names
from ..report import SCHEMA_VERSION
from ..worker_ids import mixed_keys, without_worker_id, without_worker_ids

FINDING_COLUMNS = {
    "file": pl.String,
    "engagement_id": pl.String,
    "la_code": pl.String,
    "agency": pl.String,
    "role": pl.String,
    "rule_id": pl.String,
    "outcome": pl.String,
    "start_date": pl.Date,
}  # the file and id only to count a finding once; never shown
MOST = 10**9  # more rows than any council has: a larger count is damage, not data
PAPERS = (
    ".html",
    ".htm",
    ".md",
    ".xlsx",
)  # what a board summary writes: a name a reader meant for --output
LARGEST = (
    64 << 20
)  # a region's year of reports is a few MB: a summary's time and memory stay bounded (about 1.7 GB at most)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _council(code: str) -> str:
    if code not in council_names():
        raise ValueError("not the ONS code of an English council")
    return code


def _day(value: object) -> date:
    if not isinstance(value, str) or not ISO_DAY.fullmatch(value):
        raise ValueError("not a date written YYYY-MM-DD")
    day = date.fromisoformat(value)
    if not date(1900, 1, 1) <= day <= date(2099, 12, 31):
        raise ValueError("a date outside 1900-2099, which no engagement has")
    return day


Count = Annotated[int, Field(ge=0, le=MOST)]
Council = Annotated[str, AfterValidator(_council)]
Day = Annotated[date, BeforeValidator(_day)]
Text = Annotated[str, Field(max_length=2000)]
RuleId = Annotated[str, Field(pattern=r"^[A-Z]+\d{3}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class _Finding(_Strict):
    file: Text | None = None
    engagement_id: Text
    la_code: Council
    agency: Text | None = None
    role: Literal[ROLES] | None = None  # type: ignore[valid-type]
    rule_id: RuleId
    outcome: Literal[REPORTED]  # type: ignore[valid-type]
    start_date: Day


class _Rejected(_Strict):
    la_code: Council | None = None


class _Input(_Strict):
    path: Text
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    kind: Text = "engagements"
    pseudonym_key: Annotated[str, Field(pattern=r"^[0-9a-f]{8}$")] | None = None


class _Checked(_Strict):
    rows_checked: Count


class _Missing(_Strict):
    column: Annotated[
        str, Field(pattern=r"^[a-z_]{1,40}$")
    ]  # a contract column's name, never a file's text
    rules: list[RuleId]


class _Reason(_Strict):
    message: Text


class _Notice(_Strict):
    rule_id: RuleId
    kind: Text = ""
    message: Text
    reasons: list[_Reason] = []


class _Summary(_Strict):
    rows_read: Count
    rows_checked: Count
    rows_rejected: Count
    by_rule: dict[
        RuleId,
        dict[
            Literal["pass", "breach", "unknown", "not_applicable", "waived", "not_evaluated"], Count
        ],
    ]
    by_council: dict[Council, _Checked]


class _Report(_Strict):
    ruleset: Text
    overlays: list[Text]
    inputs: list[_Input]
    summary: _Summary
    findings: list[_Finding]
    rejected_rows: list[_Rejected]
    missing_columns: list[_Missing] = []
    notices: list[_Notice] = []


@dataclass(frozen=True)
class CouncilReport:
    """One report as a board sees it: what it was, its findings and rejected rows without any worker."""

    path: str
    sha256: str
    ruleset: str
    overlays: list[str]
    inputs: list[dict]
    rows_read: int
    rows_checked: int
    rows_rejected: int
    rules: list[str]
    not_evaluated: dict[
        str, int
    ]  # each rule's engagements checked that it could not evaluate (a cap not configured)
    not_applicable: dict[str, int]  # each rule's engagements checked that it does not apply to
    checked_by_council: dict[str, int]
    missing_columns: dict[
        str, list[str]
    ]  # each contract column its exports lacked: the rules that read it
    findings: pl.DataFrame  # FINDING_COLUMNS, and `report` (its place among the reports given)
    rejected: pl.DataFrame  # la_code, one row per rejected row
    not_evaluated_why: dict[str, list[str]] = field(
        default_factory=dict
    )  # each rule's reasons for not being evaluated (no cap configured for a region and role)
    identifiable: bool = False  # its findings name workers by registration number, not pseudonym

    def files(self, kind: str) -> frozenset[str]:
        """The hashes of the inputs of one kind (engagements, ruleset, overlay, caps) it was checked with."""
        return frozenset(i["sha256"] for i in self.inputs if i["kind"] == kind)

    @property
    def rules_files(self) -> frozenset[str]:
        """The hashes of the ruleset file it was checked under: two reports of one name but other rules are not one count."""
        return self.files("ruleset")

    @property
    def checked_files(self) -> frozenset[str]:
        """The hashes of the exports it checked: two reports with the same ones are the same check."""
        return self.files("engagements")

    def evaluated(self, rule: str) -> int:
        """Its engagements checked that a rule was evaluated for: neither outside the rule nor lacking its configuration."""
        return (
            self.rows_checked - self.not_evaluated.get(rule, 0) - self.not_applicable.get(rule, 0)
        )


def read_reports(paths: list[Path]) -> tuple[list[CouncilReport], list[str]]:
    """The reports to count, and a note for each one left out because the same check was given already.

    Reports of another ruleset, another schema version, narrowed by --council, --agency or --rule,
    partly overlapping another, inconsistent or damaged, or not a report at all are refused, naming
    the file and why.
    """
    kept: list[CouncilReport] = []
    notes: list[str] = []
    twice = given_twice(paths)
    if twice is not None:
        earlier, path = twice
        raise InputError(
            f"{path}: given twice"
            + (f" (as {earlier} and as {path})" if str(earlier) != str(path) else "")
            + "; give each report once"
        )
    for path in paths:
        report = _read(path, len(kept))
        if kept and report.ruleset != kept[0].ruleset:
            raise InputError(
                f"{report.path}: checked under ruleset {report.ruleset}, but {kept[0].path} under {kept[0].ruleset}; "
                "a summary counts one ruleset's outcomes"
            )
        if kept and report.rules_files != kept[0].rules_files:
            raise InputError(
                f"{report.path}: checked under a ruleset file called {report.ruleset} that differs from the one "
                f"{kept[0].path} was checked under (another SHA-256: another version, or a file of one's own); "
                "a summary counts one ruleset's outcomes: check the exports again under one"
            )
        same = next((k for k in kept if k.checked_files == report.checked_files), None)
        if same is not None:
            differs = _settings_between(same, report)
            if differs:
                raise InputError(
                    f"{report.path} and {same.path} checked the same export(s) under different settings ({differs}),"
                    " so their counts differ and a summary cannot tell which the board should see: give one of them"
                )
            notes.append(
                f"{report.path} checked the same export(s) as {same.path} under the same rules (the same SHA-256s),"
                f" so only {same.path} is counted."
            )
            continue
        overlap = next((k for k in kept if k.checked_files & report.checked_files), None)
        if overlap is not None:
            raise InputError(_overlapping(report, overlap))
        kept.append(report)
    _refuse_mixed_keys(kept)
    if len({tuple(r.overlays) for r in kept}) > 1:
        notes.append(
            "The reports were checked under different overlays: "
            + "; ".join(f"{r.path}: {', '.join(r.overlays) or 'none'}" for r in kept)
            + "."
        )
    return kept, notes


def _settings_between(first: CouncilReport, second: CouncilReport) -> str:
    """What two checks of the same exports were run with differently (overlays, caps, waivers, history), in words; ''
    where nothing differs."""

    def named(report: CouncilReport, kind: str) -> str:
        return (
            ", ".join(sorted(i["path"] for i in report.inputs if i["kind"] == kind)) or f"no {kind}"
        )

    kinds = sorted({i["kind"] for r in (first, second) for i in r.inputs} - {"engagements"})
    return "; ".join(
        f"{kind}: {named(first, kind)} in {first.path}, {named(second, kind)} in {second.path}"
        for kind in kinds
        if first.files(kind) != second.files(kind)
    )


def _overlapping(report: CouncilReport, other: CouncilReport) -> str:
    """Two reports that share some exports: which holds which, and what to give instead, so the board analyst is not left
    to work out whether the pooled report or the councils' own was the mistake."""
    shared = sorted(
        {
            i["path"]
            for i in report.inputs
            if i["kind"] == "engagements" and i["sha256"] in other.checked_files
        }
    )
    both = (
        f"{report.path} and {other.path} both checked {', '.join(shared)}, so"
        f" {'its' if len(shared) == 1 else 'their'} engagements would be counted twice"
    )
    wider, narrower = (
        (report, other)
        if report.checked_files > other.checked_files
        else (other, report)
        if other.checked_files > report.checked_files
        else (None, None)
    )
    if wider is None or narrower is None:
        return f"{both}; give reports of separate exports"
    return (
        f"{both}: {wider.path} already holds every export {narrower.path} checked; give either the pooled report"
        " or the councils' own reports, not both"
    )


def _refuse_mixed_keys(reports: list[CouncilReport]) -> None:
    """Exports pseudonymised with different keys give one worker two pseudonyms: the reports' findings can never be
    joined up (nor can the region's later checks of them), which a board should hear from the tool, not discover."""
    keys: dict[str, list[str]] = {}
    for report in reports:
        for named in sorted({i["pseudonym_key"] for i in report.inputs if i.get("pseudonym_key")}):
            keys.setdefault(named, []).append(report.path)
    mixed = mixed_keys(keys, "reports checked exports", "")
    if mixed:
        raise InputError(mixed)


def _read(path: Path, place: int) -> CouncilReport:
    if path.suffix.lower() in PAPERS and not path.exists():
        raise InputError(
            f"{path}: no such report; to write the paper to this file, name it with --output {path}"
        )
    data = read_bounded(
        path, LARGEST
    )  # no more read than is accepted: a 2 GB file cost 2.1 GB and 10 s to refuse
    if len(data) > LARGEST:
        raise InputError(
            f"{path}: the report is larger than {LARGEST >> 20} MiB, more than any region's councils write; "
            "summarise a region's reports, a quarter or a year at a time"
        )
    try:
        document = json.loads(data, object_pairs_hook=_once_each)
    except _Twice as error:
        raise InputError(
            f"{path}: the report is damaged: the key {_excerpt(error.args[0])} stands twice in one object, "
            "so which one counts is anybody's guess"
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            f"{path}: not a JSON report of agency-check (it is not UTF-8 text)"
        ) from None
    except json.JSONDecodeError as error:
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(
            (b"{", b"[")
        ):  # an export, a workbook, a PDF: not JSON at all
            raise InputError(
                f"{path}: not a JSON report; a summary reads the reports of checks: run agency-check EXPORT "
                "--format json --output report.json on each export first, then summarise the reports"
                + (
                    f" (to write the paper to {path}, name it with --output)"
                    if path.suffix.lower() in PAPERS
                    else ""
                )
            ) from None
        raise InputError(
            f"{path}: not a JSON report of agency-check (not valid JSON at line {error.lineno}: {error.msg}; was it cut short?)"
        ) from None
    except RecursionError:
        raise InputError(
            f"{path}: not a JSON report of agency-check (nested too deeply to read)"
        ) from None
    except ValueError:  # a number of thousands of digits: no count is that long
        raise InputError(
            f"{path}: the report is damaged: it holds a number thousands of digits long"
        ) from None
    if isinstance(document, dict) and document.get("kind") == "contract_check":
        raise InputError(
            f"{path}: this is a contract check (agency-check contract); a summary combines councils' reports of "
            "their engagements (agency-check EXPORT --format json)"
        )
    if isinstance(document, dict) and document.get("kind") == "board_summary":
        raise InputError(
            f"{path}: this is a board summary; a summary combines councils' reports (agency-check FILE --format json)"
        )
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("tool"), dict)
        or document["tool"].get("name") != "agency-rules"
    ):
        raise InputError(
            f"{path}: not a JSON report of agency-check (agency-check FILE --format json writes one)"
        )
    version = document.get("schema_version")
    if (
        type(version) is not int or version != SCHEMA_VERSION
    ):  # true and 1.0 equal 1 in Python, not in a schema
        raise InputError(
            f"{path}: report schema version {_excerpt(version) if isinstance(version, (dict, list, str)) else json.dumps(version)[:40]}; this summary reads version {SCHEMA_VERSION}"
        )
    summary = document.get("summary")
    if isinstance(summary, dict) and "selection" in summary:
        selection = summary["selection"]
        described = selection.get("described") if isinstance(selection, dict) else None
        raise InputError(
            f"{path}: the report was narrowed to {_excerpt(described) if isinstance(described, str) else 'some engagements'}"
            " (by --council, --agency or --rule); a summary counts whole runs: check the exports again without them"
        )
    if isinstance(summary, dict) and "by_council" not in summary:
        raise InputError(
            f"{path}: the report does not say how many engagements each council had (summary.by_council); "
            "it was made by an older agency-check: check the export again"
        )
    try:
        report = _Report.model_validate(document)
    except ValidationError as error:
        raise InputError(
            f"{path}: the report is incomplete or damaged: {_field_said(error)}"
        ) from None
    _consistent(path, report)
    findings = pl.DataFrame(
        [{k: getattr(f, k) for k in FINDING_COLUMNS} for f in report.findings],
        schema=FINDING_COLUMNS,
        orient="row",
    )
    findings = findings.with_columns(
        without_worker_ids(findings["agency"])
    )  # 'Locum SW310001 Ltd' names a worker
    rejected = pl.DataFrame(
        {"la_code": [r.la_code for r in report.rejected_rows]}, schema={"la_code": pl.String}
    )
    inputs = [
        {**i.model_dump(), "path": without_worker_id(i.path)} for i in report.inputs
    ]  # a file named after a worker
    by_council = {code: n.rows_checked for code, n in report.summary.by_council.items()}
    not_evaluated, not_applicable = (
        {rule: counts.get(outcome, 0) for rule, counts in report.summary.by_rule.items()}
        for outcome in ("not_evaluated", "not_applicable")
    )
    return CouncilReport(
        without_worker_id(str(path)),
        hashlib.sha256(data).hexdigest(),
        report.ruleset,
        [without_worker_id(o) for o in report.overlays],
        inputs,
        report.summary.rows_read,
        report.summary.rows_checked,
        report.summary.rows_rejected,
        list(report.summary.by_rule),
        not_evaluated,
        not_applicable,
        by_council,
        {m.column: list(m.rules) for m in report.missing_columns},
        findings.with_columns(pl.lit(place).alias("report")),
        rejected,
        _not_evaluated_why(report.notices),
        any(
            isinstance(f, dict) and str(f.get("worker_id", "")).startswith("SW")
            for f in document["findings"]
        ),
    )


def _not_evaluated_why(notices: list[_Notice]) -> dict[str, list[str]]:
    """Each rule's reasons for not being evaluated, in the report's words (no engagement ids, no counts)."""
    why: dict[str, list[str]] = {}
    for notice in notices:
        if notice.kind == "not_evaluated":
            for message in [r.message for r in notice.reasons] or [notice.message]:
                said = without_worker_id(message)
                if said not in why.setdefault(notice.rule_id, []):
                    why[notice.rule_id].append(said)
    return why


class _Twice(ValueError):
    """A key that stands twice in one JSON object."""


def _once_each(pairs: list[tuple[str, object]]) -> dict:
    document = dict(pairs)
    if len(document) < len(pairs):
        raise _Twice(next(key for i, (key, _) in enumerate(pairs) if key in dict(pairs[:i])))
    return document


def _consistent(path: Path, report: _Report) -> None:
    """The report's counts agree with its findings and rows: one edited by hand, or cut, is refused rather than summarised."""
    summary = report.summary

    def damaged(field: str, why: str) -> InputError:
        return InputError(f"{path}: the report contradicts itself: {field} {why}")

    if summary.rows_read != summary.rows_checked + summary.rows_rejected:
        raise damaged(
            "summary.rows_read",
            f"is {summary.rows_read}, not rows_checked + rows_rejected ({summary.rows_checked} + {summary.rows_rejected})",
        )
    if summary.rows_rejected != len(report.rejected_rows):
        raise damaged(
            "summary.rows_rejected",
            f"is {summary.rows_rejected}, but rejected_rows lists {len(report.rejected_rows)}",
        )
    if sum(n.rows_checked for n in summary.by_council.values()) != summary.rows_checked:
        raise damaged(
            "summary.by_council",
            f"adds up to {sum(n.rows_checked for n in summary.by_council.values())} engagements, "
            f"not rows_checked ({summary.rows_checked})",
        )
    if not any(i.kind == "engagements" for i in report.inputs):
        raise damaged("inputs", "name no export it checked")
    found = Counter((f.rule_id, f.outcome) for f in report.findings)
    for rule, _ in found:
        if rule not in summary.by_rule:
            raise damaged("findings", f"hold rule {rule}, which summary.by_rule does not")
    for rule, by_outcome in summary.by_rule.items():
        counts = cast(dict[str, int], by_outcome)
        for outcome in REPORTED:
            if counts.get(outcome, 0) != found[(rule, outcome)]:
                raise damaged(
                    f"summary.by_rule.{rule}.{outcome}",
                    f"is {counts.get(outcome, 0)}, but the findings hold {found[(rule, outcome)]}",
                )
    for rule, by_outcome in summary.by_rule.items():
        if sum(by_outcome.values()) != summary.rows_checked:
            raise damaged(
                f"summary.by_rule.{rule}",
                f"counts {sum(by_outcome.values())} outcomes, but every engagement checked "
                f"({summary.rows_checked}) has one",
            )
    exports = {i.path for i in report.inputs if i.kind == "engagements"}
    unnamed = next(
        (f for f in report.findings if f.file is not None and f.file not in exports), None
    )
    if unnamed is not None:
        raise damaged(
            "findings",
            f"hold file {_excerpt(unnamed.file)}, which is not among the exports the report checked (inputs)",
        )
    blank = next((f for f in report.findings if not f.engagement_id.strip()), None)
    if blank is not None:
        raise damaged("findings", "hold a finding with no engagement id")
    crowded = Counter((f.la_code, f.rule_id) for f in report.findings)
    over = next(
        (
            (code, rule, n)
            for (code, rule), n in crowded.items()
            if code in summary.by_council  # a council not there is refused below, by name
            if n > summary.by_council[code].rows_checked
        ),
        None,
    )
    if over is not None:
        raise damaged(
            "findings",
            f"hold {over[2]} outcomes of rule {over[1]} at {over[0]}, which summary.by_council says had "
            f"{summary.by_council[over[0]].rows_checked} engagements checked",
        )
    stranger = next((f for f in report.findings if f.la_code not in summary.by_council), None)
    if stranger is not None:
        raise damaged(
            "findings", f"hold council {stranger.la_code}, which summary.by_council does not count"
        )
    twice = Counter((f.file, f.engagement_id, f.rule_id) for f in report.findings).most_common(1)
    if twice and twice[0][1] > 1:
        raise damaged(
            "findings",
            f"hold rule {twice[0][0][2]} for one engagement of one file {twice[0][1]} times",
        )


def _field_said(error: ValidationError) -> str:
    """The first problem in words: where it is (findings[3].la_code) and what is wrong, quoting at most a short excerpt."""
    first = error.errors()[0]
    where = "".join(
        f"[{part}]" if isinstance(part, int) else " (as a key)" if part == "[key]" else f".{part}"
        for part in first["loc"]
    ).lstrip(".")
    problem = first["msg"].removeprefix("Value error, ")
    shown = f" (it is {_excerpt(first['input'])})" if first["type"] != "missing" else ""
    more = f"; and {error.error_count() - 1} more problem(s)" if error.error_count() > 1 else ""
    return f"{where or 'the report'}: {problem}{shown}{more}"


def _excerpt(value: object) -> str:
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return shown if len(shown) <= 40 else shown[:37] + "..."
