"""agency-rules: check agency social worker engagements against the national rules and regional MoUs."""

from __future__ import annotations

from typing import Any

from .version import __version__

__all__ = ["check", "__version__"]


def __getattr__(name: str) -> Any:
    """`check` is imported when first used, so that `agency-check` can catch Ctrl-C before polars and the rest load."""
    if name == "check":
        from .api import check

        return check
    raise AttributeError(f"module 'agency_rules' has no attribute {name!r}")
