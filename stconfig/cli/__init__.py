"""The command-line interface: `main()` is the `stconfig` console script."""

from __future__ import annotations

import sys


def main() -> None:
    from stconfig.cli.fastpath import parse

    parsed = parse(sys.argv[1:])
    if parsed is not None:
        from stconfig.cli.output import run_guarded
        from stconfig.cli.spec import runner

        command, options = parsed
        sys.exit(run_guarded(lambda: runner(command)(options)))

    from stconfig.cli.commands import app

    app(prog_name="stconfig")
