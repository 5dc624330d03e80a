"""Merge the layers by precedence into each option's effective value, keeping what it overrides.

The world it resolves is a `Context` (stconfig.context), which every caller states exactly.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from stconfig import computed, themefile
from stconfig.catalog import Catalog, OptionSpec
from stconfig.context import Context as Context  # where callers have always found it
from stconfig.errors import NotSetError
from stconfig.layers import read_env_layer, read_file_layer, read_flag_layer
from stconfig.locate import (
    file_layer_paths,
    parent_config_file,
    script_config_path,
)
from stconfig.model import Layer, Resolution, Resolved, Scope, Setting, Source, Unknown, Value
from stconfig.problems import no_script_config, parent_config
from stconfig.redact import is_secret, secret_env_names
from stconfig.startup import conflicts, value_problems

_UNKNOWN_NAMED = 10  # unknown keys a warning names


def read_layers(context: Context, catalog: Catalog) -> list[Layer]:
    """Every layer in precedence order, lowest first (the default layer is the catalog)."""
    paths = file_layer_paths(
        context.home, context.project_dir, context.script, catalog.reads_script_config
    )
    layers = [read_file_layer(p.scope, p.path, catalog, context.env) for p in paths]
    if context.use_env:
        layers.append(read_env_layer(catalog, context.env))
    layers.append(read_flag_layer(catalog, context.flags))
    return layers


def catalog_warnings(catalog: Catalog) -> list[str]:
    """What users must know about the catalog itself: no Streamlit found, or its options could
    not be read, so another version's catalog stands in."""
    warnings = []
    if catalog.streamlit_version is None:
        warnings.append(
            f"no Streamlit found: using the option catalog shipped for {catalog.data_version}"
        )
    if catalog.fallback_reason is not None:
        warnings.append(
            f"cannot read the options of Streamlit {catalog.streamlit_version} "
            f"({catalog.fallback_reason}): using the catalog shipped for {catalog.data_version}"
        )
    return warnings


def _warnings(context: Context, catalog: Catalog, layers: Sequence[Layer]) -> list[str]:
    warnings = catalog_warnings(catalog)
    for layer in layers:
        where = f"{layer.scope.value} {layer.path}" if layer.path else layer.scope.value
        if layer.error:
            place = (
                f"{layer.scope.value} {layer.error_position.text()}"
                if layer.error_position
                else where
            )
            warnings.append(f"{place}: {layer.error}")
        if layer.unknown:
            count = len(layer.unknown)
            # One line, however many: a file of thousands of unknown keys names the first few.
            named = sorted(layer.unknown)[:_UNKNOWN_NAMED]
            more = f" and {count - len(named)} more" if count > len(named) else ""
            warnings.append(
                f"{where}: Streamlit {catalog.streamlit_version or catalog.data_version} ignores "
                f"{count} key{'s' * (count != 1)} it does not know: "
                f"{', '.join(named)}{more} (see `stconfig check`)"
            )
    if context.script is not None and not catalog.reads_script_config:
        script_config = script_config_path(context.script)
        warnings.append(no_script_config(catalog.streamlit_version, script_config))
    parent = parent_config_file(context.project_dir, context.home)
    if parent is not None:
        message, hint = parent_config(parent, context.project_dir)
        warnings.append(f"{message} ({hint})")
    return warnings


def _merge(spec: OptionSpec, layers: Sequence[Layer], secret_names: frozenset[str]) -> Resolved:
    """One option's value from the highest layer that sets it, with the ones it overrides."""
    settings: list[Setting] = [
        layer.settings[spec.key] for layer in layers if spec.key in layer.settings
    ]
    winner = settings[-1] if settings else None
    return Resolved(
        key=spec.key,
        value=winner.value if winner else spec.default,
        source=winner.source if winner else Source(Scope.DEFAULT),
        default=spec.default,
        default_computed=spec.computed,
        sensitive=is_secret(spec.sensitive, settings, secret_names),
        overridden=tuple(reversed(settings[:-1])),
        type=spec.type,
    )


def resolve(
    context: Context, catalog: Catalog | None = None, keys: Collection[str] | None = None
) -> Resolution:
    """Every option's effective value, or only those of `keys` (`scan` asks for one option of
    many apps; the others are merged only where a computed default needs them)."""
    catalog = catalog or context.catalog()
    layers = read_layers(context, catalog)
    secret_names = secret_env_names(catalog, layers)
    wanted = set(catalog.options if keys is None else keys)
    if any(key.startswith("theme.") for key in wanted):
        wanted.add("theme.base")  # a theme file it names gives the other theme options
    options = {
        key: _merge(catalog.options[key], layers, secret_names)
        for key in catalog.options
        if key in wanted
    }
    warnings = _warnings(context, catalog, layers)
    base = options["theme.base"].value if "theme.base" in options else None
    if themefile.follows(base, catalog):
        theme = themefile.read_theme_file(base, context.project_dir, catalog)
        layers.insert(0, theme.layer)
        warnings.extend(themefile.describe(placed) for placed in theme.problems)
        if not theme.fatal and theme.path is not None:
            options = themefile.apply(options, theme)
    script, mode = context.script, None
    if script is not None:
        from stconfig import startmode  # its `ast` import is paid only with --script

        mode = startmode.start_mode(script, catalog)
    at_start = _with_values_at_start(options, context, catalog, layers)
    warnings.extend(_start_refusals(at_start, catalog))
    return Resolution(
        streamlit_version=catalog.streamlit_version,
        project_dir=context.project_dir,
        home=context.home,
        layers=tuple(layers),
        options=at_start,
        warnings=tuple(warnings),
        start_mode=None if mode is None else mode.mode,
        start_note=None if mode is None or script is None else mode.note(script),
    )


def _start_refusals(options: Mapping[str, Resolved], catalog: Catalog) -> list[str]:
    """What makes Streamlit refuse to start with these values (`check` has the warnings too),
    so that `show` never presents a config as if all were well."""
    found = [
        f"{resolved.source.describe()}: {problem.message}"
        for resolved in options.values()
        if not resolved.is_default
        for problem in value_problems(catalog.options[resolved.key], resolved.value, catalog)
        if problem.severity == "error"
    ]
    found.extend(
        f"{conflict.source.describe()}: {conflict.problem.message}"
        for conflict in conflicts(options)
        if conflict.problem.severity == "error"
    )
    return found


def _with_values_at_start(
    options: dict[str, Resolved], context: Context, catalog: Catalog, layers: Sequence[Layer]
) -> dict[str, Resolved]:
    """Each option with the value Streamlit will hold once started (`computed` derives what it
    can of the defaults Streamlit computes)."""
    inputs = computed.Inputs(
        env=context.env,
        home=context.home,
        project_dir=context.project_dir,
        script=context.script,
        reads_script_config=catalog.reads_script_config,
        install=context.streamlit,
    )
    memo: dict[str, Value | Unknown] = {}

    def at_start(key: str) -> Value | Unknown:
        if key not in memo:
            resolved = options.get(key) or _merge(catalog.options[key], layers, frozenset())
            memo[key] = (
                computed.derive(key, at_start, inputs) if resolved.is_computed else resolved.value
            )
        return memo[key]

    return {key: replace(resolved, at_start=at_start(key)) for key, resolved in options.items()}


def select(
    resolution: Resolution, catalog: Catalog, filters: Sequence[str], include_all: bool
) -> list[Resolved]:
    """The options `show` prints: those set in some layer (every visible one with `include_all`),
    or those the filters name: a key (shown even when hidden), or a section, glob or part of a
    key as `stconfig options` matches them (their options with a value; all with `include_all`)."""
    if not filters:
        return [
            r
            for r in resolution.options.values()
            if not r.is_default or (include_all and not catalog.options[r.key].hidden)
        ]
    chosen: dict[str, Resolved] = {}
    for name in filters:
        if name in resolution.options:
            chosen[name] = resolution.options[name]
            continue
        matched = catalog.match(name)
        if not matched and any(char in name for char in "*?["):
            raise NotSetError(f"no option matches {name!r}")
        if not matched:
            catalog.require(name)  # raises with did-you-mean suggestions
        for spec in matched:
            resolved = resolution.options[spec.key]
            shown = not resolved.is_default or (
                not spec.hidden
                and (include_all or resolved.value is not None or resolved.is_computed)
            )
            if shown:
                chosen[spec.key] = resolved
    return list(chosen.values())
