"""Evaluation: every rule of the chosen ruleset and overlays over the whole engagements frame at once.

Per rule: its parameters in force (columns), its scope (a three-valued expression), its check (an
expression from its check kind (checks.py)), the regime's applicability and waivers give one outcome column.
Counts come from the outcome columns; messages and evidence are evaluated only for the findings
that are reported (breach, unknown, waived), and for the reasons a rule was not evaluated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

import polars as pl

from ..domain import (
    BREACH,
    NOT_APPLICABLE,
    NOT_EVALUATED,
    OUTCOMES,
    PASS,
    REPORTED,
    UNKNOWN,
    WAIVED,
)
from ..inputs.columns import SOURCE_ROW
from ..inputs.waivers import NONE, SignOffs
from ..messages import phrase
from ..regions import council_names
from ..tomlfiles import RuleFileError
from .cap_lookup import with_cap_words, with_caps
from .checks import CAP_CHECKS, CHECKS, Verdict
from .context import DAY, Context
from .notices import Notice, NoticeKind, NoticeReason
from .parameters import Parameters, layers_of, parameters
from .rulebook import Overlay, Ruleset, RuleSpec, rules_in_run
from .scope import in_scope, scope_decision, scope_words, subject_to_regime
from .signoffs import NOTHING, Matched, match_sign_offs
from .upcoming import (
    UPCOMING_SCHEMA,
    caps_changing,
    cooling_off_closing,
    statutory_rules_apply,
    waivers_expiring,
)
from .words import iso

E = pl.col
SUBJECT = "__subject"
OUTCOME = pl.Enum(OUTCOMES)
SLICE = 50_000  # findings a slice of the report is built for: 100,000 held 130 MiB more at a million-row run's peak
FINDING_SCHEMA = {
    name: pl.Int64 if name in ("row", SOURCE_ROW) else pl.String
    for name in (
        "engagement_id",
        "row",
        "rule_id",
        "outcome",
        "severity",
        "message",
        "evidence",
        "source",
        "worker_id",
        "la_code",
        "council",
        "agency",
        "role",
        "start_date",
        "end_date",
        "file",
        SOURCE_ROW,
    )
}


class Evaluation:
    """Outcome counts by rule and notices; findings (one row each, evidence as JSON text) built on demand from the outcome frame.

    A renderer that writes every finding takes them a slice of engagements at a time, so memory does
    not grow with the number of findings; `findings` gathers them all, for the API.
    """

    def __init__(
        self,
        counts: dict[str, dict[str, int]],
        notices: list[Notice],
        engagements_with_breaches: int,
        rows: int,
        build: Callable[..., pl.DataFrame],
        outcomes: pl.DataFrame,
    ) -> None:
        self.counts = counts
        self.notices = notices
        self.engagements_with_breaches = engagements_with_breaches
        self.rows = rows
        self._build = build
        self._outcomes = outcomes  # la_code, agency and each rule's outcome, for every engagement reported on (columns of the evaluated frame)
        self._all: pl.DataFrame | None = None
        self.upcoming: pl.DataFrame | None = (
            None  # events inside the horizon, when one was asked for
        )

    @classmethod
    def of_findings(
        cls,
        findings: pl.DataFrame,
        counts: dict[str, dict[str, int]],
        notices: list[Notice] | None = None,
    ) -> Evaluation:
        """An evaluation as plain data: findings already made (one row each, in FINDING_SCHEMA's columns), with the
        counts they come from; what a renderer needs, with no engine behind it (a report read back, a literal one)."""
        frame = findings.with_columns(
            pl.struct("file", "engagement_id")
            .rank("dense")
            .cast(pl.Int64)
            .sub(1)
            .alias("__engagement")
        ).sort("__engagement", "rule_id")
        rows = int(frame["__engagement"].max() + 1) if frame.height else 0  # type: ignore[operator]

        def build(
            start: int,
            length: int,
            rule_id: str | None,
            outcome: str | None,
            limit: int,
            by: str | None = None,
        ) -> pl.DataFrame:
            part = frame.filter(pl.col("__engagement").is_between(start, start + length - 1))
            if rule_id is not None:
                part = part.filter((pl.col("rule_id") == rule_id) & (pl.col("outcome") == outcome))
            if limit > 0:
                part = (
                    part.filter(pl.int_range(pl.len()).over(by) < limit) if by else part.head(limit)
                )
            return part.drop("__engagement")

        outcomes = (
            frame.pivot(
                "rule_id",
                index=["__engagement", "la_code", "agency"],
                values="outcome",
                aggregate_function="first",
            )
            .rename(
                {rule_id: f"{rule_id}.outcome" for rule_id in counts if rule_id in frame["rule_id"]}
            )
            .drop("__engagement")
            if frame.height
            else pl.DataFrame(schema={"la_code": pl.String, "agency": pl.String})
        )
        outcomes = outcomes.with_columns(  # a rule with no finding for an engagement was met by it
            pl.col(f"{rule_id}.outcome").fill_null(PASS)
            if f"{rule_id}.outcome" in outcomes.columns
            else pl.lit(PASS).alias(f"{rule_id}.outcome")
            for rule_id in counts
        )
        breached = frame.filter(pl.col("outcome") == BREACH)["__engagement"].n_unique()
        return cls(counts, notices or [], breached, rows, build, outcomes)

    @property
    def outcomes(self) -> pl.DataFrame:
        """Every reported engagement's outcome of every rule (`RULE.outcome`), passes too, in the order they were checked."""
        return self._outcomes

    def finding_slices(self, rows: int | None = None) -> Iterator[pl.DataFrame]:
        """Every finding, in row and rule order, built for `rows` engagements at a time: by default as many as give about
        SLICE findings, so a run with few findings takes one or two slices and one with many stays small in memory."""
        reported = sum(counts[o] for counts in self.counts.values() for o in REPORTED)
        size = rows or max(1, self.rows * SLICE // reported if reported > SLICE else self.rows)
        for start in range(0, max(self.rows, 1), size):
            yield self._build(start, size, None, None, 0)

    @property
    def findings(self) -> pl.DataFrame:
        if self._all is None:
            self._all = pl.concat(list(self.finding_slices()))
        return self._all

    def findings_of(self, rule_id: str, outcome: str, limit: int) -> pl.DataFrame:
        """The first `limit` findings of one rule and outcome (all if 0), without building the others."""
        return self._build(0, self.rows, rule_id, outcome, limit)

    def findings_by(self, rule_id: str, outcome: str, limit: int, column: str) -> pl.DataFrame:
        """The first `limit` findings of one rule and outcome for each value of `column` (a council, an agency), built in one
        pass: a query per value made the grouped report cost agencies x engagements."""
        return self._build(0, self.rows, rule_id, outcome, limit, column)

    def counts_by(self, column: str) -> dict[str | None, dict[str, dict[str, int]]]:
        """Reported outcomes by rule for each value of `column`, in one group_by."""
        if not self.counts:
            return {}
        totals = self._outcomes.group_by(column).agg(
            (E(f"{rule_id}.outcome") == o).sum().alias(f"{rule_id}|{o}")
            for rule_id in self.counts
            for o in REPORTED
        )
        return {
            row[column]: {
                rule_id: {o: int(row[f"{rule_id}|{o}"]) for o in REPORTED}
                for rule_id in self.counts
            }
            for row in totals.iter_rows(named=True)
        }

    def values_of(self, column: str) -> list[str | None]:
        """The distinct values of a column among engagements with a reported finding, for grouping."""
        columns = [c for c in self._outcomes.columns if c.endswith(".outcome")]
        reported = (
            self._outcomes.lazy().filter(pl.any_horizontal(E(c).is_in(REPORTED) for c in columns))
            if columns
            else self._outcomes.lazy().clear()
        )
        return (
            reported.select(E(column).unique().sort(nulls_last=True))
            .collect()
            .to_series()
            .to_list()
        )


@dataclass(frozen=True)
class Selection:
    """What a run reports: the rules named (all if none), and the engagements an expression picks (all if None).

    Every engagement is still evaluated, so a past role recorded on a row outside the selection
    still counts for cooling-off.
    """

    rules: tuple[str, ...] = ()
    engagements: pl.Expr | None = None
    described: str = ""
    councils: tuple[str, ...] = ()  # the LA codes --council names


@dataclass(frozen=True)
class Plan:
    spec: RuleSpec
    region: str | None
    verdict: Verdict
    scope: pl.Expr
    outcome: pl.Expr
    parameters: Parameters


class Engine:
    """The chosen ruleset and overlays; `evaluate` runs them over a frame of valid engagements."""

    def __init__(
        self,
        ruleset: Ruleset,
        overlays: list[Overlay],
        context: Context,
        sign_offs: SignOffs = NONE,
        as_of: date | None = None,
        selection: Selection | None = None,
        reference_day: date | None = None,
        horizon: int | None = None,
    ) -> None:
        """`as_of` reads every parameter on that day instead of each engagement's start; `reference_day` is the day
        waivers are judged on (their approval and expiry)."""
        self.ruleset = ruleset
        self.overlays = overlays
        self.context = context
        self.sign_offs = sign_offs
        self.matched: Matched = NOTHING
        self.as_of = as_of
        self.reference_day = reference_day
        self.horizon = (
            horizon  # days after the reference day to look for upcoming events; None: none
        )
        self.floor = ruleset.ruleset.effective_from
        self.rules = rules_in_run(
            ruleset,
            overlays,
            frozenset({"contracts"}) if context.contracts is not None else frozenset(),
        )
        self.uses_contracts = any(spec.needs == "contracts" for spec, _, _ in self.rules)
        self.uses_caps = any(
            spec.check in CAP_CHECKS or spec.applies.earlier_if_running_on_caps_existing_from
            for spec, _, _ in self.rules
        )
        self.selection = selection or Selection()
        unknown = sorted(set(self.selection.rules) - {spec.id for spec, _, _ in self.rules})
        if unknown:
            raise RuleFileError(
                f"--rule {', '.join(unknown)}: no such rule in {ruleset.ruleset.id}; the rules are {', '.join(spec.id for spec, _, _ in self.rules)}"
            )

    def rules_reading(self) -> dict[str, list[str]]:
        """Engagement column → the rules that read it (its check's columns, and those its scope looks at), for saying what a missing column costs."""
        reading: dict[str, list[str]] = {}
        for spec, _, region in self.rules:
            for column in set(CHECKS[spec.check].reads) | set(
                in_scope(spec.applies, region).meta.root_names()
            ):
                reading.setdefault(column, []).append(spec.id)
        return {column: sorted(rules) for column, rules in reading.items()}

    def _frame(self, engagements: pl.DataFrame) -> tuple[pl.LazyFrame, Context]:
        """The frame the checks build on, and the context with the engagements as they were before any check."""
        reference = pl.lit(self.as_of, pl.Date) if self.as_of else E("start_date")
        base = (
            engagements.lazy()
            .with_row_index("__i")
            .with_columns(
                pl.max_horizontal(reference, pl.lit(self.floor, pl.Date)).alias(DAY),
                subject_to_regime(self.ruleset.ruleset.applicability).alias(SUBJECT),
            )
            .collect()
        )
        if self.reference_day is not None:
            self.matched = match_sign_offs(
                base,
                self.sign_offs,
                {spec.id: spec.waiver_approvers for spec, _, _ in self.rules},
                self.reference_day,
            )
        # each look-up's result is attached before the next is planned: the checks' plans built on the look-ups' plans,
        # not on their results, ran parts of them twice or three times (a million rows: the rules 1.03 -> 0.86 s, and
        # 1.81 -> 0.95 s with contracts)
        frame = base.lazy()
        if self.uses_caps:
            existing = any(
                spec.applies.earlier_if_running_on_caps_existing_from for spec, _, _ in self.rules
            )
            frame = with_caps(frame, self.context.caps, existing).collect().lazy()
        if self.uses_contracts and self.context.contracts is not None:
            from .contract_book import (
                with_contracts,  # only a run with contracts loads their models
            )

            frame = with_contracts(frame, self.context.contracts).collect().lazy()
        return frame, replace(self.context, engagements=base.lazy())

    def _plans(self, frame: pl.LazyFrame, context: Context) -> tuple[pl.LazyFrame, list[Plan]]:
        """Each selected rule's verdict, scope and outcome as expressions over the frame (with the columns its check adds)."""
        plans = []
        for spec, origin, region in self.rules:
            if self.selection.rules and spec.id not in self.selection.rules:
                continue
            layers = layers_of(spec, origin, self.overlays if region is None else [])
            params = parameters(spec, layers, self.floor)
            frame, verdict = CHECKS[spec.check].build(frame, params.values, context, f"{spec.id}.")
            scope = in_scope(spec.applies, region)
            outcome = (
                pl.when(~E(SUBJECT) | ~scope)
                .then(pl.lit(NOT_APPLICABLE))
                .when(params.lacking)
                .then(pl.lit(NOT_EVALUATED))
                .when(scope.is_null() & (verdict.outcome == BREACH))
                .then(pl.lit(UNKNOWN))
                .otherwise(verdict.outcome)
            ).cast(OUTCOME)
            valid = self.matched.waived.get(spec.id)
            if valid is not None and valid.len():
                outcome = (
                    pl.when((outcome == BREACH) & E("__i").is_in(valid.implode()))
                    .then(pl.lit(WAIVED, OUTCOME))
                    .otherwise(outcome)
                )
            plans.append(Plan(spec, region, verdict, scope, outcome, params))
        return frame, plans

    def judge(self, engagements: pl.DataFrame) -> pl.DataFrame:
        """Every selected rule's outcome for every row, with its message and evidence whatever the outcome: how a contract's
        rate line, put as an engagement starting on each day it covers, gets the very answer an engagement would."""
        frame, plans = self._plans(*self._frame(engagements))
        worded = self._worded(frame)
        parts = [
            worded.select(
                E("__i"),
                pl.lit(plan.spec.id).alias("rule_id"),
                plan.outcome.cast(pl.String).alias("outcome"),
                pl.coalesce(plan.parameters.unresolved, plan.verdict.message).alias("message"),
                pl.struct([value.alias(key) for key, value in plan.verdict.evidence.items()])
                .struct.json_encode()
                .alias("evidence"),
            )
            for plan in plans
        ]
        return pl.concat(pl.collect_all(parts)) if parts else pl.DataFrame()

    def explain(self, engagements: pl.DataFrame, pick: pl.Expr) -> pl.DataFrame:
        """Every selected rule's outcome for the rows `pick` selects, passes and not-applicables too, each with why:
        the finding's message and evidence, or the scope or configuration that kept the rule from it."""
        frame, plans = self._plans(*self._frame(engagements))
        done = (
            frame.with_columns(p.outcome.alias(f"{p.spec.id}.outcome") for p in plans)
            .filter(pick)
            .collect()
        )
        parts = [self._findings(done, order, plan, every=True) for order, plan in enumerate(plans)]
        if not parts:
            return pl.DataFrame(schema=FINDING_SCHEMA)
        return pl.concat(pl.collect_all(parts)).sort("__i", "__order").drop("__i", "__order")

    def evaluate(self, engagements: pl.DataFrame) -> Evaluation:
        frame, plans = self._plans(*self._frame(engagements))
        frame = frame.with_columns(p.outcome.alias(f"{p.spec.id}.outcome") for p in plans)
        # without common-subexpression caching: the cached parts of every rule's outcome, held until the last is done,
        # were 190 MiB of a million-row run's peak, and saved 0.1 s of its 4.5 s
        done = frame.collect(optimizations=pl.QueryOptFlags(comm_subexpr_elim=False))
        if self.selection.engagements is not None:
            done = done.filter(self.selection.engagements)
        counts = {}
        for plan in plans:
            seen = dict(done[f"{plan.spec.id}.outcome"].value_counts().iter_rows())
            counts[plan.spec.id] = {o: int(seen.get(o, 0)) for o in OUTCOMES}
        breached = (
            int(
                done.select(
                    pl.any_horizontal(E(f"{p.spec.id}.outcome") == BREACH for p in plans).sum()
                ).item()
            )
            if plans
            else 0
        )
        reported = [
            (order, plan)
            for order, plan in enumerate(plans)
            if any(counts[plan.spec.id][o] for o in REPORTED)
        ]
        reasons = [
            (kind, plan.spec.id, query)
            for plan in plans
            for kind, query in self._reasons(done, plan, counts[plan.spec.id])
        ]
        ranked = pl.collect_all([query for _, _, query in reasons]) if reasons else []
        notices = [
            notice(rule_id, kind, frame)
            for wanted in ("not_evaluated", "data_warning")
            for (kind, rule_id, _), frame in zip(reasons, ranked)
            if kind == wanted and frame.height
        ]

        def build(
            start: int,
            length: int,
            rule_id: str | None,
            outcome: str | None,
            limit: int,
            by: str | None = None,
        ) -> pl.DataFrame:
            """Findings of `length` engagements from `start`; of one rule and outcome, and at most `limit` of each rule (of each
            value of `by`), if asked."""
            part = done.slice(start, length)
            queries = [
                self._findings(part, order, plan, outcome, limit, by)
                for order, plan in reported
                if rule_id in (None, plan.spec.id)
            ]
            if not queries:
                return pl.DataFrame(schema=FINDING_SCHEMA)
            return pl.concat(pl.collect_all(queries)).sort("__i", "__order").drop("__i", "__order")

        # lazily: polars 2.1's eager select of these columns from the wide evaluated frame held ~400 MiB more on a 1M-row run
        outcomes = (
            done.lazy()
            .select("la_code", "agency", *(f"{p.spec.id}.outcome" for p in plans))
            .collect()
        )
        evaluation = Evaluation(counts, notices, breached, done.height, build, outcomes)
        evaluation.upcoming = self._upcoming(done, plans)
        return evaluation

    def _upcoming(self, done: pl.DataFrame, plans: list[Plan]) -> pl.DataFrame | None:
        """Dated events from the reference day to `horizon` days after it, soonest first; None without a horizon."""
        if self.horizon is None or self.reference_day is None:
            return None
        first, last = self.reference_day, self.reference_day + timedelta(days=self.horizon)
        parts = [statutory_rules_apply(done, self.ruleset.ruleset.applicability, first, last)]
        for plan in plans:
            rule_id = plan.spec.id
            words = self.matched.words.get(rule_id)
            if words is not None:
                waived = done.filter(E(f"{rule_id}.outcome") == WAIVED)
                parts.append(waivers_expiring(waived, rule_id, words, first, last))
            if plan.spec.check == "pay_cap" and self.context.caps:
                parts.append(caps_changing(done, self.context.caps, rule_id, first, last))
            if "allowed_from" in plan.verdict.evidence:
                allowed = plan.verdict.evidence["allowed_from"]
                parts.append(cooling_off_closing(done, rule_id, allowed, first, last))
        return (
            pl.concat([p.select(list(UPCOMING_SCHEMA)).cast(UPCOMING_SCHEMA) for p in parts])
            .sort("date", "__i", "kind", "rule_id", nulls_last=True)
            .drop("__i")
        )

    def _worded(self, rows: pl.LazyFrame) -> pl.LazyFrame:
        """Rows with their cap's and their contract's words, where a rule looked them up."""
        rows = with_cap_words(rows, self.context.caps) if self.uses_caps else rows
        if not self.uses_contracts or self.context.contracts is None:
            return rows
        from .contract_book import (
            with_contract_words,
        )  # only a run with contracts loads their models

        return with_contract_words(rows, self.context.contracts)

    def _findings(
        self,
        done: pl.DataFrame,
        order: int,
        plan: Plan,
        only: str | None = None,
        limit: int = 0,
        by: str | None = None,
        every: bool = False,
    ) -> pl.LazyFrame:
        """One rule's reported findings (or only those of one outcome, the first `limit` if > 0, of each value of `by` if
        given; or, `every`, each row's outcome whatever it is, with why it is not applicable or not evaluated), messages
        and evidence built for those alone."""
        spec = plan.spec
        outcome = E(f"{spec.id}.outcome")
        rows = done.lazy()
        if not every:
            rows = rows.filter(outcome == only if only else outcome.is_in(REPORTED))
        if limit > 0:
            rows = rows.filter(pl.int_range(pl.len()).over(by) < limit) if by else rows.head(limit)
        message = plan.verdict.message
        if spec.applies != type(spec.applies)():
            message = (
                pl.when(plan.scope.is_null() & (plan.verdict.outcome == BREACH))
                .then(
                    phrase(
                        "{}; this applies only if {}, which is not recorded",
                        message,
                        scope_words(spec.applies),
                    )
                )
                .otherwise(message)
            )
        if every:
            message = (
                pl.when(outcome == NOT_APPLICABLE)
                .then(
                    phrase(
                        "not applicable: {}",
                        pl.coalesce(
                            scope_decision(
                                spec.applies, plan.region, self.ruleset.ruleset.applicability
                            ),
                            pl.lit("outside the rule's scope"),
                        ),
                    )
                )
                .when(outcome == NOT_EVALUATED)
                .then(phrase("not evaluated: {}", pl.coalesce(plan.parameters.unresolved, message)))
                .when(
                    outcome == PASS
                )  # a check words its breach; a pass meets what the rule requires
                .then(self._met(plan))
                .otherwise(message)
            )
        evidence = (
            pl.struct([value.alias(key) for key, value in plan.verdict.evidence.items()])
            .struct.json_encode()
            .str.strip_suffix("}")
        )
        words = self.matched.words.get(spec.id)
        if words is not None:
            rows = rows.join(words.lazy(), on="__i", how="left")
            signed = outcome.is_in([BREACH, WAIVED])
            message = phrase(
                "{}{}{}",
                message,
                pl.when(signed).then(E("waiver_message").fill_null("")).otherwise(pl.lit("")),
                E("explained_message").fill_null(""),
            )
            evidence = phrase(
                "{}{}{}",
                evidence,
                pl.when(signed).then(E("waiver_evidence").fill_null("")).otherwise(pl.lit("")),
                E("explained_evidence").fill_null(""),
            )
        evidence = phrase(
            '{},"parameters":{},"parameters_as_of":"{}"}',
            evidence,
            plan.parameters.evidence,
            iso(E(DAY)),
        )
        return self._worded(rows).select(
            E("engagement_id"),
            E("row"),
            pl.lit(spec.id).alias("rule_id"),
            outcome.cast(pl.String).alias("outcome"),
            pl.lit(spec.severity).alias("severity"),
            message.alias("message"),
            evidence.alias("evidence"),
            pl.lit(spec.source).alias("source"),
            E("worker_id"),
            E("la_code"),
            E("la_code").replace_strict(council_names(), return_dtype=pl.String).alias("council"),
            E("agency"),
            E("role"),
            iso(E("start_date")).alias("start_date"),
            iso(E("end_date")).alias("end_date"),
            E("file"),
            E(SOURCE_ROW),
            E("__i"),
            pl.lit(order).alias("__order"),
        )

    @staticmethod
    def _met(plan: Plan) -> pl.Expr:
        """A pass in words: the check's own where it words its passes, else that the rule is met (the rule's fixed wording
        would contradict an overlay's value); and any data warning."""
        met = (
            pl.lit(
                "meets the rule (the values compared and the parameters in force are in the evidence)"
            )
            if plan.verdict.passed is None
            else phrase("meets the rule: {}", plan.verdict.passed)
        )
        if plan.verdict.warning is None:
            return met
        return phrase(
            "{}{}",
            met,
            pl.when(plan.verdict.warning.is_not_null())
            .then(phrase("; note: {}", plan.verdict.warning))
            .otherwise(pl.lit("")),
        )

    def _reasons(
        self, done: pl.DataFrame, plan: Plan, counts: dict[str, int]
    ) -> list[tuple[NoticeKind, pl.LazyFrame]]:
        """Why a rule was not evaluated, and data warnings on passes: each reason with its count, most frequent first."""
        spec = plan.spec
        outcome = E(f"{spec.id}.outcome")
        sources: list[tuple[NoticeKind, pl.Expr, pl.Expr]] = []
        if counts[NOT_EVALUATED]:
            sources.append(
                (
                    "not_evaluated",
                    outcome == NOT_EVALUATED,
                    pl.coalesce(plan.parameters.unresolved, plan.verdict.message),
                )
            )
        if plan.verdict.warning is not None and counts[PASS]:
            sources.append(
                (
                    "data_warning",
                    (outcome == PASS) & plan.verdict.warning.is_not_null(),
                    plan.verdict.warning,
                )
            )
        return [
            (
                kind,
                self._worded(done.lazy().filter(condition))
                .group_by(reason.alias("message"))
                .agg(
                    pl.len().alias("count"),
                    E("engagement_id").sort().head(NAMED).alias("engagements"),
                )
                .sort(["count", "message"], descending=[True, False]),
            )
            for kind, condition, reason in sources
        ]


def notice(rule_id: str, kind: NoticeKind, ranked: pl.DataFrame) -> Notice:
    """A rule's reasons for not evaluating, or its data warnings, most frequent first; a warning names its engagements."""
    reasons = [
        NoticeReason(message=m, count=int(n), engagements=ids) for m, n, ids in ranked.iter_rows()
    ]
    count = sum(r["count"] for r in reasons)
    named = reasons[0]["engagements"]
    which = (
        f"; engagement(s) {', '.join(named)}{' and more' if count > len(named) else ''}"
        if kind == "data_warning"
        else ""
    )
    if kind == "not_evaluated" and 1 < len(reasons) <= LISTED:
        message = "; ".join(
            f"{r['message']} ({r['count']} engagement{'s' if r['count'] > 1 else ''})"
            for r in reasons
        )
    else:
        message = (
            reasons[0]["message"]
            + which
            + (f" (and {len(reasons) - 1} other reason(s))" if len(reasons) > 1 else "")
        )
    return {
        "rule_id": rule_id,
        "count": count,
        "message": message,
        "kind": kind,
        "reasons": reasons,
    }


LISTED = 5  # reasons a notice lists each by name (a framework not among the contracts, say) before it names only the commonest


NAMED = 10  # engagements a notice names
