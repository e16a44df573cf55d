"""Messages as polars expressions: fixed words with values between them.

`phrase("left {} on {}", la, day)` joins the pieces with `concat_str` (null if a value is null, as a
message about a missing value is built by its own branch). polars' own `pl.format` is not used: in
polars 2.1 it panics on string columns that were filtered in the streaming engine.
"""

from __future__ import annotations

import polars as pl


def phrase(template: str, *values: pl.Expr | str) -> pl.Expr:
    """`template` with each `{}` replaced by the next value; fixed text is never parsed for placeholders."""
    pieces = template.split("{}")
    if len(pieces) != len(values) + 1:
        raise ValueError(f"{template!r} has {len(pieces) - 1} places for {len(values)} values")
    parts: list[pl.Expr] = []
    for text, value in zip(pieces, [*values, None]):
        if text:
            parts.append(pl.lit(text, pl.String))
        if value is not None:
            parts.append(value if isinstance(value, pl.Expr) else pl.lit(value, pl.String))
    return pl.concat_str(parts)
