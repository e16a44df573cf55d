"""Outputs that never overwrite what they must not (issue 17): nothing a run reads, however it was named or found; nothing
inside a folder it reads; no device, folder or link; no extension that belies the format."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import COMPLIANT, REPO, write_csv
from .test_cli import run

CONTRACT = REPO / "fixtures" / "contracts" / "compliant-framework.toml"


def found_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "agency-rules.toml"
    config.write_text(text)
    return config


@pytest.mark.parametrize("name", ["history.csv", "history.json"])
def test_the_history_a_found_config_names_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    history = tmp_path / name
    history.write_text("worker_id,la_code,role,start_date,end_date,employment,leaving_reason\n")
    found_config(tmp_path, monkeypatch, f'history = "{name}"\n')
    code, _, err = run(str(export), "--output", str(history))
    assert code == 2 and "names an input of this run" in err, err
    assert history.read_text().startswith("worker_id,la_code")


def test_no_report_is_written_inside_a_contracts_folder_or_over_a_contract(tmp_path: Path) -> None:
    folder = tmp_path / "contracts"
    folder.mkdir()
    shutil.copy(CONTRACT, folder / "a.toml")
    before = (folder / "a.toml").read_bytes()
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    for args in (["contract", str(folder), "--format", "json", "-o", str(folder / "a.toml")],
                 ["contract", str(folder), "-o", str(folder / "report.json")],
                 [str(export), "--contracts", str(folder), "-o", str(folder / "report.json")]):
        code, _, err = run(*args)
        assert code == 2 and any(w in err for w in ("names an input", "a folder this run reads", "no report format")), (args, err)
    assert sorted(p.name for p in folder.iterdir()) == ["a.toml"] and (folder / "a.toml").read_bytes() == before


def test_an_extension_that_belies_the_format_is_refused_even_with_format(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    for name in ("report.pdf", "report.toml"):
        code, _, err = run(str(export), "--format", "json", "-o", str(tmp_path / name))
        assert code == 2 and "no report format has the extension" in err and not (tmp_path / name).exists(), err
    code, _, err = run(str(export), "--format", "json", "-o", str(tmp_path / "report"))  # no extension: --format says it
    assert code == 0 and (tmp_path / "report").read_text().startswith("{"), err


def test_a_device_a_folder_or_a_link_is_never_replaced_by_a_report(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    kept = tmp_path / "kept.json"
    kept.write_text("the link's target")
    link = tmp_path / "report.json"
    link.symlink_to(kept)
    code, _, err = run(str(export), "-o", str(link))
    assert code == 2 and "names a link" in err and link.is_symlink() and kept.read_text() == "the link's target"
    folder = tmp_path / "out.json"
    folder.mkdir()
    code, _, err = run(str(export), "-o", str(folder))
    assert code == 2 and "not a plain file" in err and folder.is_dir()
    code, _, err = run(str(export), "--format", "json", "-o", os.devnull)
    assert code == 2 and "not a plain file" in err and Path(os.devnull).is_char_device()


def test_a_found_config_reads_nothing_outside_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text("the first line of someone else's file\n")
    here = tmp_path / "here"
    here.mkdir()
    export = write_csv(here / "e.csv", [COMPLIANT])
    found_config(here, monkeypatch, f'history = "{secret}"\n')
    code, out, err = run(str(export))
    assert code == 2 and "outside the folder of this config" in err and "first line" not in out + err
    code, out, err = run(str(export), "--history", str(secret))  # named on the command line: read, and refused as a history
    assert "outside the folder" not in err


@pytest.mark.slow
def test_one_export_given_twice_under_any_name_is_refused_not_counted_twice(tmp_path: Path) -> None:
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    (tmp_path / "link.csv").symlink_to(export)
    os.link(export, tmp_path / "hard.csv")
    shutil.copy(export, tmp_path / "copy.csv")
    (tmp_path / "sub").mkdir()
    for other in ("link.csv", "hard.csv", "copy.csv", "sub/../e.csv"):
        code, _, err = run(str(export), str(tmp_path / other))
        assert code == 2 and "hold the same export" in err, (other, err)
    code, _, err = run(str(export), str(export))
    assert code == 2 and "the same file is given twice" in err


def test_the_api_refuses_one_frame_given_twice() -> None:
    import polars as pl

    from agency_rules import api
    from agency_rules.inputs.files import InputError

    frame = pl.DataFrame([COMPLIANT])
    for frames in ([frame, frame], [frame, frame.clone()]):
        with pytest.raises(InputError, match=r"the same rows are given twice \(one DataFrame twice, or two equal ones\)"):
            api.check(frames)
    with pytest.raises(InputError, match="no export given"):
        api.check([])


@pytest.mark.slow
def test_a_contract_checks_caps_file_and_standard_input_redirected_from_the_output_are_never_overwritten(tmp_path: Path) -> None:
    caps = tmp_path / "caps.txt"
    shutil.copy(REPO / "fixtures" / "caps.toml", caps)
    before = caps.read_bytes()
    code, _, err = run("contract", str(CONTRACT), "--ruleset", "statutory-2024", "--caps", str(caps), "-o", str(caps))
    assert code == 2 and "names an input of this run" in err and caps.read_bytes() == before
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    before = export.read_bytes()
    with export.open("rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "agency_rules", "-", "-o", str(export)], stdin=stdin, capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == 2 and "the file standard input reads" in done.stderr and export.read_bytes() == before


def test_a_found_config_reads_no_rules_and_no_linked_contract_from_outside_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(REPO / "rules" / "overlays" / "south-east.toml", outside / "myov.toml")
    here = tmp_path / "here"
    (here / "contracts").mkdir(parents=True)
    (here / "contracts" / "x.toml").symlink_to(CONTRACT)  # a link in a folder the config names, to a file outside it
    export = write_csv(here / "e.csv", [COMPLIANT])
    shutil.copy(REPO / "fixtures" / "caps.toml", outside / "secret.toml")
    for text in ('overlays = ["../outside/myov.toml"]\n', 'contracts = ["contracts"]\n', 'caps = ["../outside/secret"]\n',
                 f'caps = ["{outside / "secret"}"]\n'):  # no .toml: once taken for a shipped table's name, found outside
        found_config(here, monkeypatch, text)
        code, out, err = run(str(export))
        assert code == 2 and ("outside the folder of this config" in err or "no cap named" in err) and "secret" not in out, (text, err)


def test_a_shipped_name_never_leads_out_of_the_rules_folder(tmp_path: Path) -> None:
    shutil.copy(REPO / "fixtures" / "caps.toml", tmp_path / "secret.toml")
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    for name in (str(tmp_path / "secret"), "../../../" + str(tmp_path / "secret"), "../caps/london-2016"):
        code, _, err = run(str(export), "--caps", name)
        assert code == 2 and "no cap named" in err, (name, err)


def test_rule_files_a_given_config_names_are_read_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(REPO / "rules" / "overlays" / "south-east.toml", tmp_path / "sub" / "myov.toml")
    (tmp_path / "sub" / "cfg.toml").write_text('overlays = ["myov.toml"]\n')
    monkeypatch.chdir(tmp_path)
    code, out, err = run(str(write_csv(tmp_path / "e.csv", [COMPLIANT])), "--config", "sub/cfg.toml", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["overlays"] == ["south-east"]


@pytest.mark.slow
def test_one_export_saved_again_with_other_line_endings_or_a_byte_order_mark_is_still_one_export(tmp_path: Path) -> None:
    import polars as pl

    from agency_rules import api
    from agency_rules.inputs.files import InputError

    export = write_csv(tmp_path / "e.csv", [COMPLIANT, {**COMPLIANT, "engagement_id": "E-2", "worker_id": "SW100002"}])
    text = export.read_text()
    (tmp_path / "crlf.csv").write_bytes(text.replace("\n", "\r\n").encode())
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\n")  # a byte-order mark and a blank line
    for other in ("crlf.csv", "bom.csv"):
        code, _, err = run(str(export), str(tmp_path / other))
        assert code == 2 and "hold the same export" in err, (other, err)
    with pytest.raises(InputError, match="hold the same export"):
        api.check([export, pl.read_csv(export, infer_schema=False)])
    header = text.split("\n", 1)[0]
    columns = header.split(",")
    rows = list(csv.DictReader(text.splitlines()))
    variants = {
        "upper.csv": text.replace(header, header.upper(), 1),  # headers are read whatever their case
        "reordered.csv": ",".join(reversed(columns)) + "\n" + "".join(",".join(row[c] for c in reversed(columns)) + "\n" for row in rows),
        "extra.csv": text.replace(header, header + ",notes", 1).replace("\n", ",x\n").replace(header + ",notes,x", header + ",notes"),
        "spaced.csv": "\n".join(line.replace(",", " , ") for line in text.splitlines()),
    }
    for name, variant in variants.items():
        (tmp_path / name).write_text(variant)
        code, _, err = run(str(export), str(tmp_path / name))
        assert code == 2 and "hold the same export" in err, (name, err)
    kent = write_csv(tmp_path / "kent.csv", [{**COMPLIANT, "engagement_id": f"K-{i}", "role": "Senior Practitioner"} for i in (1, 2)])
    medway = write_csv(tmp_path / "medway.csv", [{**COMPLIANT, "engagement_id": f"M-{i}", "la_code": "E06000035", "role": "Senior Practitioner"}
                                                 for i in (1, 2)])
    code, _, err = run(str(kent), str(medway))  # every row of both rejected for one reason: still two exports
    assert code == 3 and "hold the same export" not in err, err
    other = write_csv(tmp_path / "other.csv", [COMPLIANT])  # one row in common is not one export
    assert run(str(export), str(other))[0] != 2 or "hold the same export" not in run(str(export), str(other))[2]


def test_output_dash_is_standard_output_not_a_file_named_dash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    code, out, _ = run(str(export), "--format", "json", "-o", "-")
    assert code == 0 and out.startswith("{") and not (tmp_path / "-").exists()


@pytest.mark.slow
def test_an_output_ending_in_a_slash_names_a_folder_and_is_refused(tmp_path: Path) -> None:
    """A path loses its last slash once read: `-o out/` wrote a file named `out`."""
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    for args in (["-o", f"{tmp_path}/out/"], [f"--output={tmp_path}/out/"]):  # the command line as a shell gives it
        done = subprocess.run([sys.executable, "-m", "agency_rules", str(export), *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 2 and "names a folder (it ends in /)" in done.stderr and not (tmp_path / "out").exists(), done.stderr


def test_write_json_replaces_a_report_whole_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    import agency_rules

    target = tmp_path / "r.json"
    target.write_text("old")
    report = agency_rules.check(write_csv(tmp_path / "e.csv", [COMPLIANT]))

    def broken(*_: object) -> None:
        raise OSError(28, "No space left on device")

    from agency_rules.renderers import json_report

    original = json_report.render
    json_report.render = broken
    try:
        with pytest.raises(OSError):
            agency_rules.write_json(report, target)
    finally:
        json_report.render = original
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["e.csv", "r.json"]
    agency_rules.write_json(report, target)
    assert json.loads(target.read_text())["summary"]["rows_checked"] == 1


def test_write_json_never_writes_over_an_input_a_link_a_device_or_a_folder(tmp_path: Path) -> None:
    import agency_rules
    from agency_rules.inputs.files import InputError

    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    report = agency_rules.check(export)
    (tmp_path / "link.json").symlink_to(tmp_path / "target.json")
    os.mkfifo(tmp_path / "pipe")
    before = export.read_bytes()
    for target, says in ((export, "names an input"), (tmp_path / "link.json", "names a link"), (tmp_path / "pipe", "not a plain file"),
                         (f"{tmp_path}/folder/", "names a folder"), (tmp_path, "names a folder")):
        with pytest.raises(InputError, match=says):
            agency_rules.write_json(report, target)
    assert export.read_bytes() == before and not (tmp_path / "target.json").exists()
    assert not [p for p in tmp_path.parent.iterdir() if p.name.endswith(".partial")]
