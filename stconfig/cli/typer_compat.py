"""The only module that reaches into Typer's private API; `pyproject.toml` bounds Typer to the
minor release these names were checked against.

Typer vendors its own click (`typer._click`), so click's exception classes must be Typer's, not
those of the `click` package Streamlit brings.
"""

from __future__ import annotations

from typing import Any

from typer._click.core import Context
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.parser import _OptionParser, _ParsingState
from typer._completion_classes import completion_init
from typer._completion_shared import get_completion_script
from typer.core import TyperArgument, TyperCommand

from stconfig.cli.spec import is_negative_number

__all__ = [
    "ClickException",
    "NoArgsIsHelpError",
    "PlainCommand",
    "completion_init",
    "get_completion_script",
]


class _PlainArgument(TyperArgument):
    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"


class _NumberParser(_OptionParser):
    def _process_opts(self, arg: str, state: _ParsingState) -> None:
        # A negative number is a positional value, as the fast path reads it.
        if is_negative_number(arg):
            state.largs.append(arg)
            return
        super()._process_opts(arg, state)


class PlainCommand(TyperCommand):
    """A command whose arguments read as click prints them (`set [OPTIONS] KEY VALUE...`),
    without the type tags (`<str>`, `<list[str]>`) and braces Typer adds; a negative number
    is a value, not an option (`set server.port -1`)."""

    def make_parser(self, ctx: Context) -> _OptionParser:
        parser = _NumberParser(ctx)
        for param in self.get_params(ctx):
            param.add_to_parser(parser, ctx)
        return parser

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _PlainArgument
