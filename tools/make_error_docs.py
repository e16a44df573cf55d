"""Write docs/errors.md from the catalogue of rejection codes and notice kinds (src/agency_rules/inputs/reasons.py).

    python tools/make_error_docs.py
"""

from __future__ import annotations

from pathlib import Path

from agency_rules.inputs.reasons import NOTICE_KINDS, REJECTION_CODES

OUT = Path(__file__).resolve().parents[1] / "docs" / "errors.md"


def document() -> str:
    lines = [
        "# Why a row is rejected, and what a notice says",
        "",
        "Generated from `src/agency_rules/inputs/reasons.py` by `tools/make_error_docs.py`; do not edit by hand.",
        "",
        "Every reason a row is rejected has a stable code beside its words: in the JSON report each error of",
        "`rejected_rows` carries `code`, and `rejection_summary` groups rows by column and code.",
        "",
        "| code | reason |",
        "|---|---|",
        *(f"| `{code}` | {words} |" for code, words in REJECTION_CODES.items()),
        "",
        "Each entry of the report's `notices` has a `kind`:",
        "",
        "| kind | what it says |",
        "|---|---|",
        *(f"| `{kind}` | {words} |" for kind, words in NOTICE_KINDS.items()),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    OUT.write_text(document(), encoding="utf-8")
