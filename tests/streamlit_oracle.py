"""What real Streamlit resolves for `streamlit run SCRIPT FLAGS...`: every option's value and
`where_defined`, as JSON. A standalone script (no stconfig imports) for any interpreter with
Streamlit >= 1.40; the caller sets the working directory, HOME and the environment.

    python streamlit_oracle.py OUT.json [--construction cli|context] SCRIPT [FLAG...]

`cli` (the default) runs Streamlit's own click entry point, `main(["run", SCRIPT, *FLAGS])`,
exactly as the `streamlit` command does, and stops it at `check_credentials()`, the first call
after the config is loaded in every version from 1.40 to today. `context` builds the click context
of `run` under the `streamlit` group by hand and loads the config the way `_main_run` does; the
two must agree, which proves the cut-off point changes nothing.

OUT.json: {"streamlit_version", "status": "ok" | "exit" | "error", "exit_code", "error",
"options": {key: {"value", "where_defined", "hidden"}}, "toml_divergence": [path, ...]}.
"exit" is a SystemExit from click (a bad env value exits 2) or Streamlit; "error" an exception
while loading (e.g. a top-level key).
Sensitive options (server.cookieSecret) are random per process: their value is not reported.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


class _ConfigLoaded(Exception):
    """Raised in place of `check_credentials()`: the config is loaded, stop before the server."""


def _json_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_json_value(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def snapshot() -> dict[str, dict[str, Any]]:
    """Every option's value and where_defined in this process's loaded Streamlit config."""
    from streamlit import config

    options: dict[str, dict[str, Any]] = {}
    for key, option in config.get_config_options().items():
        hidden = bool(getattr(option, "sensitive", False))
        entry: dict[str, Any] = {"value": None, "where_defined": option.where_defined}
        entry["hidden"] = hidden
        if not hidden:
            # `get_option` evaluates computed defaults (server.headless, ...) as Streamlit does;
            # some fail on odd input (browser.serverPort is int(server.port)).
            try:
                entry["value"] = _json_value(config.get_option(key))
            except Exception as error:
                entry["value_error"] = f"{type(error).__name__}: {error}"
        options[key] = entry
    return options


def toml_divergence() -> list[str]:
    """Config files Streamlit reads with the third-party `toml` package (1.40) that `toml` reads
    unlike TOML 1.0 (`tomllib`): its own parser bugs, beyond what a TOML reader can agree with."""
    import inspect

    from streamlit import config

    if "toml.loads" not in inspect.getsource(config._update_config_with_toml):
        return []
    try:
        import tomllib

        import toml
    except ImportError:
        return []

    def toml_1_0(text: str) -> Any:
        bom = text.startswith("\ufeff")
        # One quirk is known and modelled (tests/test_differential.py, bom_then_bare_key): a BOM
        # before a bare key is glued to that key; before anything else it is an error.
        if bom and not (text[1:2].isascii() and (text[1:2].isalnum() or text[1:2] in "_-")):
            return "error"
        parsed = tomllib.loads(text[1:] if bom else text)
        if bom:
            first = next(iter(parsed))
            parsed = {("\ufeff" + k if k == first else k): v for k, v in parsed.items()}
        return parsed

    found = []
    for path in getattr(config, "CONFIG_FILENAMES", []):
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        readings = []
        for parse in (toml.loads, toml_1_0):
            try:
                readings.append(parse(text))
            except Exception:
                readings.append("error")
        if readings[0] != readings[1]:
            found.append(path)
    return found


def _run_cli(script: str, flags: list[str]) -> None:
    from streamlit.web import cli

    def stop(*_args: Any, **_kwargs: Any) -> None:
        raise _ConfigLoaded

    cli.check_credentials = stop  # type: ignore[assignment]
    cli.main(["run", script, *flags], prog_name="streamlit", standalone_mode=True)


def _run_context(script: str, flags: list[str]) -> None:
    import click
    from streamlit import config
    from streamlit.web import bootstrap, cli

    group = cli.main
    # The group's context_settings carry auto_envvar_prefix="STREAMLIT"; the child context of
    # `run` then reads STREAMLIT_RUN_<PARAM> as click does for `streamlit run`.
    parent = click.Context(group, info_name="streamlit", **group.context_settings)
    try:
        with parent:
            ctx = cli.main_run.make_context("run", [script, *flags], parent=parent)
            with ctx:
                kwargs = {k: v for k, v in ctx.params.items() if k not in ("target", "args")}
                # What `_main_run` does first (1.67); 1.40 has no script-level file and ignores it.
                config._main_script_path = os.path.abspath(script)  # type: ignore[attr-defined]
                bootstrap.load_config_options(flag_options=kwargs)
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    raise _ConfigLoaded


def main(argv: list[str]) -> int:
    out, rest = argv[0], argv[1:]
    construction = "cli"
    if rest[:1] == ["--construction"]:
        construction, rest = rest[1], rest[2:]
    script, flags = rest[0], rest[1:]

    import streamlit

    result: dict[str, Any] = {
        "streamlit_version": streamlit.__version__,
        "construction": construction,
        "status": "ok",
        "exit_code": None,
        "error": None,
        "options": {},
        "toml_divergence": toml_divergence(),
    }
    runner = _run_cli if construction == "cli" else _run_context
    try:
        runner(script, flags)
        result["status"] = "error"
        result["error"] = "returned without loading the config"
    except _ConfigLoaded:
        result["options"] = snapshot()
    except SystemExit as exit_:
        result["status"] = "exit"
        code = exit_.code
        result["exit_code"] = code if isinstance(code, int) else 1
        result["error"] = None if isinstance(code, int) or code is None else str(code)
    except Exception as error:
        result["status"] = "error"
        result["error"] = f"{type(error).__module__}.{type(error).__qualname__}: {error}"
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
