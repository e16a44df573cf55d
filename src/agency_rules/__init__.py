"""agency-rules: check agency social worker engagements against the national rules and regional MoUs."""

from __future__ import annotations

from typing import Any

from .version import __version__

__all__ = ["check", "write_json", "__version__"]


def __getattr__(name: str) -> Any:
    """`check` and `write_json` are imported when first used, so that `agency-check` can catch Ctrl-C before polars and the rest load."""
    if name in ("check", "write_json"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'agency_rules' has no attribute {name!r}")
