"""agency-rules: check agency social worker engagements against the national rules and regional MoUs."""

__version__ = "0.1.0"
