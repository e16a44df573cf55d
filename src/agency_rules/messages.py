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
            parts.append(
                pl.lit(text)
            )  # a str is a String literal; naming the type costs a Series (8 us, 200 a check)
        if value is not None:
            parts.append(value if isinstance(value, pl.Expr) else pl.lit(value))
    return pl.concat_str(parts)


def row_words(
    row: pl.Expr, source_row: pl.Expr | None = None, file: pl.Expr | None = None
) -> pl.Expr:
    """A row as a reader finds it, the one wording of it: '[kent.csv ]row 22', and for a row of a pseudonymised file,
    the row of the council's own file it was written from: 'kent.csv row 22, row 25 of the council's file' (a title
    above a workbook's header shifts the numbers)."""
    words = (
        phrase("row {}", row.cast(pl.String))
        if file is None
        else phrase("{} row {}", file, row.cast(pl.String))
    )
    if source_row is None:
        return words
    council = phrase("{}, row {} of the council's file", words, source_row.cast(pl.String))
    return pl.when(source_row.is_null()).then(words).otherwise(council)
