"""Views of core results: the JSON contract, TOML with source comments, and rich tables.

rich is imported only by the table functions, which run only on a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from stconfig.catalog import Catalog, OptionSpec
from stconfig.model import Layer, Resolution, Resolved, Scope, Setting
from stconfig.redact import HIDDEN, shown
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
    }


def value_text(resolved: Resolved) -> str:
    """A value as a person reads it: hidden secrets, computed defaults, JSON for lists."""
    if resolved.is_computed:
        return COMPUTED
    return to_text(shown(resolved.value, resolved.sensitive))


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
    return tomlrender.annotated(header, sections)


# --- tables (terminal only) -------------------------------------------------------------------


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _source_markup(resolved: Resolved) -> str:
    from rich.markup import escape

    text = escape(resolved.source.describe())
    if resolved.overridden:
        beaten = ", ".join(escape(s.source.describe()) for s in resolved.overridden)
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
    from rich.markup import escape
    from rich.table import Table

    version = resolution.streamlit_version or "not found"
    table = Table(
        title=f"Streamlit {version} · {escape(str(resolution.project_dir))}",
        title_justify="left",
        show_lines=False,
    )
    table.add_column("option", no_wrap=True)
    table.add_column("value")
    table.add_column("source")
    for resolved in selected:
        style = _SCOPE_STYLE[resolved.source.scope]
        table.add_row(
            resolved.key,
            f"[{style}]{escape(value_text(resolved))}[/{style}]",
            _source_markup(resolved),
        )
    if not selected:
        out.print("No option is set in any layer; `stconfig show --all` lists every option.")
        return
    out.print(table)


def show_layers_table(resolution: Resolution, selected: Sequence[Resolved], out: Console) -> None:
    """Every layer's value per option, the winner marked (`show --layers`)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Layers for {escape(str(resolution.project_dir))}", title_justify="left")
    table.add_column("option", no_wrap=True)
    table.add_column("default")
    for layer in resolution.layers:
        table.add_column(layer.scope.value)
    for resolved in selected:
        cells = [resolved.key, COMPUTED if resolved.default_computed else to_text(resolved.default)]
        for layer in resolution.layers:
            setting = layer.settings.get(resolved.key)
            if setting is None:
                cells.append("")
                continue
            text = escape(to_text(shown(setting.value, resolved.sensitive)))
            cells.append(
                f"[bold green]{text} ✔[/]" if setting is _winner(resolved, layer) else text
            )
        table.add_row(*cells)
    out.print(table)


def _winner(resolved: Resolved, layer: Layer) -> Setting | None:
    setting = layer.settings.get(resolved.key)
    return setting if setting is not None and setting.source == resolved.source else None


def describe_lines(spec: OptionSpec, catalog: Catalog) -> list[str]:
    """`describe KEY` as text."""
    default = COMPUTED if spec.computed else to_text(spec.default) or "(no value)"
    lines = [
        spec.key,
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
