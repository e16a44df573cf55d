"""Benchmark: the full check against Python's csv.reader and a hand-written DuckDB evaluation.

For each size it generates (once, cached by seed) engagements, history and caps, then measures
in this same run, each the median of --runs runs:
- csv.reader merely reading the engagements file (in this process): the floor for a Python tool;
- `agency-check FILE --history --caps --format json --output … --timings`, all rules of the
  default ruleset, as a user runs it (a fresh process; peak memory is the whole process tree's
  RSS, sampled every 20 ms), with the seconds of each stage it reports (setup, read, parse,
  rules, report; the rest of the wall time is Python starting and importing);
- DuckDB: CSV load and hand-written SQL for the core rules, breaches written as JSON: the
  baseline an analyst would reach for;
- the shared DuckDB baseline (`../shared/bench/duckdb_baseline.py`, or --baseline PATH), run on the
  same data in its own process: it writes only rule and engagement per breach, so it is a floor,
  not an equal;
- a fresh process importing polars and reading the engagements file with it: the floor for any
  polars tool, which the council-sized run and `agency-check --version` are held against.

Then, for the fixed cost of a run, `agency_rules.check` of a one-row file in this process (the
median of 20 after a warm-up), and the start-up of `agency-check --version` and `-h` in fresh
processes. Every ratio is of figures measured in this same run. The processes keep Python's compiled bytecode, as an
installed tool does (see CHILD_ENV), after one untimed run.

With --contracts, each size is also checked with `--contracts` (synthetic framework contracts, two
of each region's three frameworks), and the extra time and memory are printed beside the plain check.

Two hostile cases: in `one-worker` every engagement and every past role belongs to one worker, so
a check that pairs each engagement with the worker's whole history grows with their product; in
`all-breach` every engagement breaches nearly every rule, so a report that holds every finding in
memory at once grows with their number (the peak column shows whether it does).

    pip install -e '.[bench]'
    python bench/benchmark.py [--sizes council region national stress one-worker all-breach] [--runs 3] [--data /tmp/agency-bench] [--contracts]

Without --sizes, the four sizes of the growth lines (council, region, national, stress); the two hostile ones take minutes.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import polars as pl
from generate import SIZES, generate, write_contracts

ROOT = Path(__file__).resolve().parents[1]
SCALING = [size for size, spec in SIZES.items() if not {"workers", "all_breach"} & set(spec)]
STAGES = ("setup", "read", "parse", "rules", "report")
# The processes measured may keep Python's compiled bytecode, as an installed tool's is kept: pip compiles it at install,
# and Python caches it on first import. A machine that forbids it (PYTHONDONTWRITEBYTECODE) compiles every module of the
# tool at every start (0.1 s of a council-sized run here), which no user's run pays.
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def dataset(base: Path, size: str, seed: int) -> Path:
    out = base / f"{size}-seed{seed}"
    if not (out / "caps.toml").exists():
        preset = SIZES[size]
        generate(out=out, seed=seed, **preset)
    if not (out / "contracts").is_dir():
        write_contracts(out)
    return out


def csv_reader_seconds(path: Path) -> float:
    start = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass
    return time.perf_counter() - start


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * page
    family = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    return sum(rss.get(p, 0) for p in family)


def timed_command(command: list[str]) -> tuple[float, int, int, dict[str, float]]:
    """(wall seconds, peak tree RSS bytes, exit status, stage seconds) of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=CHILD_ENV)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    status = process.returncode
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    stages = {}
    for line in err.splitlines():
        if line.startswith("timings: "):
            stages = {k: float(v.rstrip("s")) for k, v in (part.split("=") for part in line.removeprefix("timings: ").split())}
    return elapsed, peak, status, stages


def agency_check(data: Path, out: Path) -> list[str]:
    return [
        str(Path(sys.executable).with_name("agency-check")),
        str(data / "engagements.csv"),
        "--history", str(data / "history.csv"),
        "--caps", str(data / "caps.toml"),
        "--format", "json",
        "--output", str(out),
        "--timings",
    ]


DUCKDB_SQL = """
CREATE TEMP TABLE raw AS SELECT * FROM read_csv('{engagements}', header = true, all_varchar = true);
CREATE TEMP TABLE history_raw AS SELECT * FROM read_csv('{history}', header = true, all_varchar = true);
CREATE TEMP MACRO d(x) AS coalesce(try_strptime(x, '%Y-%m-%d'), try_strptime(x, '%d/%m/%Y'))::DATE;
CREATE TEMP MACRO yes(x) AS CASE lower(x) WHEN 'yes' THEN true WHEN 'y' THEN true WHEN 'true' THEN true WHEN '1' THEN true
                                          WHEN 'no' THEN false WHEN 'n' THEN false WHEN 'false' THEN false WHEN '0' THEN false END;
CREATE TEMP TABLE e AS
SELECT engagement_id, upper(worker_id) AS worker_id, r.la_code, l.region, role, d(start_date) AS start_date, d(end_date) AS end_date,
       engagement_type, d(qualified_date) AS qualified_date, try_cast(pqe_years AS DOUBLE) AS pqe_years, yes(asye_completed) AS asye,
       try_cast(notice_period_weeks AS DOUBLE) AS notice, yes(notice_reciprocal) AS reciprocal, yes(reference_received) AS reference,
       try_cast(references_count AS INTEGER) AS references_count, yes(reference_standard_template) AS template, employment_model,
       try_cast(replace(pay_rate, '£', '') AS DOUBLE) AS pay, try_cast(agency_fee AS DOUBLE) AS agency_fee,
       try_cast(framework_fee AS DOUBLE) AS framework_fee, previous_substantive_la, d(previous_substantive_end) AS previous_end,
       previous_leaving_reason, p.region AS previous_region
FROM raw r JOIN la l ON l.la_code = r.la_code LEFT JOIN la p ON p.la_code = r.previous_substantive_la
WHERE d(start_date) IS NOT NULL;
CREATE TEMP TABLE h AS
SELECT upper(worker_id) AS worker_id, l.region, d(end_date) AS end_date, leaving_reason
FROM history_raw hr JOIN la l ON l.la_code = hr.la_code WHERE employment = 'substantive';
CREATE TEMP TABLE roles AS
SELECT worker_id, region, end_date, leaving_reason FROM h
UNION ALL
SELECT worker_id, previous_region, previous_end, previous_leaving_reason FROM e WHERE previous_substantive_la IS NOT NULL;
CREATE TEMP TABLE capped AS
SELECT e.*, coalesce(rc.pay_rate, nc.pay_rate) AS cap_pay, coalesce(rc.pay_rate_paye, nc.pay_rate_paye) AS cap_paye,
       coalesce(rc.agency_fee, nc.agency_fee) AS cap_agency, coalesce(rc.framework_fee, nc.framework_fee) AS cap_framework
FROM e
LEFT JOIN caps rc ON rc.region = e.region AND rc.role = e.role AND e.start_date BETWEEN rc.effective_from AND coalesce(rc.effective_to, DATE '9999-12-31')
LEFT JOIN caps nc ON nc.region = 'national' AND nc.role = e.role AND e.start_date BETWEEN nc.effective_from AND coalesce(nc.effective_to, DATE '9999-12-31');
COPY (
  SELECT engagement_id, 'PQE001' AS rule_id FROM e WHERE qualified_date >= DATE '2024-04-01'
     AND (start_date < qualified_date + INTERVAL 5 YEAR OR pqe_years < 5)
  UNION ALL SELECT engagement_id, 'ASYE001' FROM e WHERE qualified_date >= DATE '2024-04-01' AND asye = false
  UNION ALL SELECT DISTINCT e.engagement_id, 'COOL001' FROM e JOIN roles r ON r.worker_id = e.worker_id AND r.region = e.region
     WHERE r.end_date < e.start_date AND e.start_date < r.end_date + INTERVAL 3 MONTH AND r.leaving_reason <> 'redundancy'
  UNION ALL SELECT engagement_id, 'NOTICE001' FROM e WHERE notice < 6 OR reciprocal = false
  UNION ALL SELECT engagement_id, 'REF001' FROM e WHERE references_count < 1 OR (references_count IS NULL AND reference = false)
  UNION ALL SELECT engagement_id, 'REF002' FROM e WHERE template = false
     AND (end_date IS NULL OR end_date >= start_date + INTERVAL 3 MONTH - INTERVAL 1 DAY)
  UNION ALL SELECT engagement_id, 'CAP001' FROM capped WHERE role <> 'other'
     AND pay > CASE WHEN employment_model = 'paye' THEN cap_paye ELSE cap_pay END
  UNION ALL SELECT engagement_id, 'CAP002' FROM capped WHERE role <> 'other' AND agency_fee > cap_agency
  UNION ALL SELECT engagement_id, 'CAP003' FROM capped WHERE role <> 'other' AND framework_fee > cap_framework
  UNION ALL SELECT engagement_id, 'PROJ001' FROM e WHERE engagement_type = 'project_team'
) TO '{out}' (FORMAT json);
"""


def duckdb_seconds(data: Path, out: Path) -> float:
    """The analyst's baseline: connect, load the LA table and caps, run the SQL, write breaches as JSON."""
    import duckdb

    from agency_rules.regions import local_authorities

    start = time.perf_counter()
    connection = duckdb.connect()
    connection.execute("CREATE TEMP TABLE la (la_code VARCHAR, region VARCHAR)")
    connection.executemany("INSERT INTO la VALUES (?, ?)", [(c, la.region) for c, la in local_authorities().items()])
    caps = tomllib.loads((data / "caps.toml").read_text())["cap"]
    connection.execute(
        "CREATE TEMP TABLE caps (region VARCHAR, role VARCHAR, effective_from DATE, effective_to DATE, pay_rate DOUBLE,"
        " pay_rate_paye DOUBLE, agency_fee DOUBLE, framework_fee DOUBLE)"
    )
    connection.executemany(
        "INSERT INTO caps VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (c["region"], c["role"], c["effective_from"], c.get("effective_to"), c.get("pay_rate"), c.get("pay_rate_paye"), c.get("agency_fee"), c.get("framework_fee"))
            for c in caps
        ],
    )
    sql = DUCKDB_SQL.format(engagements=data / "engagements.csv", history=data / "history.csv", out=out)
    for statement in filter(str.strip, sql.split(";")):
        connection.execute(statement)
    connection.close()
    return time.perf_counter() - start


def shared_baseline_seconds(script: Path, data: Path, out: Path) -> float:
    """The shared DuckDB baseline in its own process: the seconds it prints (its own timing, CSV load included)."""
    result = subprocess.run(
        [sys.executable, str(script), str(data / "engagements.csv"), str(data / "history.csv"), str(data / "caps.toml"), str(out)],
        capture_output=True, text=True, check=True, env=CHILD_ENV,
    )
    return float(result.stdout.split()[0])


def polars_read_seconds(path: Path) -> float:
    """A fresh process that imports polars and reads the file: what any polars tool pays before its own work."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import polars; polars.read_csv({str(path)!r}, infer_schema=False)"], check=True, env=CHILD_ENV)
    return time.perf_counter() - start


def process_seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, env=CHILD_ENV)
    return time.perf_counter() - start


def one_row_seconds(data: Path, runs: int = 20) -> float:
    """`agency_rules.check` of a one-row export in this process (history and caps too): the fixed cost of a run."""
    from agency_rules import check

    lines = (data / "engagements.csv").read_text(encoding="utf-8").splitlines()
    one = data / "one-row.csv"
    one.write_text(lines[0] + "\n" + lines[1] + "\n", encoding="utf-8")
    check(one, caps=data / "caps.toml")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check(one, caps=data / "caps.toml")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def breach_counts(report: Path) -> dict[str, int]:
    """The summary, which comes before the findings: read without the findings, which for all-breach are gigabytes."""
    head = b""
    with report.open("rb") as handle:
        while b'"findings": [' not in head and (chunk := handle.read(1 << 20)):
            head += chunk
    summary = json.loads(head.split(b', "findings": [', 1)[0] + b"}")["summary"]
    return {rule: counts["breach"] for rule, counts in summary["by_rule"].items() if counts["breach"]}


def duckdb_breach_counts(path: Path) -> dict[str, int]:
    """Distinct (engagement, rule) pairs: the SQL finds a cooling-off breach once per matching past role."""
    pairs = pl.scan_ndjson(path).select("engagement_id", "rule_id").unique().group_by("rule_id").len().collect()
    return dict(pairs.iter_rows())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=SCALING, choices=list(SIZES),
                        help="default: the four sizes of the growth lines; one-worker and all-breach (minutes) only when named")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path("/tmp/agency-bench"))
    parser.add_argument("--contracts", action="store_true", help="also time each check with --contracts")
    parser.add_argument("--baseline", type=Path, default=ROOT.parent / "shared" / "bench" / "duckdb_baseline.py",
                        help="the shared DuckDB baseline script (skipped if absent)")
    args = parser.parse_args()
    if args.runs < 3:
        print(f"{args.runs} run(s) a figure: single runs vary by tens of percent on a busy machine; --runs 3 gives medians",
              file=sys.stderr)
    if not args.baseline.exists():
        print(f"the shared DuckDB baseline {args.baseline} is not there: its columns are left empty (--baseline PATH)",
              file=sys.stderr)
    rows = []
    linked = []
    warm = dataset(args.data, args.sizes[0], args.seed)  # one untimed run first, which compiles and caches the bytecode
    timed_command(agency_check(warm, warm / "report.json"))
    for size in args.sizes:
        data = dataset(args.data, size, args.seed)
        count = SIZES[size]["rows"]
        report = data / "report.json"
        reader = statistics.median(csv_reader_seconds(data / "engagements.csv") for _ in range(args.runs))
        checks = [timed_command(agency_check(data, report)) for _ in range(args.runs)]
        statuses = {status for _, _, status, _ in checks}
        if not statuses <= {0, 1, 3}:
            raise SystemExit(f"agency-check failed on {size}: exit {statuses}")
        wall = statistics.median(t for t, _, _, _ in checks)
        peak = max(p for _, p, _, _ in checks)
        stages = {stage: statistics.median(c[3].get(stage, 0.0) for c in checks) for stage in STAGES}
        duck = statistics.median(duckdb_seconds(data, data / "duckdb.json") for _ in range(args.runs))
        shared = (
            statistics.median(shared_baseline_seconds(args.baseline, data, data / "shared-duckdb.json") for _ in range(args.runs))
            if args.baseline.exists()
            else float("nan")
        )
        floor = statistics.median(polars_read_seconds(data / "engagements.csv") for _ in range(args.runs))
        rows.append((size, count, wall, peak, reader, duck, stages, shared, floor))
        if args.contracts:
            runs = [timed_command([*agency_check(data, data / "report-contracts.json"), "--contracts", str(data / "contracts")]) for _ in range(args.runs)]
            if not {status for _, _, status, _ in runs} <= {0, 1, 3}:
                raise SystemExit(f"agency-check --contracts failed on {size}")
            linked.append((size, wall, peak, statistics.median(t for t, _, _, _ in runs), max(p for _, p, _, _ in runs),
                           statistics.median(r[3].get("rules", 0.0) for r in runs), stages["rules"]))
        agree = breach_counts(report) == duckdb_breach_counts(data / "duckdb.json")
        print(f"measured {size}: breach counts by rule {'agree' if agree else 'DIFFER'} with DuckDB's", file=sys.stderr, flush=True)
    print(f"{'size':<9} {'rows':>9} {'check s':>8} {'peak MiB':>9} {'rows/s':>9} {'csv.reader s':>12} {'x csv':>6} {'duckdb s':>9} {'x duckdb':>8}"
          f" {'shared s':>9} {'x shared':>8} {'polars read s':>13} {'x polars':>8}")
    for size, count, wall, peak, reader, duck, _, shared, floor in rows:
        # a ratio to a time too short to measure, or to a baseline not run, is no figure
        by_reader = f"{wall / reader:>6.2f}" if reader >= 0.01 else f"{'-':>6}"
        shared_s, by_shared = (f"{shared:>9.2f}", f"{wall / shared:>8.2f}") if shared == shared else (f"{'-':>9}", f"{'-':>8}")
        print(f"{size:<9} {count:>9,} {wall:>8.2f} {peak / 2**20:>9.0f} {count / wall:>9,.0f} {reader:>12.2f} {by_reader} {duck:>9.2f} {wall / duck:>8.2f}"
              f" {shared_s} {by_shared} {floor:>13.2f} {wall / floor:>8.2f}")
    print()
    print(f"{'size':<9} " + " ".join(f"{stage + ' s':>9}" for stage in STAGES) + f" {'start-up s':>10}")
    for size, _, wall, _, _, _, stages, _, _ in rows:
        print(f"{size:<9} " + " ".join(f"{stages[stage]:>9.2f}" for stage in STAGES) + f" {wall - sum(stages.values()):>10.2f}")
    if linked:
        print()
        print(f"{'size':<9} {'check s':>8} {'+contracts s':>12} {'x':>5} {'peak MiB':>9} {'+contracts MiB':>14} {'rules s':>8} {'+contracts rules s':>18}")
        for size, wall, peak, with_wall, with_peak, with_rules, rules in linked:
            print(f"{size:<9} {wall:>8.2f} {with_wall:>12.2f} {with_wall / wall:>5.2f} {peak / 2**20:>9.0f} {with_peak / 2**20:>14.0f} {rules:>8.2f} {with_rules:>18.2f}")
    first = dataset(args.data, args.sizes[0], args.seed)
    floor = statistics.median(polars_read_seconds(first / "engagements.csv") for _ in range(max(args.runs, 5)))
    agency = str(Path(sys.executable).with_name("agency-check"))
    version = statistics.median(process_seconds([agency, "--version"]) for _ in range(max(args.runs, 5)))
    usage = statistics.median(process_seconds([agency, "-h"]) for _ in range(max(args.runs, 5)))
    one = one_row_seconds(first)
    print()
    print(f"start-up and fixed cost (reference: a fresh process importing polars and reading {args.sizes[0]}'s file, {floor:.3f} s)")
    print(f"  agency-check --version   {version:.3f} s  {version / floor:.2f}x")
    print(f"  agency-check -h          {usage:.3f} s  {usage / floor:.2f}x")
    print(f"  one row, in process      {one * 1000:.1f} ms")
    scaling = [row for row in rows if row[0] in SCALING]
    for (small, n1, t1, *_), (big, n2, t2, *_) in zip(scaling, scaling[1:]):
        print(f"growth {small} -> {big}: {n2 / n1:.1f}x rows in {t2 / t1:.1f}x time")


if __name__ == "__main__":
    main()
