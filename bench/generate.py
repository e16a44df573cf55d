"""Synthetic engagements, history and caps in the data contract, deterministic by seed.

Councils are drawn in proportion to their agency headcount in the DfE statistics
(../shared/data), so a national file has London's and the North West's weight; most rows are
compliant, with breach rates of a few per cent per rule.

    python bench/generate.py --rows 100000 --out /tmp/agency-100k [--seed 1] [--region "South East"]
    python bench/generate.py --size national --out /tmp/agency-national

Sizes: a council's decade (one LA, ~1,000 rows), a region (~15,000), England over a decade
(~150,000) and the stress case (1,000,000 rows with 200,000 history rows).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from agency_rules.regions import local_authorities

STATISTICS = Path(__file__).resolve().parents[2] / "shared" / "data" / "csww_indicators_2017_to_2023.csv"
COLUMNS = (
    "engagement_id,worker_id,la_code,role,start_date,end_date,offer_date,agency,framework,engagement_type,"
    "team_workers_identified,team_costs_itemised,team_la_practice_control,qualified_date,qualified_overseas,pqe_years,"
    "asye_completed,notice_period_weeks,notice_reciprocal,la_substantive_notice_weeks,reference_received,"
    "reference_standard_template,references_count,employment_model,pay_rate,agency_fee,framework_fee,expenses_per_hour,"
    "previous_substantive_la,previous_substantive_end,previous_leaving_reason"
).split(",")
ROLES = (("social_worker", 60), ("senior_social_worker", 15), ("advanced_practitioner", 10), ("team_manager", 10), ("iro_cp_chair", 4), ("other", 1))
BASE_PAY = {"social_worker": 33, "senior_social_worker": 36, "advanced_practitioner": 39, "team_manager": 43, "iro_cp_chair": 41, "other": 30}
AGENCIES = ("Northdown Social Care", "Meridian Recruitment", "Oakfield Locums", "Pennine Social Work", "Thames Valley Staffing")
REASONS = (("resignation", 70), ("redundancy", 10), ("probation", 5), ("end_of_contract", 10), ("retirement", 5))
BREACHING = {  # values that breach PQE, ASYE, notice, references, caps and project teams (caps are write_caps's)
    "qualified_date": "2025-06-01", "pqe_years": "0", "asye_completed": "no", "notice_period_weeks": "2", "notice_reciprocal": "no",
    "reference_received": "no", "references_count": "0", "reference_standard_template": "no", "pay_rate": "99.00", "agency_fee": "9.00",
    "framework_fee": "2.00", "engagement_type": "project_team", "team_costs_itemised": "no",
}
SIZES = {
    "council": {"rows": 1_000, "council": "E10000016"},
    "region": {"rows": 15_000, "region": "South East"},
    "national": {"rows": 150_000},
    "stress": {"rows": 1_000_000, "history_rows": 200_000},
    "one-worker": {"rows": 10_000, "history_rows": 10_000, "region": "South East", "workers": 1},
    "all-breach": {"rows": 1_000_000, "all_breach": True},
}
FIRST_DAY = date(2019, 1, 1)
SPAN_DAYS = (date(2026, 6, 30) - FIRST_DAY).days


def agency_weights() -> dict[str, float]:
    """Agency headcount per LA code in the latest year; every LA at least 1 (joint returns split evenly)."""
    weights = {code: 1.0 for code in local_authorities()}
    if not STATISTICS.exists():
        return weights
    with STATISTICS.open(newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["geographic_level"] == "Local authority" and r["time_period"] == "2023"]
    for row in rows:
        codes = [c.strip() for c in row["new_la_code"].split("/")]
        try:
            headcount = float(row["agency_headcount"])
        except ValueError:
            continue
        for code in codes:
            if code in weights:
                weights[code] = max(1.0, headcount / len(codes))
    return weights


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def generate(
    rows: int, out: Path, seed: int = 1, region: str | None = None, history_rows: int | None = None, council: str | None = None,
    workers: int | None = None, all_breach: bool = False,
) -> None:
    """Synthetic engagements, history and caps.

    `workers` bounds the distinct workers (1: one worker with a long history); `all_breach` makes
    every engagement breach nearly every rule, so the findings outnumber the rows.
    """
    rng = random.Random(seed)
    las = local_authorities()
    weights = agency_weights()
    codes = [c for c in las if (region is None or las[c].region == region) and (council is None or c == council)]
    code_weights = [weights[c] for c in codes]
    by_region: dict[str, list[str]] = {}
    for code, la in las.items():
        by_region.setdefault(la.region, []).append(code)
    out.mkdir(parents=True, exist_ok=True)
    engaged: list[tuple[str, str, date]] = []
    with (out / "engagements.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        la_choices = rng.choices(codes, code_weights, k=rows)
        for index in range(rows):
            la = la_choices[index]
            role = pick(rng, ROLES)
            start = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
            end = None if rng.random() < 0.2 else start + relativedelta(months=rng.randint(1, 18)) - timedelta(days=1)
            offer = start - timedelta(days=rng.randint(0, 30)) if rng.random() < 0.7 else None
            new_graduate = rng.random() < 0.02
            qualified = start - timedelta(days=rng.randint(100, 700) if new_graduate else rng.randint(5 * 366, 30 * 365))
            pqe = max(0.0, round((start - qualified).days / 365.25 - rng.random(), 1))
            if workers:
                worker = f"SW{100_000 + rng.randint(1, workers)}"
            else:
                worker = f"SW{rng.randint(1, 999_999)}"  # registration numbers only: a run never mixes them with pseudonyms
            engaged.append((worker, la, start))
            team = rng.random() < 0.01
            previous = rng.random() < 0.1
            prev_la = rng.choice(by_region[las[la].region]) if previous else ""
            prev_end = start - timedelta(days=rng.randint(20, 400)) if previous else None
            model = rng.choice(("umbrella", "ltd", "paye"))
            references = 2 if rng.random() < 0.98 else rng.choice((0, 1))
            pay = round(BASE_PAY[role] + rng.uniform(-4, 1.6) - (2.0 if model == "paye" else 0.0), 2)
            record = [
                f"E-{seed}-{index}",
                worker,
                la,
                role,
                start.isoformat() if rng.random() < 0.5 else start.strftime("%d/%m/%Y"),
                end.isoformat() if end else "",
                offer.isoformat() if offer else "",
                rng.choice(AGENCIES),
                f"FW-{las[la].region[:2].upper()}-{rng.randint(1, 3)}",
                "project_team" if team else "individual",
                "yes" if team else "",
                ("yes" if rng.random() < 0.7 else "no") if team else "",
                "yes" if team else "",
                qualified.isoformat(),
                "yes" if rng.random() < 0.05 else "no",
                f"{pqe:g}" if rng.random() < 0.97 else "",
                "yes" if not new_graduate or rng.random() < 0.6 else "no",
                "6" if rng.random() < 0.985 else "4",
                "yes" if rng.random() < 0.99 else "no",
                str(rng.choice((4, 4, 8, 12))),
                "yes" if references else "no",
                "yes" if rng.random() < 0.98 else "no",
                str(references),
                model,
                f"{pay:.2f}",
                f"{rng.uniform(2.5, 4.55):.2f}",
                f"{rng.uniform(0.2, 0.765):.2f}",
                "0",
                prev_la,
                prev_end.isoformat() if prev_end else "",
                pick(rng, REASONS) if previous else "",
            ]
            if all_breach:
                record = [BREACHING.get(column, value) for column, value in zip(COLUMNS, record)]
            if rng.random() < 0.001:
                record[4] = "31/02/2025"
            writer.writerow(record)
    write_history(rng, out, engaged, history_rows if history_rows is not None else rows // 5, by_region, las)
    write_caps(out)
    write_contracts(out)


def write_history(rng: random.Random, out: Path, workers: list[tuple[str, str, date]], count: int, by_region: dict, las: dict) -> None:
    with (out / "history.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["worker_id", "la_code", "employment", "start_date", "end_date", "leaving_reason"])
        for _ in range(count):
            worker, la, start = rng.choice(workers)
            same_region = rng.random() < 0.7
            where = rng.choice(by_region[las[la].region]) if same_region else rng.choice(list(las))
            ended = start - timedelta(days=rng.randint(60, 1500))
            writer.writerow([worker, where, "substantive" if rng.random() < 0.8 else "agency", (ended - timedelta(days=rng.randint(200, 3000))).isoformat(), ended.isoformat(), pick(rng, REASONS)])


def write_caps(out: Path) -> None:
    """Synthetic caps for every region and the five job types: invented figures, marked as such."""
    lines = ["# SYNTHETIC FIGURES for benchmarks and tests; not any region's caps.\n"]
    for region in sorted({la.region for la in local_authorities().values()}):
        for role, base in BASE_PAY.items():
            if role == "other":
                continue
            lines.append(
                f'[[cap]]\nregion = "{region}"\nrole = "{role}"\neffective_from = 2019-01-01\npay_rate = {base + 1.5:.2f}\n'
                f'pay_rate_paye = {base - 0.5:.2f}\nagency_fee = 4.50\nframework_fee = 0.75\nsource = "synthetic"\n\n'
            )
    (out / "caps.toml").write_text("".join(lines), encoding="utf-8")


def write_contracts(out: Path) -> None:
    """Synthetic framework contracts for `--contracts`: FW-XX-1 and FW-XX-2 of each region prefix, compliant with the default ruleset,
    rate lines at write_caps's figures; FW-XX-3 is left out, so its engagements name a framework not among the contracts."""
    folder = out / "contracts"
    folder.mkdir(parents=True, exist_ok=True)
    regions: dict[str, list[str]] = {}
    for region in sorted({la.region for la in local_authorities().values()}):
        regions.setdefault(region[:2].upper(), []).append(region)
    for prefix, served in regions.items():
        for number in (1, 2):
            reference = f"FW-{prefix}-{number}"
            lines = [
                "# SYNTHETIC contract for benchmarks; not any real contract.\n[contract]\n",
                f'name = "{reference}"\nreference = "{reference}"\nroute = "framework"\nsupplier = "synthetic"\nregions = {json.dumps(served)}\nstart = 2019-01-01\n\n',
                "[clauses]\nbinds_supplier = true\nbinds_second_tier = true\nnotice_weeks = 6\nnotice_reciprocal = true\n"
                "references = { count = 2, practice_based = true, standard_template = true }\ncooling_off_months = 3\n"
                'cooling_off_exemptions = ["redundancy"]\nproject_teams = { supplied = false }\nquarterly_data_shared = true\n'
                'expenses_not_to_exceed_cap = true\ncap_breach_sign_off = ["director_of_childrens_services", "chief_executive"]\n\n',
            ]
            for region in served:
                for role, base in BASE_PAY.items():
                    for model in ("umbrella", "ltd", "paye"):
                        if role != "other":
                            pay = base - 0.5 if model == "paye" else base + 1.5
                            lines.append(f'[[rate]]\nregion = "{region}"\nrole = "{role}"\nemployment_model = "{model}"\npay_rate = {pay:.2f}\nagency_fee = 4.50\nframework_fee = 0.75\n\n')
            (folder / f"{reference}.toml").write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES))
    parser.add_argument("--rows", type=int)
    parser.add_argument("--history-rows", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--region")
    args = parser.parse_args()
    preset = SIZES.get(args.size, {})
    rows = args.rows or preset.get("rows")
    if rows is None:
        parser.error("give --size or --rows")
    options = {**preset, "rows": rows, "region": args.region or preset.get("region"), "history_rows": args.history_rows or preset.get("history_rows")}
    generate(out=args.out, seed=args.seed, **options)


if __name__ == "__main__":
    main()
