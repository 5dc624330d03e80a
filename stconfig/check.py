"""Validate config files and the environment against what Streamlit does with them.

Findings are data (severity, place, key, message, hint), never printed here. Files are read with the
same steps as the read side (`layers`): decode, `tomllib`, Streamlit's section walk, `env:` refs.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stconfig.resolve import Context

from stconfig import themefile
from stconfig.catalog import Catalog, OptionSpec
from stconfig.errors import ConfigFileError, InvalidValueError, UsageError
from stconfig.layers import (
    FileProblem,
    decode_config_bytes,
    expand_env_ref,
    key_positions,
    parse_toml,
    read_file_layer,
    scan_env,
    walk_sections,
)
from stconfig.locate import SECRETS_FILE, file_layer_paths, parent_config_file
from stconfig.model import Position, Scope, Setting, Source, Value
from stconfig.problems import (
    BOM_HINT,
    NO_SUCH_FILE,
    NOT_REGULAR,
    NOT_UTF8_HINT,
    Code,
    not_boolean,
    parent_config,
    secrets_file,
    toml_kind,
)
from stconfig.readfile import NotRegularFile, read_regular
from stconfig.redact import hide_text, secret_env_names_in
from stconfig.startup import CONFLICT_KEYS, Problem, Severity, conflicts, value_problems
from stconfig.tomlscan import KeyPath, acyclic
from stconfig.values import FALSE_WORDS, TRUE_WORDS, check_allowed, to_text

_SYNTAX_HINTS = (
    ("Invalid value", 'quote strings (base = "dark"); write booleans as true/false in lower case'),
    ("Unterminated string", "close the string with the quote it opened with"),
)
_RENAMED = re.compile(r"(?:replaced by|renamed to) ([A-Za-z0-9_.]+[A-Za-z0-9_])")


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, how bad, what Streamlit does about it, and what to do."""

    severity: Severity
    code: Code
    message: str
    hint: str
    position: Position | None = None  # None: not about a file (an env var)
    key: str | None = None
    env_var: str | None = None
    flag: str | None = None  # a `--flag` given to stconfig, as `streamlit run` takes it

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": None if self.position is None else str(self.position.path),
            "line": None if self.position is None else self.position.line,
            "column": None if self.position is None else self.position.column,
            "key": self.key,
            "env_var": self.env_var,
            "flag": self.flag,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Report:
    """What was checked and what was found, in file order then line order."""

    files: tuple[Path, ...]
    env_checked: bool
    findings: tuple[Finding, ...]
    streamlit_version: str | None
    catalog_version: str

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "streamlit_version": self.streamlit_version,
            "catalog_version": self.catalog_version,
            "files": [str(path) for path in self.files],
            "env_checked": self.env_checked,
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [finding.to_json() for finding in self.findings],
        }


@acyclic
def check_bytes(data: bytes, path: Path, catalog: Catalog, env: Mapping[str, str]) -> list[Finding]:
    """Every problem in one config file's bytes."""
    findings: list[Finding] = []

    def problem(error: FileProblem, code: Code, hint: str) -> None:
        message = str(error)
        position = Position(path, error.position.line, error.position.column)
        findings.append(Finding("error", code, message, hint, position))

    try:
        text = decode_config_bytes(data, catalog)
    except FileProblem as error:
        if error.code is not Code.BOM:
            problem(error, error.code, NOT_UTF8_HINT)
            return findings
        problem(error, Code.BOM, BOM_HINT)
        # Report the rest too, so that one round of fixes is enough.
        try:
            text = decode_config_bytes(data.removeprefix(codecs.BOM_UTF8), catalog)
        except FileProblem as again:  # bad bytes further on (a second BOM is said already)
            if again.code is not Code.BOM:
                problem(again, again.code, NOT_UTF8_HINT)
            return findings
    try:
        parsed = parse_toml(text, catalog)
    except FileProblem as error:
        reason = str(error)
        hint = next(
            (hint for start, hint in _SYNTAX_HINTS if f"error: {start}" in reason),
            "fix the TOML syntax there (https://toml.io)",
        )
        if error.code is Code.DUPLICATE_KEY:
            hint = (
                "each key and table may appear once: delete the repeat, or merge it into the first"
            )
        problem(error, error.code, hint)
        return findings

    positions = key_positions(text)
    secret_names = secret_env_names_in(parsed, catalog)
    suggest = _Suggestions(catalog)
    for name, section in parsed.items():
        try:
            # One section at a time: a broken one is reported and the others are still checked.
            entries = list(walk_sections({name: section}, catalog))
        except FileProblem as error:
            key_path = error.key_path or (name,)
            position = Position(path, *positions.get(key_path, (None, None)))
            hint = _section_hint(error, catalog)
            findings.append(
                Finding("error", error.code, str(error), hint, position, ".".join(key_path))
            )
            continue
        for key, key_path, raw in entries:
            position = Position(path, *positions.get(key_path, (None, None)))
            found = _key_findings(key, key_path, raw, catalog, env, secret_names, suggest)
            for severity, code, message, hint in found:
                findings.append(Finding(severity, code, message, hint, position, key))
    return findings


def _section_hint(error: FileProblem, catalog: Catalog) -> str:
    path = error.key_path or ()
    if error.code is Code.THEME_SECTION:
        swapped = ".".join(("theme", *reversed(path[1:])))
        if swapped in catalog.theme_sections:
            return f"did you mean [{swapped}]?"
        return "use one of " + ", ".join(f"[{s}]" for s in catalog.theme_sections)
    name = path[-1] if path else ""
    homes = sorted({spec.section for spec in catalog if spec.name == name})
    if homes:
        return f"move it under [{homes[0]}]" + (
            f" (or {', '.join(f'[{h}]' for h in homes[1:])})" if len(homes) > 1 else ""
        )
    return "put it under its [section], e.g. [server] for port"


class _Suggestions:
    """Did-you-mean for the first SUGGESTED unknown keys of a file, and none after them: each
    costs milliseconds (difflib against every option), which a file of many thousand unknown
    keys would pay thousands of times; past that many, the file is not one typo away."""

    SUGGESTED = 100

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.left = self.SUGGESTED

    def __call__(self, key: str) -> list[str]:
        if self.left <= 0:
            return []
        self.left -= 1
        return self.catalog.suggest(key)


def _key_findings(
    key: str,
    key_path: KeyPath,
    raw: Value,
    catalog: Catalog,
    env: Mapping[str, str],
    secret_names: frozenset[str],
    suggest: _Suggestions,
) -> Iterable[tuple[Severity, Code, str, str]]:
    spec = catalog.get(key)
    if spec is None:
        note = catalog.removed_note(key)
        if note is not None:
            found = _RENAMED.search(note)
            hint = f"use {found[1]} instead" if found else "delete the line"
            message = f"{key} is no longer a Streamlit option ({note}): Streamlit ignores it"
            yield "warning", Code.REMOVED_KEY, message, hint
            return
        suggestions = suggest(key)
        if suggestions:
            hint = "did you mean " + " or ".join(suggestions) + "?"
        elif key.split(".")[0] in catalog.sections:
            hint = f"see `stconfig options {key.split('.')[0]}` for its keys"
        else:
            hint = "see `stconfig options` for the valid keys"
        yield "error", Code.UNKNOWN_KEY, f"unknown option {key}: Streamlit ignores it", hint
        return
    if spec.deprecated:
        yield "warning", Code.DEPRECATED, f"{key} is deprecated", f"see `stconfig describe {key}`"
    value, env_ref = expand_env_ref(raw, env)
    if isinstance(raw, str) and raw.startswith("env:") and env_ref is None:
        return  # the variable is not set here; where Streamlit runs it may be
    via = f" (from env:{env_ref})" if env_ref else ""
    # A value read from a secret's variable is described, never quoted.
    secret = env_ref in secret_names and isinstance(value, str | int | float)

    def said(text: str) -> str:
        return hide_text(text, [str(value), _literal(value)]) if secret else text

    type_problem = _type_problem(spec, key_path[-1], value)
    if type_problem is not None:
        message, hint = type_problem
        severity: Severity = "warning" if spec.type == "str" else "error"
        yield severity, Code.WRONG_TYPE, said(message) + via, said(hint)
        return
    allowed = _allowed_problem(spec, value)
    if allowed is not None:
        yield (
            "error",
            Code.NOT_ALLOWED,
            said(allowed) + via,
            "use one of " + ", ".join(spec.allowed or ()),
        )
        return
    for problem in value_problems(spec, value, catalog):
        yield problem.severity, problem.code, problem.message + via, problem.hint


def _type_problem(spec: OptionSpec, name: str, value: Value) -> tuple[str, str] | None:
    """(message, hint) when Streamlit would store a value of another type than the option's."""
    if spec.multiple:
        # Streamlit declares no element type for list options; only the list itself is checked.
        if isinstance(value, list):
            return None
        return (
            f"{spec.key} is a list option, not {toml_kind(value)}",
            f"write a TOML array: {_assignment(name, [value])}",
        )
    if spec.type == "bool":
        if isinstance(value, bool):
            return None
        message = not_boolean(spec.key, value)
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            word = "true" if value.strip().lower() in TRUE_WORDS else "false"
            return message, f"write {_assignment(name, word == 'true')} without quotes"
        return message, f"write {_assignment(name, True)} or {_assignment(name, False)}"
    if spec.type in ("int", "float"):
        numeric = isinstance(value, int) and not isinstance(value, bool)
        if numeric or (spec.type == "float" and isinstance(value, float)):
            return None
        wanted = "an integer" if spec.type == "int" else "a number"
        message = f"{spec.key} takes {wanted}, not {toml_kind(value)} {_literal(value)}"
        if isinstance(value, str):
            try:
                number = int(value) if spec.type == "int" else float(value)
            except ValueError:
                pass
            else:
                return message, f"write {_assignment(name, number)} without quotes"
        example = _assignment(name, spec.default) if spec.default is not None else ""
        return message, f"write {name} = <{wanted.split()[-1]}>" + (
            f", e.g. {example}" if example else ""
        )
    return None


def _allowed_problem(spec: OptionSpec, value: Value) -> str | None:
    if spec.allowed is None:
        return None
    # A TOML boolean reaches Streamlit as a bool; client.showErrorLinks accepts true/false.
    text = to_text(value) if isinstance(value, bool) else value
    if not isinstance(text, str):
        return f"{spec.key} takes one of {', '.join(spec.allowed)}, not {_literal(value)}"
    try:
        check_allowed(spec, text)
    except InvalidValueError as error:
        return error.message
    return None


def _literal(value: Value) -> str:
    from stconfig import tomlrender  # only a finding that shows a value pays for tomlkit

    return tomlrender.value(value)


def _assignment(name: str, value: Value) -> str:
    from stconfig import tomlrender

    return f"{tomlrender.key([name])} = {tomlrender.value(value)}"


def check_env(catalog: Catalog, env: Mapping[str, str]) -> list[Finding]:
    """`STREAMLIT_*` variables `streamlit run` would reject, and names that look like typos."""
    _, problems = scan_env(catalog, env)
    findings = [
        Finding(
            "error",
            Code.ENV_INVALID,
            problem.message,
            problem.hint or f"fix or unset {problem.name}",
            key=problem.key,
            env_var=problem.name,
        )
        for problem in problems
    ]
    known = catalog.env_index()
    for name in sorted(env):
        if not name.startswith("STREAMLIT_") or name in known:
            continue
        import difflib  # only a stray STREAMLIT_* variable pays for it

        close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.85)
        # Streamlit itself reads a few other STREAMLIT_* names: only near-misses are reported.
        if close:
            findings.append(
                Finding(
                    "warning",
                    Code.UNKNOWN_ENV,
                    f"{name} is not a Streamlit option variable: Streamlit ignores it",
                    f"did you mean {close[0]} ({known[close[0]]})?",
                    env_var=name,
                )
            )
    return findings


def read_config_bytes(path: Path) -> bytes:
    """A file named on the command line: its bytes, or ConfigFileError (exit 3)."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        raise ConfigFileError(path, NO_SUCH_FILE) from None
    except NotRegularFile:
        raise ConfigFileError(
            path,
            "is a directory, not a config file" if path.is_dir() else NOT_REGULAR,
            hint="stconfig checks plain files only",
        ) from None
    except OSError as error:
        raise ConfigFileError(path, f"cannot be read: {error.strerror or error}") from None


def check_files(
    paths: Sequence[Path],
    catalog: Catalog,
    env: Mapping[str, str],
    project_dir: Path | None = None,
) -> Report:
    """Check the files given (each must exist and be readable, and not be a secrets file); with
    `project_dir`, the theme file a file's theme.base names, as a start there would load it."""
    for path in paths:
        # Streamlit's secrets file is TOML too; its keys are not options and its values stay
        # unprinted. (config.py:get_config_files("secrets.toml") names it secrets.toml.)
        if path.name == SECRETS_FILE:
            raise UsageError(secrets_file(path), hint="check .streamlit/config.toml instead")
    contents = [(Path(os.path.abspath(path)), read_config_bytes(path)) for path in paths]
    findings = [
        finding for path, data in contents for finding in check_bytes(data, path, catalog, env)
    ]
    for path, _ in contents:
        base = read_file_layer(Scope.FILE, path, catalog, env).settings.get("theme.base")
        if project_dir is not None and base is not None:
            findings.extend(_theme_file_findings(base, project_dir, catalog))
    return _report(tuple(path for path, _ in contents), False, findings, catalog)


def check_layers(context: Context, catalog: Catalog) -> Report:
    """Check every config file Streamlit would read here, the environment (unless --no-env) and
    the flags, then the merged config as Streamlit's start-up checks see it."""
    from stconfig.resolve import resolve  # check FILE needs no resolution

    findings: list[Finding] = []
    checked: list[Path] = []
    env = context.env
    for layer in file_layer_paths(
        context.home, context.project_dir, context.script, catalog.reads_script_config
    ):
        path = layer.path
        if not path.exists():
            continue
        checked.append(path)
        try:
            data = read_regular(path)
        except OSError as error:
            reason = (
                ("is a directory" if path.is_dir() else NOT_REGULAR)
                if isinstance(error, NotRegularFile)
                else error.strerror or str(error)
            )
            findings.append(
                Finding(
                    "error",
                    Code.UNREADABLE,
                    f"{layer.scope.value} config cannot be read ({reason}): "
                    "Streamlit fails to start",
                    "make it a readable file, or remove it",
                    Position(path),
                )
            )
            continue
        findings.extend(check_bytes(data, path, catalog, env))
    parent = parent_config_file(context.project_dir, context.home)
    if parent is not None:
        message, hint = parent_config(parent, context.project_dir)
        findings.append(Finding("warning", Code.PARENT_CONFIG_DIR, message, hint, Position(parent)))
    if context.use_env:
        findings.extend(check_env(catalog, env))
    # conflicts() and the theme file need only these options (the layers are read whole either
    # way); scan checks many apps.
    wanted = (CONFLICT_KEYS | {"theme.base"}) & catalog.options.keys()
    resolution = resolve(context, catalog, keys=wanted)
    for read in resolution.layers:
        if read.scope.is_file:
            continue  # check_bytes has seen their values
        for setting in read.settings.values():
            for problem in value_problems(catalog.options[setting.key], setting.value, catalog):
                findings.append(_finding_at(problem, setting.key, setting.source))
    for conflict in conflicts(resolution.options):
        findings.append(_finding_at(conflict.problem, conflict.key, conflict.source))
    base = resolution.options["theme.base"]
    # Once applied, theme.base is the file's own base; the name is what the layers gave.
    named = base.overridden[0] if base.source.scope is Scope.THEME_FILE else base
    setting = Setting(base.key, named.value, named.source)
    findings.extend(_theme_file_findings(setting, context.project_dir, catalog))
    return _report(tuple(checked), context.use_env, findings, catalog)


def _theme_file_findings(named: Setting, project_dir: Path, catalog: Catalog) -> list[Finding]:
    """The theme file a theme.base setting names, checked as Streamlit loads it at start from
    `project_dir`: a problem with the name is placed at the setting, one inside the file at its
    line there."""
    if not themefile.follows(named.value, catalog):
        return []
    theme = themefile.read_theme_file(named.value, project_dir, catalog)
    findings = []
    for placed in theme.problems:
        if placed.position is None:
            findings.append(_finding_at(placed.problem, "theme.base", named.source))
        else:
            problem = placed.problem
            findings.append(
                Finding(
                    problem.severity,
                    problem.code,
                    problem.message,
                    problem.hint,
                    placed.position,
                    placed.key,
                )
            )
    return findings


def _finding_at(problem: Problem, key: str, source: Source) -> Finding:
    """A finding placed where a value was set: its file line, env var or flag."""
    return Finding(
        problem.severity,
        problem.code,
        problem.message,
        problem.hint,
        source.position if source.scope.is_file else None,
        key,
        env_var=source.name if source.scope is Scope.ENV else None,
        flag=source.name if source.scope is Scope.FLAG else None,
    )


def _report(
    files: tuple[Path, ...], env_checked: bool, findings: list[Finding], catalog: Catalog
) -> Report:
    return Report(
        files=files,
        env_checked=env_checked,
        findings=tuple(findings),
        streamlit_version=catalog.streamlit_version,
        catalog_version=catalog.data_version,
    )
