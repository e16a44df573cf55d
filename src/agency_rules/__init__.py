"""agency-rules: check agency social worker engagements against the national rules and regional MoUs."""

from .api import check
from .version import __version__

__all__ = ["check", "__version__"]
