"""Pseudonyms that never leak and a pseudonymise that loses nothing (issue 16, points 2 and 5): registration numbers
read as whole tokens in every kept column, keys read as the bytes they spell or refused, a key never echoed, and an
output folder where no file is lost or replaced."""

from __future__ import annotations

import base64
import codecs
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agency_rules.pseudonyms import pseudonym, with_pseudonyms

from .conftest import COMPLIANT, examples, write_csv
from .test_cli import run
from .test_regional import make_key

KEY = bytes(range(32))
PSEUDONYM = re.compile(r"P-[0-9a-f]{20}")
# What a reader would still recognise as a registration number, once the pseudonyms are taken out.
IN_CLEAR = re.compile(r"(?i)SW[ ]*[-_.:/#]?[ ]*[1-9](?:[ ]*[0-9]){0,5}(?![0-9])|(?<![0-9])[1-9][0-9]{5}(?![0-9])"
                      r"|(?<![0-9])(?<![0-9] )[1-9](?: ?[0-9]){5}(?! ?[0-9])")


def p(number: str) -> str:
    return pseudonym(KEY, number)


@pytest.mark.parametrize("text, expected", [
    ("E_SW310002", "E_" + p("SW310002")),
    ("SW310003A", p("SW310003") + "A"),
    ("SW-310004", p("SW310004")),
    ("310005-A1", p("SW310005") + "-A1"),
    ("SW123456-B", p("SW123456") + "-B"),  # never SW12345's pseudonym and a 6 in clear
    ("SW12345 and SW123456", p("SW12345") + " and " + p("SW123456")),
    ("Locum SW310001 Ltd", "Locum " + p("SW310001") + " Ltd"),
    ("sw 310 001", p("SW310001")),  # spaces inside the number, as the worker-id reader ignores them
    ("\u017fw12/E", p("SW12") + "/E"),  # a long s upper-cases to S, so the reader takes it
    ("ref SW: 12", "ref " + p("SW12")),
    ("x310005y", "x" + p("SW310005") + "y"),
    ("310 002", p("SW310002")),  # six digits with spaces, as the reader takes them
    ("paid to 310 005-A1 on 2025 04 01", "paid to " + p("SW310005") + "-A1 on 2025 04 01"),  # a date is not a number
    ("ref 12 310005", "ref 12 " + p("SW310005")),  # a count a space before six digits does not hide them
    ("SW310001 2024", p("SW310001") + " 2024"),  # a complete number, then a year
    ("P-0123456789abcdef0123310007", "P-0123456789abcdef0123" + p("SW310007")),  # digits glued to a pseudonym
    # as a reader sees them: other dashes and spaces, invisible characters, other separators, fullwidth digits
    ("Locum SW\u201312345 Ltd", "Locum " + p("SW12345") + " Ltd"), ("SW\u221212345", p("SW12345")), ("SW--12345", p("SW12345")),
    ("SW\u00a012345", p("SW12345")), ("SW\t12345", p("SW12345")), ("SW\u200b12345", p("SW12345")), ("SW,12345", p("SW12345")),
    ("SW=12345", p("SW12345")), ("S.W. 12345", p("SW12345")), ("SW no 12345", p("SW12345")),
    ("SW\uff11\uff12\uff13\uff14\uff15", p("SW12345")), ("\uff13\uff11\uff10\uff10\uff10\uff15", p("SW310005")),
    ("310\u00a0005", p("SW310005")), ("310  005", p("SW310005")), ("310\u200b007", p("SW310007")),
    # the second attack's forms: other digits, marks inside a number (one made SW310 of SW310001), blanks, other prefixes
    ("SW\u00b9\u00b2\u00b3\u2074\u2075", p("SW12345")), ("SW\u2460\u2461\u2462\u2463\u2464", p("SW12345")),
    ("SW310\u034f001", p("SW310001")), ("SW310\ufe0f001", p("SW310001")), ("SW\u2800310001", p("SW310001")),
    ("SW\u3164310001", p("SW310001")), ("SW;12345", p("SW12345")), ("S/W 12345", p("SW12345")), ("SWE 12345", p("SW12345")),
    ("\u0405W12345", p("SW12345")), ("SW\u0661\u0662\u0663\u0664\u0665", p("SW12345")), ("SW012345", p("SW12345")),
    ("SW(12345)", p("SW12345") + ")"), ("\u06f3\u06f1\u06f0\u06f0\u06f0\u06f5", p("SW310005")),
])
def test_every_form_of_a_number_is_replaced_whole_whatever_stands_around_it(text: str, expected: str) -> None:
    assert with_pseudonyms(text, KEY) == expected


@pytest.mark.parametrize("text", [
    "2025-04-01 00:00:00", "01/04/2025", "E10000016", "1,050.00", "E-12345", "1234567", "SW1234567", "SW0",
    "P-0a1b2c3d4e5f60718293", "P-123456789012345678ab", "Swindon Social Care", "NSW", "", "2025 04 01",
    "01632 960 001", "310 005 1", "31-10-08", "310.009", "Caf\u00e9\u00a0Locums",
])
def test_text_that_holds_no_registration_number_is_left_as_it_is(text: str) -> None:
    assert with_pseudonyms(text, KEY) == text


NUMBERS = st.integers(1, 999_999).map(str)
FORMS = st.sampled_from(["SW{}", "sw{}", "SW {}", "SW-{}", "SW_{}", "Sw:{}", "SW\u2013{}", "SW\u00a0{}", "S.W. {}", "SW no {}",
                         "SW\u200b{}", "SW, {}", "SW;{}", "S/W {}", "SWE {}", "\u0405W{}", "SW\u2800{}", "SW\u3164{}", "SW0{}"])
# Beside a number: never a digit or a space (which would make it another number); no P (a pseudonym's start) and no
# S, so every SW and every number shorter than six digits in the text is one placed there.
EDGE = st.sampled_from(list("abcdefghijklmnoqrtuvwxyzABCDEFGHIJKLMNOQRTUVWXYZ_-.,;()/#\u00e9"))
MIDDLE = st.text(alphabet=st.sampled_from(list("abcxyzWw0123456789 _-.:/#")), max_size=12)


SCRIPTS = st.sampled_from(["0123456789", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079",
                           "\u24ea\u2460\u2461\u2462\u2463\u2464\u2465\u2466\u2467\u2468", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                           "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"])  # ASCII, superscript, circled, Arabic-Indic, fullwidth
MARKS = st.sampled_from(["", "", "\u034f", "\ufe0f", "\u200b", "\u0301"])  # invisible marks a number may hide behind


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Random text around random numbers in random forms: (the text, each number as the reader writes it)."""
    text, placed = draw(MIDDLE) + draw(EDGE), []
    for _ in range(draw(st.integers(1, 4))):
        digits = draw(NUMBERS)
        prefixed = len(digits) < 6 or draw(st.booleans())  # six digits may stand alone
        if not prefixed and draw(st.booleans()):  # six digits alone, a space between two of them (`310 005`)
            cut = draw(st.integers(1, 5))
            digits = digits[:cut] + " " + digits[cut:]
        script, mark = draw(SCRIPTS), draw(MARKS)
        written = mark.join(script[int(d)] if d.isdigit() else d for d in digits)
        text += (draw(FORMS).format(written) if prefixed else written) + draw(EDGE) + draw(MIDDLE) + draw(EDGE)
        digits = digits.replace(" ", "")
        placed.append("SW" + digits)
    return text, placed


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts())
@example(("E_SW12345;SW123456-B 310005-A1 SW-310004", ["SW12345", "SW123456", "SW310005", "SW310004"]))
def test_no_text_keeps_a_number_and_no_number_is_cut_short(case: tuple[str, list[str]]) -> None:
    text, placed = case
    written = with_pseudonyms(text, KEY)
    assert not IN_CLEAR.search(PSEUDONYM.sub("|", written)), written
    assert all(p(number) in written for number in placed), written
    shorter = {number[:cut] for number in placed for cut in range(3, len(number))} - set(placed)
    assert not any(p(number) in written for number in shorter if number[2:3] != "0"), written  # SW12345 of SW123456
    assert with_pseudonyms(written, KEY) == written  # pseudonymising again changes nothing


def key_file(path: Path, content: bytes, mode: int = 0o600) -> Path:
    path.write_bytes(content)
    path.chmod(mode)
    return path


def pseudonymise(tmp_path: Path, key: Path, *extra: str, files: list[Path] | None = None, out: str = "out"
                 ) -> tuple[int, str, str]:
    """`pseudonymise` of the files (one compliant export by default) into tmp_path / out."""
    export = files or [write_csv(tmp_path / "e.csv", [COMPLIANT])]
    return run("pseudonymise", *map(str, export), "--key-file", str(key), "--output-dir", str(tmp_path / out), *extra)


HEX = KEY.hex()


@pytest.mark.parametrize("content", [
    HEX.upper().encode(), codecs.BOM_UTF8 + HEX.encode() + b"\r\n",
    codecs.BOM_UTF16_LE + (HEX + "\r\n").encode("utf-16-le"), codecs.BOM_UTF16_BE + HEX.encode("utf-16-be"),
    (HEX[:30] + "\n" + HEX[30:] + "\n").encode(), base64.b64encode(KEY) + b"\n",
], ids=["upper", "utf8-bom-crlf", "utf16le", "utf16be", "wrapped", "base64"])
def test_a_hex_key_is_the_bytes_it_spells_whatever_its_encoding(tmp_path: Path, content: bytes) -> None:
    plain = key_file(tmp_path / "plain.key", HEX.encode() + b"\n")
    other = key_file(tmp_path / "other.key", content)
    results = []
    for key, out in ((plain, "a"), (other, "b")):
        code, stdout, err = pseudonymise(tmp_path, key, out=out)
        assert code == 0, err
        results.append(((tmp_path / out / "e.csv").read_text(), err.split("key ")[1][:8]))
        assert HEX not in stdout + err and HEX.upper() not in stdout + err
    assert results[0] == results[1]


@pytest.mark.parametrize("content, says", [
    (HEX[:-1].encode(), "63 hex digits"),
    (HEX.encode() + b"0", "65 hex digits"),
    ((HEX * 2).encode(), "128 hex digits"),
    (b"abcdefghijklmnopqrstuvwxyz012345", "not a key"),  # 32 distinct characters, but a guessable phrase
    (b"correct horse battery staple and more words", "a passphrase needs --passphrase"),
    (bytes(range(224, 256)), "xxd -p"),  # 32 raw bytes
    ((HEX + "\n").encode("utf-16-le"), "not a key"),  # UTF-16 without a byte-order mark
    (("0123456789abcdef" * 4).encode(), "could be guessed"),
    (base64.b64encode(KEY).upper(), "no small letters"),  # a base64 key retyped in capitals is another key
])
def test_a_key_that_is_not_32_random_bytes_as_hex_or_base64_is_refused(tmp_path: Path, content: bytes, says: str
                                                                       ) -> None:
    code, out, err = pseudonymise(tmp_path, key_file(tmp_path / "region.key", content))
    assert code == 2 and says in err and not (tmp_path / "out").exists()
    assert content.decode("utf-8", "replace").strip()[:20] not in out + err


def test_a_passphrase_is_taken_only_when_said_with_a_warning_and_never_shown(tmp_path: Path) -> None:
    words = "correct horse battery staple and more words"
    key = key_file(tmp_path / "words.key", words.encode() + b"\r\n")
    code, out, err = pseudonymise(tmp_path, key, "--passphrase")
    assert code == 0 and "warning: --passphrase: a passphrase is weaker than a random key" in err
    assert words not in out + err
    again = key_file(tmp_path / "words16.key", codecs.BOM_UTF16_LE + words.encode("utf-16-le"))
    code, _, err = pseudonymise(tmp_path, again, "--passphrase", out="again")
    assert code == 0 and (tmp_path / "again" / "e.csv").read_text() == (tmp_path / "out" / "e.csv").read_text()
    prints = set()
    for n, ending in enumerate((b"\n", b"\r\n", b"\r")):  # two lines, saved by three editors: one key
        lines = key_file(tmp_path / f"lines{n}.key", ending.join([b"correct horse battery", b"staple and more words"]) + ending)
        code, _, err = pseudonymise(tmp_path, lines, "--passphrase", out=f"lines{n}")
        assert code == 0, err
        prints.add(re.search(r"key ([0-9a-f]{8})", err)[1])
    assert len(prints) == 1


@pytest.mark.parametrize("content, says", [
    (b"short but sweet", "has 15 characters; one needs at least 20"),
    (b"abababababababababababab", "repeats a few characters"),
    (HEX.encode(), "holds a key written as hex or base64, not a passphrase"),
    (HEX[:-1].encode(), "holds a key written as hex or base64, not a passphrase"),
])
def test_a_weak_passphrase_or_a_key_given_as_one_is_refused(tmp_path: Path, content: bytes, says: str) -> None:
    code, out, err = pseudonymise(tmp_path, key_file(tmp_path / "region.key", content), "--passphrase")
    assert code == 2 and says in err and content.decode() not in out + err


def test_a_key_inside_the_output_folder_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    key = make_key(tmp_path / "out" / "region.key")
    code, _, err = pseudonymise(tmp_path, key, "--quiet")
    assert code == 0 and "warning: the key" in err and "is inside --output-dir" in err
    code, _, err = pseudonymise(tmp_path, make_key(tmp_path / "elsewhere.key"), out="other")
    assert code == 0 and "warning" not in err


def test_a_key_others_can_read_or_write_is_refused_but_an_export_given_as_the_key_is_said_to_be_no_key(tmp_path: Path) -> None:
    for mode, says in ((0o644, "readable by every user"), (0o602, "writable by every user")):
        code, _, err = pseudonymise(tmp_path, key_file(tmp_path / f"{mode:o}.key", HEX.encode() + b"\n", mode))
        assert code == 2 and says in err and "chmod 600" in err, mode
    export = key_file(tmp_path / "kent.csv", (tmp_path / "e.csv").read_bytes(), 0o644)  # an export, readable by all
    code, _, err = pseudonymise(tmp_path, export)
    assert code == 2 and "not a key" in err and "chmod" not in err and "SW100001" not in err


KEYS = {
    "hex": HEX.encode() + b"\n", "hex-utf16": codecs.BOM_UTF16_LE + HEX.encode("utf-16-le"),
    "base64": base64.b64encode(KEY), "blank-first-line": b"\n\n" + HEX.encode() + b"\n",
}


@pytest.mark.parametrize("kind", KEYS)
@pytest.mark.parametrize("command", [[], ["columns"], ["--history"], ["pseudonymise"]])
def test_a_key_given_as_an_export_or_history_is_refused_and_never_shown(tmp_path: Path, kind: str, command: list[str]
                                                                        ) -> None:
    key = key_file(tmp_path / "region.key", KEYS[kind])
    export = write_csv(tmp_path / "e.csv", [COMPLIANT])
    if command == ["--history"]:
        args = [str(export), "--history", str(key)]
    elif command == ["pseudonymise"]:
        real = make_key(tmp_path / "real.key")
        args = ["pseudonymise", str(key), "--key-file", str(real), "--output-dir", str(tmp_path / "out")]
    else:
        args = [*command, str(key)]
    code, out, err = run(*args)
    assert code == 2 and "looks like a key file, not an export; its content is not shown" in err
    assert HEX[:16] not in (out + err).lower() and base64.b64encode(KEY).decode()[:16] not in out + err


@pytest.mark.slow
def test_the_key_file_given_as_the_file_to_pseudonymise_is_refused_unread(tmp_path: Path) -> None:
    words = "my region's passphrase is long enough to pass"
    key = key_file(tmp_path / "region.key", words.encode())
    for passed in (key, tmp_path / "." / "region.key"):
        code, out, err = pseudonymise(tmp_path, key, "--passphrase", files=[passed])
        assert code == 2 and "is the --key-file, a key, not an export; its content is not shown" in err
        assert words[:12] not in out + err
    commas = key_file(tmp_path / "phrase.txt", b"my region's passphrase, with commas, is long enough\n")
    code, out, err = run("columns", str(key_file(tmp_path / "role.txt", b"my region's passphrase, role, river bend\n")))
    assert words[:12] not in out + err and "river bend" not in out + err and "not shown" in out  # one field names a column
    lines = key_file(tmp_path / "lines.txt", b"my region's passphrase, first line\nsecond line, of it\n\nthird, line 3\n")
    for passed in (key, commas, lines):  # a passphrase passed to the check, with commas or without, of several lines: never shown
        for command in ([passed], ["columns", passed], [compliant_export(tmp_path), "--history", passed]):
            code, out, err = run(*map(str, command))
            assert code == 2 and words[:12] not in out + err and "not shown" in out + err, command


def compliant_export(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "e.csv", [COMPLIANT])


def test_a_header_only_export_naming_its_columns_is_still_read_as_an_empty_export(tmp_path: Path) -> None:
    """The one-line refusal is for lines naming no column: an export with a header and no rows is checked (0 rows)."""
    empty = tmp_path / "empty.csv"
    empty.write_text("engagement_id,worker_id,la_code,role,start_date\n")
    code, out, err = run(str(empty))
    assert code == 0 and "0 rows read" in out, err


def test_no_written_row_holds_a_number_beside_a_pseudonym(tmp_path: Path) -> None:
    rows = [
        {**COMPLIANT, "engagement_id": "E_SW310002", "worker_id": "SW310002", "agency": "Locum SW310001 Ltd",
         "framework": "SW-310004/310005-A1", "notice_period_weeks": "2"},  # a breach, so the agency reaches the report
        {**COMPLIANT, "engagement_id": "SW123456-B", "worker_id": "SW12345", "agency": "sw 310 003 Agency",
         "framework": "FW-1"},
        {**COMPLIANT, "engagement_id": "SW310003A", "worker_id": "310003", "agency": "", "framework": ""},
    ]
    key = make_key(tmp_path / "region.key")
    code, _, err = pseudonymise(tmp_path, key, files=[write_csv(tmp_path / "e.csv", rows)])
    written = (tmp_path / "out" / "e.csv").read_text()
    assert code == 0 and "3 row(s) had a registration number in another column" in err
    for line in written.splitlines()[1:]:
        assert not IN_CLEAR.search(PSEUDONYM.sub("|", line.rsplit(",", 1)[0])), line  # all but source_row, a row number
    assert "310001" not in PSEUDONYM.sub("|", written) and "12345" not in PSEUDONYM.sub("|", written)
    code, report, _ = run(str(tmp_path / "out" / "e.csv"), "--format", "json")
    assert "Locum P-" in report and "310001" not in PSEUDONYM.sub("|", report)


def test_pseudonymising_a_written_file_again_changes_nothing(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "E_SW310002", "worker_id": "SW310002", "agency": "Locum SW310001 Ltd"}]
    key = make_key(tmp_path / "region.key")
    assert pseudonymise(tmp_path, key, files=[write_csv(tmp_path / "e.csv", rows)])[0] == 0
    code, _, err = pseudonymise(tmp_path, key, files=[tmp_path / "out" / "e.csv"], out="again")
    assert code == 0, err
    assert (tmp_path / "again" / "e.csv").read_text() == (tmp_path / "out" / "e.csv").read_text()


def test_the_output_folder_is_made_if_missing_and_no_file_there_is_ever_replaced(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    kent, medway = write_csv(tmp_path / "kent.csv", [COMPLIANT]), write_csv(tmp_path / "medway.csv", [COMPLIANT])
    code, _, err = pseudonymise(tmp_path, key, files=[kent], out="a/b/pooled")
    assert code == 0 and (tmp_path / "a" / "b" / "pooled" / "kent.csv").exists(), err
    raw = tmp_path / "pooled" / "medway.csv"  # a council's raw export left in the folder
    raw.parent.mkdir()
    raw.write_text("raw, with names")
    code, _, err = pseudonymise(tmp_path, key, files=[kent, medway], out="pooled")
    assert code == 2 and f"{raw}: already exists" in err and "--output-dir" in err and "--output " not in err
    assert raw.read_text() == "raw, with names" and sorted(p.name for p in raw.parent.iterdir()) == ["medway.csv"]


def test_two_inputs_that_would_write_one_name_are_refused_naming_both(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    kent = write_csv(tmp_path / "kent.csv", [COMPLIANT])
    (tmp_path / "other").mkdir()
    for second in (tmp_path / "kent.xlsx", tmp_path / "other" / "kent.csv", tmp_path / "Kent.csv"):
        second.write_bytes(kent.read_bytes())
        code, _, err = pseudonymise(tmp_path, key, files=[kent, second])
        assert code == 2 and f"{kent} and {second} would both be written to" in err and "--output-dir" in err
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize("where", ["input", "file"])
def test_errors_about_the_output_folder_name_output_dir(tmp_path: Path, where: str) -> None:
    key = make_key(tmp_path / "region.key")
    kent = write_csv(tmp_path / "kent.csv", [COMPLIANT])
    folder = tmp_path if where == "input" else tmp_path / "kent.csv"
    code, _, err = run("pseudonymise", str(kent), "--key-file", str(key), "--output-dir", str(folder))
    assert code == 2 and "--output-dir" in err and "--output " not in err
    assert kent.read_text().startswith("engagement_id,worker_id")


def test_a_usage_error_names_what_is_missing_and_a_folder_given_as_an_export_is_taken_for_output_dir(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    kent = write_csv(tmp_path / "kent.csv", [COMPLIANT])
    (tmp_path / "p2").mkdir()
    for args, missing in (
        ([str(kent), str(tmp_path / "p2")], "missing --key-file KEY and --output-dir DIR"),
        ([str(kent), "--output-dir", str(tmp_path / "out")], "missing --key-file KEY:"),
        ([str(kent), "--key-file", str(key)], "missing --output-dir DIR:"),
        (["--key-file", str(key), "--output-dir", str(tmp_path / "out")], "missing the files:"),
    ):
        code, _, err = run("pseudonymise", *args)
        assert code == 2 and missing in err and "internal error" not in err, args
        assert ("did you mean --output-dir" in err) == (str(tmp_path / "p2") in args), args
    assert not (tmp_path / "out").exists()


def test_a_file_that_cannot_be_read_leaves_nothing_in_the_output_folder_so_a_second_run_works(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    kent, broken = write_csv(tmp_path / "kent.csv", [COMPLIANT]), tmp_path / "broken.csv"
    broken.write_text("no,contract,columns\n1,2,3\n")
    code, _, err = pseudonymise(tmp_path, key, files=[kent, broken])
    assert code == 2 and "broken.csv" in err and list((tmp_path / "out").iterdir()) == []
    code, _, err = pseudonymise(tmp_path, key, files=[kent])
    assert code == 0, err


def test_ids_made_one_by_their_numbers_are_said(tmp_path: Path) -> None:
    rows = [{**COMPLIANT, "engagement_id": "SW310001-A"}, {**COMPLIANT, "engagement_id": "310001-A"}]
    key = make_key(tmp_path / "region.key")
    code, _, err = pseudonymise(tmp_path, key, files=[write_csv(tmp_path / "e.csv", rows)])
    assert code == 0 and "row 3: an engagement id that is now an earlier row's" in err


@pytest.mark.slow
def test_blank_lines_stay_blank_so_the_check_reads_as_many_rows_as_the_councils(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "e.csv", [COMPLIANT, {}, {**COMPLIANT, "engagement_id": "E-2"}])
    code, _, err = pseudonymise(tmp_path, make_key(tmp_path / "region.key"), files=[path])
    assert code == 0, err
    for checked in (path, tmp_path / "out" / "e.csv"):
        assert json.loads(run(str(checked), "--format", "json")[1])["summary"]["rows_read"] == 2


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_run_killed_part_way_leaves_nothing_in_the_output_folder(tmp_path: Path, signum: int) -> None:
    """A job stopped while reading (here: waiting on a pipe no one writes) leaves nothing in --output-dir."""
    key = make_key(tmp_path / "region.key")
    kent, pipe = write_csv(tmp_path / "kent.csv", [COMPLIANT]), tmp_path / "medway.csv"
    os.mkfifo(pipe)
    out = tmp_path / "out"
    job = subprocess.Popen([sys.executable, "-m", "agency_rules", "pseudonymise", str(kent), str(pipe), "--key-file", str(key),
                            "--output-dir", str(out)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not out.is_dir() and time.monotonic() < deadline:  # the folder made: it now reads, and waits on the pipe
        time.sleep(0.05)
    time.sleep(0.5)
    job.send_signal(signum)
    _, err = job.communicate(timeout=60)
    assert job.returncode == 128 + signum and "interrupted" in err and "Traceback" not in err
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_a_run_killed_outright_leaves_no_file_under_an_output_name_so_it_can_run_again(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the files are written under hidden names and named only once all are whole."""
    key = make_key(tmp_path / "region.key")
    kent, pipe = write_csv(tmp_path / "kent.csv", [COMPLIANT]), tmp_path / "medway.csv"
    os.mkfifo(pipe)
    out = tmp_path / "out"
    job = subprocess.Popen([sys.executable, "-m", "agency_rules", "pseudonymise", str(kent), str(pipe), "--key-file", str(key),
                            "--output-dir", str(out)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not out.is_dir() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    job.kill()
    job.wait(timeout=60)
    assert not [p.name for p in out.iterdir() if not p.name.startswith(".")]
    pipe.unlink()
    write_csv(pipe, [COMPLIANT])
    code, _, err = pseudonymise(tmp_path, key, files=[kent, pipe])
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["kent.csv", "medway.csv"]


def test_a_run_killed_between_naming_two_files_finishes_when_run_again_and_a_different_file_is_never_replaced(tmp_path: Path) -> None:
    """A kill that cannot be caught, between the names of two outputs, leaves one named: it holds exactly what the run
    writes, so the same command again keeps it and names the other. A file of other bytes under a name is refused, every
    such name said at once."""
    key = make_key(tmp_path / "region.key")
    kent = write_csv(tmp_path / "kent.csv", [COMPLIANT])
    medway = write_csv(tmp_path / "medway.csv", [{**COMPLIANT, "engagement_id": "M-1", "la_code": "E06000035"}])
    code, _, err = pseudonymise(tmp_path, key, files=[kent], out="out")  # as if killed after kent.csv was named
    assert code == 0, err
    first = (tmp_path / "out" / "kent.csv").read_bytes()
    code, out, err = pseudonymise(tmp_path, key, files=[kent, medway], out="out")
    assert code == 0 and "holding exactly this: kept as it is" in " ".join((out + err).split()), err
    assert (tmp_path / "out" / "kent.csv").read_bytes() == first and (tmp_path / "out" / "medway.csv").exists()
    other = make_key(tmp_path / "other.key")  # another key: other bytes under both names
    code, _, err = pseudonymise(tmp_path, other, files=[kent, medway], out="out")
    flat = " ".join(err.split())
    assert code == 2 and "kent.csv" in flat and "medway.csv: already exist" in flat.replace("\n", "")
    assert (tmp_path / "out" / "kent.csv").read_bytes() == first


def test_a_dropped_column_whose_header_names_a_worker_is_not_named_in_clear(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    export = write_csv(tmp_path / "kent.csv", [{**COMPLIANT, "Notes for SW310040": "x", "310041": "y", "Team": "z"}])
    code, out, err = pseudonymise(tmp_path, key, files=[export])
    assert code == 0 and "'Notes for [worker id]'" in err and "'[worker id]'" in err and "'Team'" in err
    assert "310040" not in out + err and "310041" not in out + err


def test_one_export_given_twice_under_two_names_is_refused(tmp_path: Path) -> None:
    key = make_key(tmp_path / "region.key")
    kent = write_csv(tmp_path / "kent.csv", [COMPLIANT])
    (tmp_path / "link.csv").symlink_to(kent)
    code, _, err = pseudonymise(tmp_path, key, files=[kent, tmp_path / "link.csv"])
    assert code == 2 and f"link.csv: is {kent} again" in err and not (tmp_path / "out").exists()
