"""The command-line interface: `main()` is the `stconfig` console script."""

from __future__ import annotations

import sys


def main() -> None:
    from stconfig.cli.options import fast_command

    command = fast_command(sys.argv[1:])
    if command is not None:
        from stconfig.cli.output import run_guarded

        sys.exit(run_guarded(command))

    from stconfig.cli.commands import app

    app(prog_name="stconfig")
