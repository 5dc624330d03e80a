"""Views of core results: the JSON contract, TOML with source comments, and rich tables.

rich is imported only by the table functions, which run only on a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from stconfig.catalog import Catalog, OptionSpec
from stconfig.model import Layer, Resolution, Resolved, Scope, Setting, Source, Unknown, Value
from stconfig.redact import HIDDEN, shown
from stconfig.text import printable, toml_printable
from stconfig.values import to_json, to_text

if TYPE_CHECKING:
    from rich.console import Console

COMPUTED = "<computed>"


def setting_json(setting: Setting, sensitive: bool) -> dict[str, Any]:
    return {**setting.source.to_json(), "value": to_json(shown(setting.value, sensitive))}


def option_json(resolved: Resolved, layers: Sequence[Layer] | None = None) -> dict[str, Any]:
    """One option in the `show --json` shape; with `layers`, every layer's value too."""
    data: dict[str, Any] = {
        "value": None
        if resolved.is_computed
        else to_json(shown(resolved.value, resolved.sensitive)),
        "default": None if resolved.default_computed else to_json(resolved.default),
        "default_computed": resolved.default_computed,
        "source": resolved.source.to_json(),
        "overridden": [setting_json(s, resolved.sensitive) for s in resolved.overridden],
    }
    if resolved.type == "bool":
        data["effective"] = resolved.effective
    if layers is not None:
        data["layers"] = [
            {**setting_json(layer.settings[resolved.key], resolved.sensitive), "wins": False}
            for layer in layers
            if resolved.key in layer.settings
        ]
        if data["layers"] and not resolved.is_default:
            data["layers"][-1]["wins"] = True
    return data


def show_json(
    resolution: Resolution, selected: Iterable[Resolved], with_layers: bool = False
) -> dict[str, Any]:
    """The `show --json` document."""
    file_layers = [layer for layer in resolution.layers if layer.scope.is_file]
    return {
        "streamlit_version": resolution.streamlit_version,
        "project_dir": str(resolution.project_dir),
        "layers": [layer.to_json() for layer in file_layers],
        "options": {
            r.key: option_json(r, resolution.layers if with_layers else None) for r in selected
        },
        "warnings": list(resolution.warnings),
        "start_mode": resolution.start_mode,
    }


def shell_text(value: Value, option_type: str, sensitive: bool) -> str:
    """A value as `get` prints it: a bool option's truthiness, strings bare, lists as JSON."""
    if option_type == "bool":
        value = bool(value)
    return to_text(shown(value, sensitive))


def list_lines(selected: Iterable[Resolved], with_origin: bool) -> list[str]:
    """`show --list`: `key=value` for every option with a value Streamlit will hold."""
    lines = []
    for resolved in selected:
        value = resolved.at_start
        if value is None or isinstance(value, Unknown):
            continue
        line = f"{resolved.key}={shell_text(value, resolved.type, resolved.sensitive)}"
        # The source is escaped even for a script: a path's newline must not start a line.
        lines.append(f"{printable(resolved.source.describe())}\t{line}" if with_origin else line)
    return lines


def display_value(resolved: Resolved) -> str:
    """A value as tables show it: a TOML literal (a string keeps its quotes), hidden secrets,
    computed defaults."""
    if resolved.is_computed:
        return COMPUTED
    return _literal(resolved.value, resolved.sensitive)


def _literal(value: Value, sensitive: bool) -> str:
    if value is None:
        return "(no value)"
    if sensitive:
        return HIDDEN
    from stconfig import tomlrender  # tables run on a terminal only

    return tomlrender.value(value)


# --- TOML -------------------------------------------------------------------------------------


def show_toml(
    resolution: Resolution, selected: Iterable[Resolved], with_layers: bool = False
) -> str:
    """Valid TOML, each value followed by its source as a comment: `show` when piped."""
    from stconfig import tomlrender

    version = resolution.streamlit_version or "not found"
    header = (
        f"Effective Streamlit config (Streamlit: {version}) for {resolution.project_dir}",
        "written by `stconfig show`; each value's source follows it as a comment",
    )
    sections: dict[str, list[tomlrender.Entry]] = {}
    for resolved in selected:
        section, name = resolved.key.rsplit(".", 1)
        placeholder = None
        if resolved.sensitive and resolved.value is not None:
            placeholder = HIDDEN
        elif resolved.is_computed or resolved.value is None:
            placeholder = COMPUTED if resolved.is_computed else "(no value)"
        overrides: tuple[str, ...] = ()
        if with_layers:
            overrides = tuple(
                f"  overrides {setting.source.describe()} = "
                + (HIDDEN if resolved.sensitive else tomlrender.value(setting.value))
                for setting in resolved.overridden
            )
        entry = tomlrender.Entry(
            name, resolved.value, resolved.source.describe(), shown=placeholder, after=overrides
        )
        sections.setdefault(section, []).append(entry)
    return toml_printable(tomlrender.annotated(header, sections))


# --- tables (terminal only) -------------------------------------------------------------------


def console(env: Mapping[str, str] | None = None, *, stderr: bool = False) -> Console:
    """The rich console of every table and status line: without any style (bold and italic too,
    not only colour) under NO_COLOR or TERM=dumb, and never 0 columns wide."""
    from rich.console import Console

    env = os.environ if env is None else env
    plain = "NO_COLOR" in env or env.get("TERM") == "dumb"
    return Console(
        highlight=False,
        soft_wrap=False,
        stderr=stderr,
        width=_width(env.get("COLUMNS")),
        color_system=None if plain else "auto",
        no_color=plain,
    )


_DEFAULT_WIDTH = 80
_MIN_WIDTH = 40  # the narrowest a table still shows a short value in


def _width(columns: str | None) -> int | None:
    """COLUMNS as rich should take it: None (the terminal's own width) when unset, the default
    when it is not a positive number, which rich would take as a width of nothing."""
    if columns is None:
        return None
    if not columns.strip().isdigit() or int(columns) < 1:
        return _DEFAULT_WIDTH
    return max(int(columns), _MIN_WIDTH)


def _cell(text: str) -> str:
    """Text for a table cell: rich's markup escaped, and control characters (`printable`)."""
    from rich.markup import escape

    return escape(printable(text))


def _short_source(source: Source, resolution: Resolution) -> str:
    """A source as a narrow table shows it: paths relative to the project, or under `~`."""
    path = source.path
    if path is None:
        return source.describe()
    for base, prefix in ((resolution.project_dir, ""), (resolution.home, "~/")):
        try:
            return source.describe(prefix + str(path.relative_to(base)))
        except ValueError:
            continue
    return source.describe()


def _source_markup(resolved: Resolved, resolution: Resolution) -> str:
    text = _cell(_short_source(resolved.source, resolution))
    if resolved.overridden:
        beaten = ", ".join(_cell(_short_source(s.source, resolution)) for s in resolved.overridden)
        text += f"\n[dim]overrides {beaten}[/dim]"
    return text


_SCOPE_STYLE = {
    Scope.DEFAULT: "dim",
    Scope.GLOBAL: "cyan",
    Scope.PROJECT: "green",
    Scope.SCRIPT: "magenta",
    Scope.ENV: "yellow",
    Scope.FLAG: "bold yellow",
    Scope.FILE: "blue",
}


def show_table(resolution: Resolution, selected: Sequence[Resolved], out: Console) -> None:
    from rich.table import Table

    version = resolution.streamlit_version or "not found"
    table = Table(
        title=f"Streamlit {version} · {_cell(str(resolution.project_dir))}",
        title_justify="left",
        show_lines=False,
    )
    # Long values and paths fold onto more lines rather than lose their end (the `:line`).
    table.add_column("option", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("source", overflow="fold")
    for resolved in selected:
        style = _SCOPE_STYLE[resolved.source.scope]
        table.add_row(
            resolved.key,
            f"[{style}]{_cell(display_value(resolved))}[/{style}]",
            _source_markup(resolved, resolution),
        )
    if not selected:
        out.print("No option is set in any layer; `stconfig show --all` lists every option.")
        return
    out.print(table)


def show_layers_table(resolution: Resolution, selected: Sequence[Resolved], out: Console) -> None:
    """Every layer's value per option, the winner marked (`show --layers`)."""
    from rich.table import Table

    table = Table(title=f"Layers for {_cell(str(resolution.project_dir))}", title_justify="left")
    table.add_column("option", no_wrap=True)
    table.add_column("default")
    for layer in resolution.layers:
        table.add_column(layer.scope.value)
    for resolved in selected:
        default = COMPUTED if resolved.default_computed else _literal(resolved.default, False)
        cells = [resolved.key, _cell(default)]
        for layer in resolution.layers:
            setting = layer.settings.get(resolved.key)
            if setting is None:
                cells.append("")
                continue
            text = _cell(_literal(setting.value, resolved.sensitive))
            cells.append(
                f"[bold green]{text} ✔[/]" if setting is _winner(resolved, layer) else text
            )
        table.add_row(*cells)
    out.print(table)


def _winner(resolved: Resolved, layer: Layer) -> Setting | None:
    setting = layer.settings.get(resolved.key)
    return setting if setting is not None and setting.source == resolved.source else None


def _acts_on(resolved: Resolved) -> str:
    if resolved.type != "bool" or isinstance(resolved.value, bool) or resolved.effective is None:
        return ""
    return f": Streamlit treats it as {to_text(resolved.effective)}"


def options_table(specs: Sequence[OptionSpec], out: Console) -> None:
    """`options` on a terminal."""
    from rich.table import Table

    table = Table(title_justify="left")
    table.add_column("option", no_wrap=True)
    table.add_column("type")
    table.add_column("default")
    for spec in specs:
        default = COMPUTED if spec.computed else _literal(spec.default, False)
        table.add_row(spec.key, spec.type_label, _cell(default))
    out.print(table)


def describe_lines(spec: OptionSpec, catalog: Catalog, resolved: Resolved) -> list[str]:
    """`describe KEY` as text, with the option's value here and where it comes from."""
    default = COMPUTED if spec.computed else _literal(spec.default, False)
    lines = [
        spec.key,
        f"  value:       {display_value(resolved)} ({resolved.source.describe()})"
        + _acts_on(resolved),
        f"  type:        {spec.type_label}",
        f"  default:     {default}",
    ]
    if spec.allowed:
        lines.append(f"  allowed:     {', '.join(spec.allowed)}")
    lines.append(f"  env var:     {spec.env_var}")
    if not spec.sensitive:
        lines.append(f"  flag:        {spec.flag} (streamlit run)")
    notes = [
        note
        for note, on in (
            ("sensitive: never printed, not settable by flag", spec.sensitive),
            ("hidden", spec.hidden),
            ("deprecated", spec.deprecated),
            ("settable from a script with st.set_option", spec.scriptable),
        )
        if on
    ]
    if notes:
        lines.append(f"  notes:       {'; '.join(notes)}")
    version = catalog.streamlit_version or f"{catalog.data_version} (shipped)"
    lines.append(f"  streamlit:   {version}")
    lines += ["", *("  " + line for line in spec.description.strip().splitlines())]
    return lines


def spec_json(spec: OptionSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "type": spec.type,
        "multiple": spec.multiple,
        "default": None if spec.computed else to_json(spec.default),
        "default_computed": spec.computed,
        "allowed": list(spec.allowed) if spec.allowed else None,
        "env_var": spec.env_var,
        "flag": None if spec.sensitive else spec.flag,
        "sensitive": spec.sensitive,
        "hidden": spec.hidden,
        "deprecated": spec.deprecated,
        "scriptable": spec.scriptable,
        "description": spec.description.strip(),
    }
