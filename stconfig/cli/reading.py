"""The read commands' work: resolve, select, render. Free of typer, so `get`/`show` start fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from stconfig import render
from stconfig.cli.output import Messages, emit
from stconfig.errors import ConfigFileError, ExitCode, NotSetError
from stconfig.layers import read_file_layer
from stconfig.resolve import Context, resolve, select
from stconfig.values import to_text


def run_show(
    keys: list[str] | None = None,
    *,
    all_: bool = False,
    layers: bool = False,
    json_: bool = False,
    project_dir: Path | None = None,
    script: Path | None = None,
    no_env: bool = False,
    flag: list[str] | None = None,
    quiet: bool = False,
) -> int:
    context = Context.create(project_dir=project_dir, script=script, use_env=not no_env, flags=flag)
    catalog = context.catalog()
    resolution = resolve(context, catalog)
    selected = select(resolution, catalog, keys or [], all_)
    messages = Messages(quiet)
    for warning in resolution.warnings:
        messages.warn(warning)
    if json_:
        emit(render.show_json(resolution, selected, with_layers=layers))
    elif sys.stdout.isatty():
        out = render.console()
        if layers:
            render.show_layers_table(resolution, selected, out)
        else:
            render.show_table(resolution, selected, out)
    else:
        emit(render.show_toml(resolution, selected, with_layers=layers))
    return ExitCode.OK


def run_get(
    key: str,
    *,
    show_origin: bool = False,
    json_: bool = False,
    project: bool = False,
    global_: bool = False,
    script_dir: bool = False,
    file: Path | None = None,
    project_dir: Path | None = None,
    script: Path | None = None,
    no_env: bool = False,
    flag: list[str] | None = None,
    quiet: bool = False,
) -> int:
    context = Context.create(project_dir=project_dir, script=script, use_env=not no_env, flags=flag)
    catalog = context.catalog()
    spec = catalog.require(key)
    chosen = context.target(project=project, global_=global_, script_dir=script_dir, file=file)
    if chosen is None:
        resolution = resolve(context, catalog)
        for warning in resolution.warnings:
            Messages(quiet).warn(warning)
        resolved = resolution.options[key]
        data = render.option_json(resolved)
        text = render.value_text(resolved)
        origin = resolved.source.describe()
    else:
        layer = read_file_layer(chosen.scope, chosen.path, catalog, context.env)
        if layer.error:
            raise ConfigFileError(chosen.path, layer.error)
        setting = layer.settings.get(key)
        if setting is None:
            raise NotSetError(f"{key} is not set in {chosen.path}")
        data = {**render.setting_json(setting, spec.sensitive), "source": setting.source.to_json()}
        text = render.HIDDEN if spec.sensitive else to_text(setting.value)
        origin = setting.source.describe()
    if json_:
        emit(json.dumps({"key": key, **data}, indent=2, ensure_ascii=False))
    elif show_origin:
        emit(f"{origin}\t{text}")
    else:
        emit(text)
    return ExitCode.OK


def run_files(
    *,
    json_: bool = False,
    project_dir: Path | None = None,
    script: Path | None = None,
    no_env: bool = False,
    quiet: bool = False,
) -> int:
    context = Context.create(project_dir=project_dir, script=script, use_env=not no_env)
    catalog = context.catalog()
    resolution = resolve(context, catalog)
    install = context.streamlit
    env_vars = sorted(name for name in context.env if name.startswith("STREAMLIT_"))
    known = {spec.env_var: spec.key for spec in catalog} | {
        spec.auto_env_var: spec.key for spec in catalog
    }
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
    if json_:
        emit(json.dumps(document, indent=2, ensure_ascii=False))
        return ExitCode.OK
    if install is None:
        emit(f"streamlit  not found (using the catalog shipped for {catalog.data_version})")
    else:
        emit(f"streamlit  {install.version} ({install.found_via}: {install.python})")
    if catalog.origin != "shipped" and install is not None:
        emit(f"catalog    {catalog.data_version} ({catalog.origin})")
    for layer in resolution.layers:
        if not layer.scope.is_file:
            continue
        state = "missing" if not layer.exists else f"error: {layer.error}" if layer.error else "ok"
        emit(f"{layer.scope.value:<10} {layer.path}  [{state}]")
    for entry in document["env"]:
        note = entry["key"] or "not a Streamlit option"
        emit(f"env        {entry['name']}  [{note}]")
    for warning in resolution.warnings:
        Messages(quiet).warn(warning)
    return ExitCode.OK


def run_options(
    pattern: str | None = None,
    *,
    all_: bool = False,
    json_: bool = False,
    project_dir: Path | None = None,
) -> int:
    catalog = Context.create(project_dir=project_dir).catalog()
    specs = catalog.match(pattern) if pattern else list(catalog)
    specs = [s for s in specs if all_ or not s.hidden or s.key == pattern]
    if json_:
        emit(json.dumps([render.spec_json(s) for s in specs], indent=2, ensure_ascii=False))
    else:
        for spec in specs:
            default = render.COMPUTED if spec.computed else to_text(spec.default)
            emit(f"{spec.key}\t{spec.type_label}\t{default}")
    return ExitCode.OK if specs else ExitCode.NEGATIVE


def run_describe(key: str, *, json_: bool = False, project_dir: Path | None = None) -> int:
    catalog = Context.create(project_dir=project_dir).catalog()
    spec = catalog.require(key)
    if json_:
        emit(json.dumps(render.spec_json(spec), indent=2, ensure_ascii=False))
    else:
        emit("\n".join(render.describe_lines(spec, catalog)))

    return ExitCode.OK
