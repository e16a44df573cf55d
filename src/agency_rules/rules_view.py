"""`agency-check rules`: the rules' own metadata, printed from the TOML, parameters by date."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .engine.rulebook import Applies, DatedValue, Overlay, Ruleset, RuleSpec
from .renderers.printable import printable
from .renderers.terminal import show_table


def list_rules(console: Console, ruleset: Ruleset, overlays: list[Overlay]) -> None:
    header = ruleset.ruleset
    console.print(
        Text.assemble(
            (printable(header.id), "bold"),
            printable(f": {header.title}\n{header.status}\nSource: {header.source}"),
        )
    )
    table = Table()
    for name in ("id", "title", "source", "set by"):
        table.add_column(name)
    changed = {c.rule: o.overlay.id for o in overlays for c in o.change}
    for rule in ruleset.rule:
        set_by = (
            header.id
            + (f" + {changed[rule.id]}" if rule.id in changed else "")
            + (" (runs only with --contracts)" if rule.needs == "contracts" else "")
        )
        table.add_row(*map(printable, (rule.id, rule.title, rule.source, set_by)))
    for overlay in overlays:
        for rule in overlay.rule:
            table.add_row(
                *map(
                    printable,
                    (
                        rule.id,
                        rule.title,
                        rule.source,
                        f"overlay {overlay.overlay.id} ({overlay.overlay.region})",
                    ),
                )
            )
    show_table(console, table)
    console.print("`agency-check rules RULE_ID` explains one rule.")


def _applies_words(applies: Applies) -> list[str]:
    words = []
    if applies.qualified_on_or_after:
        words.append(
            f"workers who qualified on or after {applies.qualified_on_or_after.isoformat()}"
        )
    if applies.qualified_overseas is not None:
        words.append(
            "workers who qualified outside the UK"
            if applies.qualified_overseas
            else "workers who qualified in the UK"
        )
    if applies.engagement_type:
        words.append(f"engagements of type {applies.engagement_type}")
    if applies.offered_on_or_after:
        words.append(f"engagements offered on or after {applies.offered_on_or_after.isoformat()}")
    if applies.started_on_or_after:
        extra = (
            ", and earlier ones still running on a caps file's existing_from day"
            if applies.earlier_if_running_on_caps_existing_from
            else ""
        )
        words.append(
            f"engagements starting on or after {applies.started_on_or_after.isoformat()}{extra}"
        )
    if applies.min_assignment_months:
        words.append(
            f"assignments of {applies.min_assignment_months} months or longer (open-ended, or ending on or after start + {applies.min_assignment_months} months - 1 day)"
        )
    if applies.roles:
        words.append("roles " + ", ".join(applies.roles))
    if applies.framework == "named":
        words.append("engagements whose framework is recorded")
    if applies.framework == "among_contracts":
        words.append("engagements whose framework names one of the contracts given (--contracts)")
    return words


def _value_line(item: DatedValue, floor: str, set_by: str) -> list[str]:
    start = item.from_.isoformat() if item.from_ else f"{floor} (ruleset start)"
    value = item.value if item.unset is None else f"no figure: {item.unset}"
    return [start, f"to {item.to.isoformat()}" if item.to else "open-ended", str(value), set_by]


def explain_rule(console: Console, ruleset: Ruleset, overlays: list[Overlay], rule_id: str) -> bool:
    found: tuple[RuleSpec, str] | None = None
    for rule in ruleset.rule:
        if rule.id == rule_id:
            found = (rule, f"ruleset {ruleset.ruleset.id}")
    for overlay in overlays:
        for rule in overlay.rule:
            if rule.id == rule_id:
                found = (rule, f"overlay {overlay.overlay.id} ({overlay.overlay.region} only)")
    if found is None:
        return False
    rule, origin = found
    console.print(
        Text.assemble(
            (rule.id, "bold"),
            printable(f" {rule.title}  "),
            (printable(f"({origin}, severity {rule.severity}, check {rule.check})"), "dim"),
        )
    )
    console.print(printable(f"Requires: {rule.requires}"))
    applies = _applies_words(rule.applies)
    console.print("Applies to: " + ("; ".join(applies) if applies else "every engagement"))
    if rule.needs == "contracts":
        console.print(
            "Runs only when contracts are given (--contracts FILE_OR_FOLDER); otherwise it is left out of the run."
        )
    header = ruleset.ruleset
    if header.applicability:
        a = header.applicability
        console.print(
            f"Regime: engagements offered on or after {a.new_offered_from.isoformat()}, "
            f"and earlier ones still running on {a.legacy_running_on.isoformat()}; others are not_applicable."
        )
    console.print(printable(f"Source: {rule.source}"))
    if rule.decision:
        console.print(printable(f"Decision: {rule.decision}"))
    if rule.waiver_approvers:
        console.print(
            "A breach may be waived with approval by: " + ", ".join(rule.waiver_approvers)
        )
    floor = header.effective_from.isoformat()
    if not rule.params:
        console.print("Parameters: none.")
        return True
    console.print(
        "Parameters by date (the value in force on an engagement's start date applies; 'to' is inclusive):"
    )
    for name, values in rule.params.items():
        lines = [_value_line(item, floor, origin) for item in values]
        for overlay in overlays:
            for change in overlay.change:
                if change.rule == rule.id and change.param == name:
                    where = f"overlay {overlay.overlay.id}, {overlay.overlay.region} only"
                    lines += [_value_line(item, floor, where) for item in change.values]
        for start, to, value, set_by in lines:
            console.print(printable(f"  {name} = {value}  from {start}, {to}  ({set_by})"))
    return True
