"""The command line's help in plain text: each option with its metavar and words, no Python types, no frames,
and lines broken only between words (`agency-check` and `[table|json|xlsx]` are never split), so a help page
reads the same in any terminal and copies cleanly."""

from __future__ import annotations

import os
import shutil
import textwrap
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

WIDEST = 100
INDENT = 2
GAP = 2


def _width() -> int:
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() else shutil.get_terminal_size((80, 24)).columns
    return max(40, min(width, WIDEST))


def _wrap(text: str, width: int, indent: int, first: int | None = None) -> list[str]:
    wrapper = textwrap.TextWrapper(
        width=width,
        initial_indent=" " * (indent if first is None else first),
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
        break_long_words=False,
    )
    return wrapper.wrap(" ".join(text.split())) or [""]


def _named(param: Any) -> str:
    """'--format [table|json]', '-o, --output FILE', 'FILE...': how a user types it."""
    if param.param_type_name == "argument":
        name = param.metavar or param.name.upper()
        return name + ("..." if param.nargs == -1 else "")
    opts = sorted(param.opts, key=lambda opt: (opt.startswith("--"), opt))
    flags = ", ".join(opts)
    return flags if param.is_flag else f"{flags} {param.metavar or param.name.upper()}"


def _about(param: Any) -> str:
    words = param.help or ""
    shown = param.show_default and param.default not in (None, False, [], ())
    if shown:
        default = getattr(param.default, "value", param.default)
        words += f" (default: {default})"
    if param.required:
        words += " (required)"
    return words


def _rows(title: str, rows: list[tuple[str, str]], width: int) -> list[str]:
    if not rows:
        return []
    column = min(max(len(name) for name, _ in rows) + INDENT + GAP, width // 3)
    lines = ["", f"{title}:"]
    for name, about in rows:
        head = " " * INDENT + name
        if len(head) + GAP <= column:
            body = _wrap(about, width, column)
            lines.append(head + body[0][len(head) :])
            lines += body[1:]
        else:  # a long option name has its words on the lines below
            lines.append(head)
            lines += _wrap(about, width, column) if about else []
    return lines


def _text(ctx: typer.Context, command: Any, rows: list[tuple[str, list[tuple[str, str]]]]) -> str:
    width = _width()
    usage = " ".join(command.collect_usage_pieces(ctx)).replace("[ARGS]...", "[ARGS]")
    lines = _wrap(f"Usage: {ctx.command_path} {usage}", width, 4, 0)
    if command.help:
        lines += ["", *_wrap(command.help, width, INDENT)]
    for title, entries in rows:
        lines += _rows(title, entries, width)
    if command.epilog:
        lines += [
            "",
            *(
                line.replace("\b", "").rstrip()
                for line in command.epilog.splitlines()
                if line != "\b"
            ),
        ]
    return "\n".join(lines)


def _params(ctx: typer.Context, command: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    return [
        ("Arguments", [(_named(p), _about(p)) for p in params if p.param_type_name == "argument"]),
        ("Options", [(_named(p), _about(p)) for p in params if p.param_type_name == "option"]),
    ]


class PlainCommand(TyperCommand):
    def get_help(self, ctx: Any) -> str:
        return _text(ctx, self, _params(ctx, self))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        arguments = [_named(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]
        return ["[OPTIONS]", *arguments]


class PlainGroup(TyperGroup):
    def get_help(self, ctx: Any) -> str:
        commands = [
            (name, self.commands[name].short_help or "") for name in self.list_commands(ctx)
        ]
        return _text(ctx, self, [*_params(ctx, self), ("Commands", commands)])
