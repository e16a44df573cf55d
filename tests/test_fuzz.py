"""Fuzzing (hypothesis) of the reader, the TOML loaders and the renderers: nothing escapes but a clear refusal, counts reconcile,
and any text from an input comes out as text."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agency_rules import api
from agency_rules.engine.rulebook import load_ruleset
from agency_rules.inputs.caps import load_caps
from agency_rules.inputs.files import InputError
from agency_rules.inputs.waivers import load_waivers
from agency_rules.renderers import RENDERERS
from agency_rules.report import RenderOptions
from agency_rules.tomlfiles import RuleFileError

from .conftest import COMPLIANT, examples, write_csv

FUZZ = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = ",".join(COMPLIANT).encode()


@pytest.mark.parametrize("tail", [b"\r", b"\r\r\n", b'""\n', b"\n"])
def test_a_header_and_only_blank_records_of_any_line_ending_is_read_as_no_engagements(tmp_path: Path, tail: bytes) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(HEADER + b"\n" + tail)  # the fuzzer's b"\r" once crashed the reader
    report = api.run([path], api.Options())
    assert (report.rows_read, report.rows_checked, report.rows_rejected) == (0, 0, 0)


@FUZZ
@given(st.binary(max_size=400), st.booleans())
def test_any_bytes_are_read_or_refused_clearly(data: bytes, with_header: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "e.csv"
        path.write_bytes((HEADER + b"\n" if with_header else b"") + data)
        try:
            report = api.run([path], api.Options())
        except InputError as error:
            assert str(path) in str(error)
            return
    assert report.rows_read == report.rows_checked + report.rows_rejected
    for counts in report.counts.values():
        assert sum(counts.values()) == report.rows_checked


TOML_PIECES = st.sampled_from(["[[cap]]", "[[waiver]]", "[ruleset]", "[[rule]]", 'region = "South East"', 'role = "social_worker"',
                               "effective_from = 2025-01-01", "pay_rate = 35", "pay_rate = true", "pay_rate = inf", 'source = "s"',
                               "id = 1", 'x = [[[', "a.b.c = 1", "\ufeff", "=", '"', "approved_by = {}", "approved_on = 0"])


@FUZZ
@given(st.lists(st.one_of(TOML_PIECES, st.text(max_size=30)), max_size=12))
def test_any_toml_loads_or_is_refused_naming_the_file(pieces: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.toml"
        path.write_text("\n".join(pieces), encoding="utf-8", errors="surrogatepass")
        for load in (lambda: load_caps([path]), lambda: load_waivers(path), lambda: load_ruleset(path)):
            try:
                load()
            except RuleFileError as error:
                assert str(path) in str(error)


@pytest.mark.slow
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40).filter(lambda t: pl.select(pl.lit(t).str.strip_chars()).item() and "\x00" not in t and "\r" not in t and "\n" not in t))
def test_any_text_in_a_cell_is_rendered_as_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "e.csv", [{**COMPLIANT, "engagement_id": text, "notice_period_weeks": "1", "agency": text}])
        report = api.run([path], api.Options())
    assert report.rows_read == 1
    outputs = {}
    for name in ("table", "md", "html", "json", "csv"):
        out = io.StringIO()
        RENDERERS[name](report, RenderOptions(limit=0, width=200), out)
        outputs[name] = out.getvalue()
    for name in ("table", "md", "html"):
        assert all(c.isprintable() or c in "\n\t" for c in outputs[name]), name
        assert "<script" not in outputs[name].lower().replace("&lt;script", "").replace("\\<script", "")
    document = json.loads(outputs["json"])
    ids = {f["engagement_id"] for f in document["findings"]} | {r["engagement_id"] for r in document["rejected_rows"] if r["engagement_id"]}
    ids |= {e["value"] for r in document["rejected_rows"] for e in r["errors"] if e["column"] == "engagement_id"}  # a look-alike id
    stripped = pl.select(pl.lit(text).str.strip_chars()).item()
    composed = pl.select(pl.lit(stripped).str.normalize("NFC").str.replace_all(r"\s+", " ")).item()  # as a name is read
    assert ids in ({stripped}, {composed})
