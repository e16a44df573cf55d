"""`agency-check diff OLD.json NEW.json`: two check reports compared engagement by engagement and rule by rule.

An engagement is matched by its file and id. Where the two reports checked exports of other names (last quarter's
export and this quarter's), a report of one export is matched to the other's by id alone, and pooled runs by each
file's name. An outcome is the finding's (`breach`, `unknown`, `waived`), or `absent`: the report has no finding
for it (a pass, a rule that does not apply or was not evaluated, or an engagement the report did not cover).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .domain import BREACH, UNKNOWN, WAIVED
from .errors import InputError
from .inputs.files import read_bounded
from .shown import quote

ABSENT = "absent"
DIRECTIONS = (
    "newly_breaching",
    "no_longer_breaching",
    "newly_unknown",
    "no_longer_unknown",
    "newly_waived",
    "no_longer_waived",
)


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Finding(_Loose):
    file: str | None = None
    engagement_id: str
    rule_id: str
    outcome: str = Field(pattern="^(breach|unknown|waived)$")
    council: str | None = None


class _Input(_Loose):
    path: str
    sha256: str | None = None
    kind: str = "engagements"


class _Checked(_Loose):
    file: str
    engagement_ids: list[str]


class _Summary(_Loose):
    by_rule: dict[str, dict[str, int]] = {}


class _Report(_Loose):
    summary: _Summary = _Summary()
    ruleset: str
    overlays: list[str]
    as_of: str | None = None
    inputs: list[_Input]
    findings: list[_Finding]
    checked_engagements: list[_Checked] = []


@dataclass(frozen=True)
class Change:
    file: str
    engagement_id: str
    rule_id: str
    before: str
    after: str
    directions: tuple[str, ...]
    only_in: str | None = None  # "old" or "new" for an engagement one report did not cover


@dataclass(frozen=True)
class ReportDiff:
    old: str
    new: str
    settings: list[str]  # what differs between the two runs' settings, in words
    counts: dict[str, dict[str, int]]  # rule -> direction -> changes
    changes: list[Change]
    only_in_old: list[tuple[str, str]]
    only_in_new: list[tuple[str, str]]
    matched_by: str
    notes: list[str]

    @property
    def newly_breaching(self) -> int:
        return sum(c.get("newly_breaching", 0) for c in self.counts.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "kind": "report_diff",
            "old": self.old,
            "new": self.new,
            "settings_differ": self.settings,
            "matched_by": self.matched_by,
            "counts": self.counts,
            "changes": [
                {
                    "file": c.file,
                    "engagement_id": c.engagement_id,
                    "rule_id": c.rule_id,
                    "from": c.before,
                    "to": c.after,
                    "directions": list(c.directions),
                    **({"only_in": c.only_in} if c.only_in else {}),
                }
                for c in self.changes
            ],
            "engagements_only_in_old": [
                {"file": f, "engagement_id": e} for f, e in self.only_in_old
            ],
            "engagements_only_in_new": [
                {"file": f, "engagement_id": e} for f, e in self.only_in_new
            ],
            "notes": self.notes,
        }


def read_report(path: Path) -> _Report:
    try:
        data = json.loads(read_bounded(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(
            f"{path}: not a JSON report of agency-check (write one with --format json)"
        ) from None
    if not isinstance(data, dict) or "findings" not in data or "summary" not in data:
        kind = data.get("kind") if isinstance(data, dict) else None
        raise InputError(
            f"{path}: not a check report of agency-check"
            + (f" but a {str(kind).replace('_', ' ')}" if kind else "")
            + "; diff compares two reports of `agency-check FILE --format json`"
        )
    try:
        return _Report.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {where}: {first['msg']}") from None


def directions(before: str, after: str) -> tuple[str, ...]:
    """Every direction a change of outcome goes: breach to unknown is no longer breaching and newly unknown."""
    found = []
    for outcome, gained, lost in (
        (BREACH, "newly_breaching", "no_longer_breaching"),
        (UNKNOWN, "newly_unknown", "no_longer_unknown"),
        (WAIVED, "newly_waived", "no_longer_waived"),
    ):
        if after == outcome and before != outcome:
            found.append(gained)
        if before == outcome and after != outcome:
            found.append(lost)
    return tuple(found)


def _exports(report: _Report) -> list[str]:
    files = [c.file for c in report.checked_engagements]
    return files or sorted({f.file or "" for f in report.findings})


def _settings(old: _Report, new: _Report) -> list[str]:
    said = []
    if old.ruleset != new.ruleset:
        said.append(f"ruleset: {old.ruleset} -> {new.ruleset}")
    if old.overlays != new.overlays:
        said.append(
            f"overlays: {', '.join(old.overlays) or 'none'} -> {', '.join(new.overlays) or 'none'}"
        )
    only_old = sorted(set(old.summary.by_rule) - set(new.summary.by_rule))
    only_new = sorted(set(new.summary.by_rule) - set(old.summary.by_rule))
    if only_old:
        said.append(f"rules checked only in the old report: {', '.join(only_old)}")
    if only_new:
        said.append(f"rules checked only in the new report: {', '.join(only_new)}")
    if old.as_of != new.as_of:
        said.append(f"as of: {old.as_of or 'each start date'} -> {new.as_of or 'each start date'}")
    kinds = sorted({i.kind for i in [*old.inputs, *new.inputs]})
    for kind in kinds:
        if kind == "ruleset" and old.ruleset != new.ruleset:
            continue  # said already
        before = sorted((Path(i.path).name, i.sha256) for i in old.inputs if i.kind == kind)
        after = sorted((Path(i.path).name, i.sha256) for i in new.inputs if i.kind == kind)
        if before != after:
            names = [", ".join(n for n, _ in side) or "none" for side in (before, after)]
            same_names = [n for n, _ in before] == [n for n, _ in after]
            said.append(
                f"{kind}: {names[0]} -> {names[1]}"
                + (" (same names, other contents)" if same_names else "")
            )
    return said


def compare(old_path: Path, new_path: Path) -> ReportDiff:
    old, new = read_report(old_path), read_report(new_path)
    old_files, new_files = _exports(old), _exports(new)
    if len(old_files) == 1 and len(new_files) == 1 and old_files != new_files:
        matched_by = "engagement id (one export each, under other names)"

        def key(file: str | None, engagement_id: str) -> tuple[str, str]:
            return ("", engagement_id)
    elif sorted(old_files) == sorted(new_files):
        matched_by = "file and engagement id"

        def key(file: str | None, engagement_id: str) -> tuple[str, str]:
            return (file or "", engagement_id)
    else:
        matched_by = "file name and engagement id"

        def key(file: str | None, engagement_id: str) -> tuple[str, str]:
            return (Path(file or "").name, engagement_id)

    def outcomes(report: _Report) -> dict[tuple[str, str], dict[str, str]]:
        found: dict[tuple[str, str], dict[str, str]] = {}
        for f in report.findings:
            found.setdefault(key(f.file, f.engagement_id), {})[f.rule_id] = f.outcome
        return found

    def covered(report: _Report) -> dict[tuple[str, str], str] | None:
        if not report.checked_engagements:
            return None
        return {
            key(c.file, e): c.file for c in report.checked_engagements for e in c.engagement_ids
        }

    before, after = outcomes(old), outcomes(new)
    old_cover, new_cover = covered(old), covered(new)
    only_old = sorted(k for k in old_cover if k not in new_cover) if old_cover and new_cover else []
    only_new = sorted(k for k in new_cover if k not in old_cover) if old_cover and new_cover else []
    files = {**(old_cover or {}), **(new_cover or {})}
    changes = []
    counts: dict[str, Counter[str]] = {}
    for engagement in sorted(set(before) | set(after)):
        rules = sorted(set(before.get(engagement, {})) | set(after.get(engagement, {})))
        for rule in rules:
            was = before.get(engagement, {}).get(rule, ABSENT)
            now = after.get(engagement, {}).get(rule, ABSENT)
            if was == now:
                continue
            ways = directions(was, now)
            counts.setdefault(rule, Counter()).update(ways)
            changes.append(
                Change(
                    files.get(engagement, engagement[0]),
                    engagement[1],
                    rule,
                    was,
                    now,
                    ways,
                    "old" if engagement in only_old else "new" if engagement in only_new else None,
                )
            )
    changes.sort(
        key=lambda c: (
            0 if "newly_breaching" in c.directions else 1,
            c.rule_id,
            c.file,
            c.engagement_id,
        )
    )
    return ReportDiff(
        str(old_path),
        str(new_path),
        _settings(old, new),
        {rule: {d: counts[rule][d] for d in DIRECTIONS} for rule in sorted(counts)},
        changes,
        [(files.get(k, k[0]), k[1]) for k in only_old],
        [(files.get(k, k[0]), k[1]) for k in only_new],
        matched_by,
        (
            ["the two reports are the same file: nothing can have changed"]
            if old_path.resolve() == new_path.resolve()
            else []
        )
        + [
            f"{quote(str(path))} lists no checked engagements (a report of an earlier version), so an "
            "engagement in only one report cannot be told from one with no finding"
            for path, report in ((old_path, old), (new_path, new))
            if not report.checked_engagements
        ],
    )
