"""Read each layer into settings with their sources: a config file (with the line of every key),
the `STREAMLIT_*` environment, and `--flag KEY=VALUE` arguments.

Files are parsed with `tomllib`, as Streamlit parses them, and walked the way Streamlit's
`_update_config_with_toml` walks them; `tomlscan` supplies the line numbers tomllib drops.
"""

from __future__ import annotations

import codecs
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stconfig.catalog import Catalog, OptionSpec
from stconfig.errors import InvalidValueError, UsageError
from stconfig.model import Layer, Position, Scope, Setting, Source, Value
from stconfig.problems import (
    BOM,
    NOT_REGULAR,
    Code,
    allowed_consequence,
    not_utf8,
    syntax,
    toml_limit,
)
from stconfig.readfile import NotRegularFile, read_regular
from stconfig.tomlscan import (
    BARE_KEY,
    KeyPath,
    NotUtf8,
    ScanError,
    Scanner,
    TomlLimit,
    acyclic,
    decode_utf8,
    loads,
    syntax_error_place,
)
from stconfig.values import check_allowed, parse_click

_THEME_CATEGORIES = ("sidebar", "light", "dark")
_ENV_PREFIX = "env:"


def key_positions(text: str) -> dict[KeyPath, tuple[int, int]]:
    """(line, column) of each key path (tables, dotted keys, inline-table keys) in valid TOML:
    a header's `[`, a key's first character. Empty when the scanner cannot find its way through
    the text: the values still apply, only their lines are unknown."""
    try:
        scanner = Scanner(text).scan()
    except ScanError:
        return {}
    starts = [
        (line.start + len(line.indent), line.header)
        for line in scanner.lines
        if line.header is not None
    ]
    starts.extend((entry.start, entry.path) for entry, _ in scanner.entries())
    starts.sort(key=lambda start: start[0])
    positions: dict[KeyPath, tuple[int, int]] = {}
    line, counted = 1, 0
    for pos, path in starts:
        line += text.count("\n", counted, pos)
        counted = pos
        column = pos - text.rfind("\n", 0, pos)
        # `a.b.c = 1` and `[a.b]` also define the tables a and a.b, first seen here.
        for end in range(1, len(path) + 1):
            positions.setdefault(path[:end], (line, column))
    return positions


def key_lines(text: str) -> dict[KeyPath, int]:
    """Line of each key path (tables, dotted keys, inline-table keys) in valid TOML text."""
    return {path: line for path, (line, _) in key_positions(text).items()}


class FileProblem(Exception):
    """Why Streamlit would skip this file or refuse to start; `code` names the kind for `check`."""

    def __init__(
        self,
        message: str,
        *,
        code: Code,
        key_path: KeyPath | None = None,
        position: Position = Position(),  # noqa: B008 (frozen, so one shared default is fine)
    ) -> None:
        super().__init__(message)
        self.code = code
        self.key_path = key_path
        self.position = position


def walk_sections(
    parsed: Mapping[str, Any], catalog: Catalog
) -> Iterable[tuple[str, KeyPath, Value]]:
    """(option key, key path, value) in Streamlit's order, raising FileProblem where it fails."""
    # Versions before theme sub-sections (1.40) read [theme.sidebar] as an unknown key.
    nesting = any(section != "theme" for section in catalog.theme_sections)

    def section(
        section_path: str, path: KeyPath, data: Any
    ) -> Iterable[tuple[str, KeyPath, Value]]:
        if not isinstance(data, dict):
            raise FileProblem(
                f"{'.'.join(path)!r} is not a table: Streamlit fails to start "
                "(every option must sit under a [section])",
                code=Code.TOP_LEVEL_KEY,
                key_path=path,
            )
        for name, value in data.items():
            key = f"{section_path}.{name}"
            if nesting and section_path.startswith("theme") and name in _THEME_CATEGORIES:
                if "theme" + key[key.index(".") :] not in catalog.theme_sections:
                    raise FileProblem(
                        f"[{key}] is not a valid theme section: Streamlit fails to start "
                        f"(valid: {', '.join(catalog.theme_sections)})",
                        code=Code.THEME_SECTION,
                        key_path=(*path, name),
                    )
                yield from section(key, (*path, name), value)
            else:
                yield key, (*path, name), value

    for name, data in parsed.items():
        yield from section(name, (name,), data)


def expand_env_ref(value: Value, env: Mapping[str, str]) -> tuple[Value, str | None]:
    """Streamlit's `"env:NAME"`: the env var's value, tried as int then float; kept if unset."""
    if not (isinstance(value, str) and value.startswith(_ENV_PREFIX)):
        return value, None
    name = value[len(_ENV_PREFIX) :]
    raw = env.get(name)
    if raw is None:
        return value, None
    for number_type in (int, float):
        try:
            return number_type(raw), name
        except ValueError:
            pass
    return raw, name


_CONSEQUENCE = {
    "skipped": "Streamlit skips the file",
    "fatal": "`streamlit run` fails",
}


def decode_config_bytes(data: bytes, catalog: Catalog) -> str:
    """The text Streamlit would parse, or FileProblem for a BOM or bytes that are not UTF-8."""
    if data.startswith(codecs.BOM_UTF8):
        if catalog.bom in _CONSEQUENCE:
            raise FileProblem(
                f"{BOM}: {_CONSEQUENCE[catalog.bom]}",
                code=Code.BOM,
                position=Position(None, 1, 1),
            )
        data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return decode_utf8(data)
    except NotUtf8 as error:
        raise FileProblem(
            f"{not_utf8(data[error.offset])}: Streamlit fails to start",
            code=Code.NOT_UTF8,
            position=Position(None, error.line, error.column),
        ) from None


def parse_toml(text: str, catalog: Catalog) -> dict[str, Any]:
    """tomllib's parse, or FileProblem with the syntax error's line and column."""
    consequence = _CONSEQUENCE["fatal" if catalog.broken_file_fatal else "skipped"]
    try:
        return loads(text)
    except TomlLimit as error:
        message = f"{toml_limit(error.reason)}: {consequence}"
        raise FileProblem(message, code=Code.TOML_LIMIT) from None
    except tomllib.TOMLDecodeError as error:
        reason, line, column = syntax_error_place(error, text)
        repeat = str(error).startswith(("Cannot overwrite a value", "Cannot declare"))
        raise FileProblem(
            f"{syntax(reason)}: {consequence}",
            code=Code.DUPLICATE_KEY if repeat else Code.TOML_SYNTAX,
            position=Position(None, line, column),
        ) from None


def _bom_glued_to_key(data: bytes, catalog: Catalog) -> bool:
    """Where a BOM is fatal (the `toml` package of Streamlit 1.40), one right before a bare key
    is not: `toml` reads it as part of that key's name, so the file applies and its first
    top-level key is an unknown section."""
    return (
        catalog.bom == "fatal"
        and data.startswith(codecs.BOM_UTF8)
        and BARE_KEY.match(data.removeprefix(codecs.BOM_UTF8)[:1].decode("latin-1")) is not None
    )


@acyclic
def read_file_layer(scope: Scope, path: Path, catalog: Catalog, env: Mapping[str, str]) -> Layer:
    layer = Layer(scope=scope, path=path)
    text = ""
    try:
        if not path.exists():
            return layer
        layer.exists = True
        try:
            data = read_regular(path)
        except NotRegularFile:
            # Streamlit would hang on a FIFO, or fail on a directory: stconfig skips it.
            raise FileProblem(
                f"{NOT_REGULAR}: Streamlit fails to start", code=Code.UNREADABLE
            ) from None
        glued = _bom_glued_to_key(data, catalog)
        text = decode_config_bytes(data.removeprefix(codecs.BOM_UTF8) if glued else data, catalog)
        parsed = parse_toml(text, catalog)
        if glued:
            first = next(iter(parsed))
            parsed = {("\ufeff" + k if k == first else k): v for k, v in parsed.items()}
        entries = list(walk_sections(parsed, catalog))
    except FileProblem as problem:
        layer.error = str(problem)
        line, column = problem.position.line, problem.position.column
        if problem.key_path is not None:
            line, column = key_positions(text).get(problem.key_path, (None, None))
        layer.error_position = Position(path, line, column)
        return layer
    except OSError as error:
        layer.error = f"cannot be read: {error.strerror or error}"
        layer.error_position = Position(path)
        return layer

    lines = key_lines(text)
    for key, key_path, raw_value in entries:
        value, env_ref = expand_env_ref(raw_value, env)
        source = Source(scope, Position(path, lines.get(key_path)), env_ref=env_ref)
        target = layer.settings if key in catalog.options else layer.unknown
        target[key] = Setting(key, value, source)
    return layer


@dataclass(frozen=True)
class EnvProblem:
    """A `STREAMLIT_*` variable `streamlit run` would reject."""

    name: str
    key: str
    message: str
    hint: str | None = None


def scan_env(
    catalog: Catalog, env: Mapping[str, str]
) -> tuple[dict[str, Setting], list[EnvProblem]]:
    """`STREAMLIT_*` variables as `streamlit run` reads them: sensitive ones by Streamlit
    directly, the others through click (explicit name first, then `STREAMLIT_RUN_...`)."""
    settings: dict[str, Setting] = {}
    problems: list[EnvProblem] = []
    for spec in catalog:
        if spec.sensitive:
            raw = env.get(spec.env_var)
            if raw is not None:
                settings[spec.key] = Setting(spec.key, raw, Source(Scope.ENV, name=spec.env_var))
            if env.get(spec.auto_env_var):
                problems.append(
                    EnvProblem(
                        spec.auto_env_var,
                        spec.key,
                        f"{spec.auto_env_var} is set: `streamlit run` refuses to take "
                        f"{spec.key} from the command line; use {spec.env_var}",
                        hint=f"rename it to {spec.env_var}",
                    )
                )
            continue
        name = spec.env_var if env.get(spec.env_var) else spec.auto_env_var
        raw = env.get(name)
        if not raw:
            continue
        try:
            value = parse_click(spec, raw, from_env=True)
        except InvalidValueError as error:
            problems.append(
                EnvProblem(
                    name,
                    spec.key,
                    f"{name}={raw!r}: {error.message}: `streamlit run` exits with an error",
                    hint=error.hint,
                )
            )
            continue
        try:
            # click passes any text; Streamlit's own check of the allowed values comes later.
            check_allowed(spec, value)
        except InvalidValueError as error:
            problems.append(
                EnvProblem(
                    name,
                    spec.key,
                    f"{name}={raw!r}: {error.message}: {allowed_consequence(spec)}",
                    hint="use one of " + ", ".join(spec.allowed or ()),
                )
            )
            continue
        if value is not None:
            settings[spec.key] = Setting(spec.key, value, Source(Scope.ENV, name=name))
    return settings, problems


def read_env_layer(catalog: Catalog, env: Mapping[str, str]) -> Layer:
    settings, problems = scan_env(catalog, env)
    return Layer(
        scope=Scope.ENV,
        settings=settings,
        error="; ".join(problem.message for problem in problems) or None,
    )


def split_flag(flag: str) -> tuple[str, str]:
    """`--flag` argument `KEY=VALUE` (or `--KEY=VALUE`) as the option key and the raw value."""
    key, _, raw = flag.partition("=")
    return key.strip().removeprefix("--"), raw


def read_flag_layer(catalog: Catalog, flags: Sequence[str]) -> Layer:
    """`--flag KEY=VALUE` arguments as `streamlit run --KEY VALUE` would pass them."""
    layer = Layer(scope=Scope.FLAG)
    given: dict[str, tuple[OptionSpec, list[str]]] = {}
    for flag in flags:
        if "=" not in flag:
            raise UsageError(f"--flag takes KEY=VALUE, not {flag!r}")
        key, raw = split_flag(flag)
        spec = catalog.require(key)
        if spec.sensitive:
            raise UsageError(
                f"{key} cannot be set by a command-line flag; Streamlit reads it from "
                f"{spec.env_var} or a config file"
            )
        raws = given.setdefault(key, (spec, []))[1]
        if not spec.multiple:
            # A repeated single-valued flag: click keeps the last one and never converts the
            # others, so an invalid earlier value is no error.
            raws.clear()
        raws.append(raw)
    for key, (spec, raws) in given.items():
        value: Value = None
        for raw in raws:
            parsed = parse_click(spec, raw, from_env=False)
            check_allowed(spec, parsed)
            value = (
                value + parsed if isinstance(value, list) and isinstance(parsed, list) else parsed
            )
        layer.settings[key] = Setting(key, value, Source(Scope.FLAG, name=spec.flag))
    return layer
