"""agency-rules: check agency social worker engagements against the national rules and regional MoUs."""

__version__ = "0.2.0"

from .api import check  # noqa: E402

__all__ = ["check", "__version__"]
