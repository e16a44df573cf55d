"""Build the packaged LA → region table from the DfE workforce statistics in ../shared/data.

Run from the repository root: python tools/build_la_table.py
The 2023 returns cover all 153 English LAs (two joint returns are split); Inner and Outer London
are both the London region.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "csww_indicators_2017_to_2023.csv"
TARGET = Path(__file__).resolve().parents[1] / "src" / "agency_rules" / "data" / "local_authorities.csv"
LONDON_PARTS = {"Inner London", "Outer London"}


def local_authorities(source: Path = SOURCE) -> list[tuple[str, str, str]]:
    """(code, name, region) for every LA in the latest year's returns, joint returns split."""
    with source.open(newline="", encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["geographic_level"] == "Local authority"]
    latest = max(r["time_period"] for r in rows)
    table: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        if row["time_period"] != latest:
            continue
        region = "London" if row["region_name"] in LONDON_PARTS else row["region_name"]
        codes = [c.strip() for c in row["new_la_code"].split("/")]
        names = [n.strip() for n in row["la_name"].split(" / ")]
        if len(codes) != len(names):
            raise ValueError(f"joint return with mismatched codes and names: {row['new_la_code']}")
        for code, name in zip(codes, names):
            table[code] = (code, name, region)
    return sorted(table.values())


def main() -> int:
    table = local_authorities()
    with TARGET.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["la_code", "la_name", "region"])
        writer.writerows(table)
    print(f"wrote {len(table)} local authorities to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
