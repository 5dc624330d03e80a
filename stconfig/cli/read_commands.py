"""show, get, files, options, describe: resolve, select, render. Free of typer, so that `get` and
`show` start fast."""

from __future__ import annotations

import sys
from typing import Any

from stconfig import render
from stconfig.cli.output import Messages, emit, emit_json, emit_lines, emit_values
from stconfig.cli.spec import Options
from stconfig.errors import ConfigFileError, ExitCode, NotSetError
from stconfig.layers import read_file_layer
from stconfig.model import Scope, Unknown
from stconfig.problems import not_boolean
from stconfig.redact import is_secret, secret_env_names, shown
from stconfig.resolve import resolve, select
from stconfig.text import printable
from stconfig.values import to_text


def run_show(options: Options) -> int:
    context = options.context()
    catalog = context.catalog()
    resolution = resolve(context, catalog)
    selected = select(resolution, catalog, options.keys, options.all_)
    messages = Messages(options.quiet)
    for warning in resolution.warnings:
        messages.warn(warning)
    if resolution.start_note is not None:
        messages.note(resolution.start_note)
    if options.keys and not selected:
        messages.note("none of these options has a value; `--all` lists them anyway")
    if options.json_:
        emit_json(render.show_json(resolution, selected, with_layers=options.layers))
    elif options.list_ or options.show_origin:
        emit_values(render.list_lines(selected, options.show_origin))
    elif sys.stdout.isatty():
        out = render.console()
        if options.layers:
            render.show_layers_table(resolution, selected, out)
        else:
            render.show_table(resolution, selected, out)
    else:
        emit(render.show_toml(resolution, selected, with_layers=options.layers))
    return ExitCode.OK


def run_get(options: Options) -> int:
    key = options.key
    assert key is not None  # a required argument
    context = options.context()
    catalog = context.catalog()
    spec = catalog.require(key)
    messages = Messages(options.quiet)
    chosen = context.target(options.target_choice())
    resolution = resolve(context, catalog)
    resolved = resolution.options[key]
    # Hidden when the option is, or when a layer reads its value from a secret's variable.
    sensitive = resolved.sensitive
    if chosen is None:
        for warning in resolution.warnings:
            messages.warn(warning)
        data = render.option_json(resolved)
        stored, source, value = resolved.value, resolved.source, resolved.at_start
    else:
        layer = read_file_layer(chosen.scope, chosen.path, catalog, context.env)
        if layer.error:
            raise ConfigFileError(chosen.path, layer.error)
        setting = layer.settings.get(key)
        if setting is None:
            raise NotSetError(f"{key} is not set in {chosen.path}")
        # The file may be one no layer reads (--file): its own references count too.
        names = secret_env_names(catalog, [*resolution.layers, layer])
        sensitive = is_secret(sensitive, [setting], names)
        data = {**render.setting_json(setting, sensitive), "source": setting.source.to_json()}
        if spec.type == "bool":
            data["effective"] = bool(setting.value)
        stored, source, value = setting.value, setting.source, setting.value
    if options.json_:
        emit_json({"key": key, **data})
        return ExitCode.OK
    if isinstance(value, Unknown):
        raise NotSetError(f"{key} has no fixed value: {value.reason}")
    if value is None:
        raise NotSetError(f"{key} has no value: no layer sets it and Streamlit's default is empty")
    if spec.type == "bool":
        if not isinstance(stored, bool) and source.scope is not Scope.DEFAULT:
            warning = not_boolean(key, shown(stored, sensitive))
            messages.warn(f"{warning} ({source.describe()}); run `stconfig check`")
        value = bool(value)
    text = to_text(shown(value, sensitive))
    emit_values([f"{printable(source.describe())}\t{text}" if options.show_origin else text])
    return ExitCode.OK


def run_files(options: Options) -> int:
    context = options.context()
    catalog = context.catalog()
    resolution = resolve(context, catalog)
    install = context.streamlit
    env_vars = sorted(name for name in context.env if name.startswith("STREAMLIT_"))
    known = catalog.env_index()
    document: dict[str, Any] = {
        "streamlit": None
        if install is None
        else {
            "version": install.version,
            "python": str(install.python),
            "found_via": install.found_via,
        },
        "catalog": {"version": catalog.data_version, "origin": catalog.origin},
        "project_dir": str(context.project_dir),
        "layers": [layer.to_json() for layer in resolution.layers if layer.scope.is_file],
        "env": [{"name": name, "key": known.get(name)} for name in env_vars]
        if context.use_env
        else [],
        "warnings": list(resolution.warnings),
    }
    if options.json_:
        emit_json(document)
        return ExitCode.OK
    lines = []
    if install is None:
        lines.append(f"streamlit  not found (using the catalog shipped for {catalog.data_version})")
    else:
        lines.append(f"streamlit  {install.version} ({install.found_via}: {install.python})")
    if catalog.origin != "shipped" and install is not None:
        lines.append(f"catalog    {catalog.data_version} ({catalog.origin})")
    for layer in resolution.layers:
        if not layer.scope.is_file:
            continue
        state = "missing" if not layer.exists else f"error: {layer.error}" if layer.error else "ok"
        lines.append(f"{layer.scope.value:<10} {layer.path}  [{state}]")
    for entry in document["env"]:
        note = entry["key"] or "not a Streamlit option"
        lines.append(f"env        {entry['name']}  [{note}]")
    emit_lines(lines)
    for warning in resolution.warnings:
        Messages(options.quiet).warn(warning)
    return ExitCode.OK


def run_options(options: Options) -> int:
    pattern = options.pattern
    catalog = options.context().catalog()
    specs = catalog.match(pattern) if pattern else list(catalog)
    specs = [s for s in specs if options.all_ or not s.hidden or s.key == pattern]
    if options.json_:
        emit_json([render.spec_json(s) for s in specs])
    elif sys.stdout.isatty():
        render.options_table(specs, render.console())
    else:
        for spec in specs:
            default = render.COMPUTED if spec.computed else to_text(spec.default)
            emit(f"{spec.key}\t{spec.type_label}\t{default}")
    return ExitCode.OK if specs else ExitCode.NEGATIVE


def run_describe(options: Options) -> int:
    assert options.key is not None  # a required argument
    context = options.context()
    catalog = context.catalog()
    spec = catalog.require(options.key)
    resolved = resolve(context, catalog).options[spec.key]
    if options.json_:
        emit_json({**render.spec_json(spec), "current": render.option_json(resolved)})
    else:
        emit_lines(render.describe_lines(spec, catalog, resolved))
    return ExitCode.OK
