"""Write docs/checks.md from the registry of check kinds (src/agency_rules/engine/checks/): each kind's rules, parameters
and their words, the columns it reads, and its contract side with each clause's accepted values.

    python tools/make_check_docs.py
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agency_rules.engine.checks import CHECKS, PARAMETER_WORDS
from agency_rules.engine.rulebook import load_rules, shipped_overlays
from agency_rules.inputs.contracts import Clauses

OUT = Path(__file__).resolve().parents[1] / "docs" / "checks.md"


def accepted(schema: dict[str, Any]) -> str:
    """A clause's accepted values in words, from the contract file's own model."""
    kinds = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    words = []
    for kind in kinds:
        if kind.get("type") == "boolean":
            words.append("true or false")
        elif kind.get("type") in ("number", "integer"):
            what = "a whole number" if kind["type"] == "integer" else "a number"
            words.append(f"{what} from {kind.get('ge', kind.get('minimum', 0))} to {kind.get('le', kind.get('maximum'))}")
        elif kind.get("type") == "array":
            words.append("a list of: " + ", ".join(kind["items"]["enum"]))
        else:
            words.append(kind.get("type", "text"))
    return " or ".join(words) + "; absent: the contract is silent (unknown)"


def clause_schema(key: str) -> dict[str, Any]:
    schema = Clauses.model_json_schema()
    head, _, rest = key.partition(".")
    found = schema["properties"][head]
    if rest:
        model = found["$ref"].rsplit("/", 1)[-1] if "$ref" in found else found["allOf"][0]["$ref"].rsplit("/", 1)[-1]
        found = schema["$defs"][model]["properties"][rest]
    return found


def document() -> str:
    rules: dict[str, list[str]] = {}
    for ruleset in ("consultation-2023", "statutory-2024"):
        loaded, overlays = load_rules(ruleset, sorted(set(shipped_overlays().values())))
        for spec in [*loaded.rule, *(r for o in overlays for r in o.rule)]:
            rules.setdefault(spec.check, []).append(f"{spec.id} ({ruleset})")
    lines = [
        "# Check kinds",
        "",
        "Generated from `src/agency_rules/engine/checks/` by `tools/make_check_docs.py`; do not edit by hand.",
        "",
        "Each kind is one module: its engagement expressions, its parameters, the columns it reads, and its",
        "contract side (the clause of a contract file's `[clauses]` it reads, or the rate-line amount it caps).",
    ]
    for name, kind in CHECKS.items():
        lines += ["", f"## `{name}`", "", f"Rules: {', '.join(dict.fromkeys(rules.get(name, []))) or 'none shipped'}.", ""]
        for parameter in kind.params:
            lines.append(f"- parameter `{parameter}`: {PARAMETER_WORDS[parameter]}")
        lines.append(f"- reads: {', '.join(f'`{c}`' for c in kind.reads) or 'no optional column'}")
        if kind.clause:
            for key in kind.clause_keys:
                lines.append(f"- contract clause `{key}`: {accepted(clause_schema(key))}")
        if kind.rate_field:
            lines.append(f"- contract rate lines: `{kind.rate_field}` of each line, judged as an engagement paid it")
        if kind.no_contract_side:
            lines.append(f"- no contract side: {kind.no_contract_side}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    OUT.write_text(document(), encoding="utf-8")
