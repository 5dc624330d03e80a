"""Parse the commands that scripts call in loops (`spec` marks them `fast`) without Typer.

A call that uses only what `spec` declares, in plain form, becomes an `Options`. Anything else
(`--help`, `--`, bundled short options, a missing value, a mistake) is left to Typer, which parses
the same declarations and reports the error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stconfig.cli.spec import BY_NAME, Arg, Command, Kind, Options, is_negative_number


class _NotPlain(Exception):
    """The arguments need Typer: for its help, its error messages, or a form parsed here never."""


def parse(argv: Sequence[str]) -> tuple[Command, Options] | None:
    """The command and its options for a plain call of a fast command, else None."""
    command = BY_NAME.get(argv[0]) if argv else None
    if command is None or not command.fast:
        return None
    try:
        return command, Options(**_options(command, argv[1:]))
    except _NotPlain:
        return None


def _options(command: Command, argv: Sequence[str]) -> dict[str, Any]:
    by_name = {name: opt for opt in command.options for name in opt.names}
    values: dict[str, Any] = {}
    positionals: list[str] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if not arg.startswith("-") or arg == "-" or is_negative_number(arg):
            positionals.append(arg)
            continue
        name, eq, inline = arg.partition("=")
        opt = by_name.get(name)
        if opt is None:
            raise _NotPlain
        if opt.kind == "flag":
            if eq:
                raise _NotPlain
            values[opt.dest] = True
            continue
        if not eq:
            if not args:
                raise _NotPlain
            inline = args.pop(0)
        value = _convert(opt.kind, opt.choices, inline)
        if opt.repeat:
            values[opt.dest] = (*values.get(opt.dest, ()), value)
        else:
            values[opt.dest] = value
    values.update(_bind(command.args, positionals))
    return values


def _bind(declared: Sequence[Arg], given: list[str]) -> dict[str, Any]:
    """Positionals to their arguments; only the last argument may take a variable number."""
    bound: dict[str, Any] = {}
    rest = list(given)
    for arg in declared:
        if arg.arity in ("many", "some"):
            if arg.arity == "some" and not rest:
                raise _NotPlain
            bound[arg.dest] = tuple(_convert(arg.kind, arg.choices, text) for text in rest)
            rest = []
        elif rest:
            bound[arg.dest] = _convert(arg.kind, arg.choices, rest.pop(0))
        elif arg.arity == "one":
            raise _NotPlain
    if rest:
        raise _NotPlain
    return bound


def _convert(kind: Kind, choices: tuple[str, ...], text: str) -> Any:
    if kind == "path":
        return Path(text)
    if kind in ("float", "int"):
        try:
            return float(text) if kind == "float" else int(text)
        except ValueError:
            raise _NotPlain from None
    if kind == "choice":
        chosen = [choice for choice in choices if choice.lower() == text.lower()]
        if not chosen:
            raise _NotPlain
        return chosen[0]
    return text
