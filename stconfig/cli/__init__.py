"""The command-line interface: `main()` is the `stconfig` console script."""

from __future__ import annotations

import sys


def main() -> None:
    _tolerate_narrow_encodings()
    from stconfig.cli.fastpath import parse

    parsed = parse(sys.argv[1:])
    if parsed is not None:
        from stconfig.cli.output import run_guarded
        from stconfig.cli.spec import runner

        command, options = parsed
        sys.exit(run_guarded(lambda: runner(command)(options)))

    from stconfig.cli.commands import app

    app(prog_name="stconfig")


def _tolerate_narrow_encodings() -> None:
    """Under an encoding that cannot hold every character (`PYTHONIOENCODING=ascii`, a C locale),
    a character it lacks is printed as a `\\x`/`\\u` escape rather than ending the command;
    bytes Python could not decode (from the environment, in a C locale) still go out as they came
    in. JSON stays exact: `emit_json` escapes such characters the JSON way."""
    import codecs

    codecs.register_error("stconfig", _escape_or_pass_bytes)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) in _UNFORGIVING:
            reconfigure(errors="stconfig")


_UNFORGIVING = ("strict", "surrogateescape")


def _escape_or_pass_bytes(error: UnicodeError) -> tuple[str | bytes, int]:
    import codecs

    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    undecoded = all("\udc80" <= char <= "\udcff" for char in chunk)
    return codecs.lookup_error("surrogateescape" if undecoded else "backslashreplace")(error)
