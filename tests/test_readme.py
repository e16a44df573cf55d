"""The README's Python example runs as written, from the repository's root, and says what its comments say."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from .conftest import REPO


@pytest.mark.slow
def test_the_python_api_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## From Python") :]
    [code] = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:1]
    monkeypatch.chdir(REPO)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    assert "{'pass': 22, 'breach': 3, 'unknown': 1," in out.getvalue()
    assert "rule_id" in out.getvalue() and "message" in out.getvalue()
