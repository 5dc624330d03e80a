"""Theme files: `theme.base = "themes/corp.toml"` names a TOML file the theme inherits from.

Ported from Streamlit 1.67's `config_util.process_theme_inheritance` (versions whose catalog has
`theme_files`), which runs once every layer is read: a base other than light/dark is a path
(relative to the start directory, `os.getcwd()`) or an http(s) URL; the file (at most 1 MB) must
hold a `[theme]` table whose sub-tables are only sidebar, light, dark (and light/dark.sidebar) and
whose own `base` is light or dark. Unknown option names are dropped with a warning; colour options
must be non-empty strings (or arrays of them). Its values apply only to theme options no layer
sets; theme.base becomes the file's base, else "light". Any error stops the start.

Pure apart from reading the theme file; a URL is never fetched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from stconfig.catalog import Catalog
from stconfig.model import Layer, Position, Resolved, Scope, Setting, Source, Value
from stconfig.problems import Code
from stconfig.startup import Problem

BASES = ("light", "dark")
MAX_BYTES = 1024 * 1024  # config_util._MAX_THEME_FILE_SIZE_BYTES
_SECTIONS = ("sidebar", "light", "dark")
_FAILS = "Streamlit fails to start"


@dataclass(frozen=True)
class Placed:
    """A problem and where it is: in the theme file (`position`) or at theme.base (None)."""

    problem: Problem
    position: Position | None = None
    key: str = "theme.base"


@dataclass
class ThemeFile:
    """What Streamlit makes of one theme.base value that is not light or dark."""

    base: Value  # theme.base as the layers give it
    path: Path | None  # None: a URL, or not a path at all
    layer: Layer  # the `theme-file` layer: the file's values, with lines
    problems: list[Placed] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        return any(placed.problem.severity == "error" for placed in self.problems)


def is_url(value: str) -> bool:
    """streamlit/url_util.py:is_url with its default schemes."""
    from urllib.parse import urlparse  # only a theme.base that is no light/dark pays for it

    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def follows(base: Value, catalog: Catalog) -> bool:
    """Whether this Streamlit loads a theme file for this theme.base."""
    return catalog.theme_files and base is not None and base not in BASES


def read_theme_file(base: Value, project_dir: Path, catalog: Catalog) -> ThemeFile:
    """The theme file theme.base names, read and checked as Streamlit reads it at start."""
    layer = Layer(scope=Scope.THEME_FILE)
    theme = ThemeFile(base, None, layer)

    def fail(message: str, position: Position | None = None) -> ThemeFile:
        text = f"{message}: {_FAILS}"
        code = Code.THEME_FILE if position is not None else Code.THEME_BASE
        theme.problems.append(Placed(Problem("error", code, text, _hint()), position))
        layer.error = text
        layer.error_position = position
        return theme

    if not isinstance(base, str):
        return fail(f"theme.base {base!r} is not light, dark, a theme file or a URL")
    if is_url(base):
        message = (
            f"theme.base is a URL ({base}): Streamlit downloads that theme file at start; "
            "stconfig does not fetch it, so the theme values it gives are not shown"
        )
        hint = "download the theme file and name its path in theme.base to see its values"
        theme.problems.append(Placed(Problem("warning", Code.THEME_BASE, message, hint)))
        return theme
    path = Path(base) if os.path.isabs(base) else project_dir / base
    theme.path = layer.path = path
    if not path.exists():
        return fail(f"Theme file not found: {path}")
    layer.exists = True
    where = Position(path)
    if not path.is_file():
        return fail(f"theme file {path} is not a regular file", where)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return fail(f"Error loading theme file {path}: {error}", where)
    if len(data) > MAX_BYTES:
        return fail(
            f"Theme file {path} is too large ({len(data):,} bytes). Maximum allowed size is "
            f"{MAX_BYTES:,} bytes (1MB)",
            where,
        )
    import tomllib

    from stconfig.layers import key_positions  # the scanner is only needed for a theme file

    try:
        parsed = tomllib.loads(text)
        positions = key_positions(text)
    # Nesting too deep or an integer too long: Streamlit's loader fails on them too.
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as error:
        return fail(f"Error loading theme file {path}: {error}", where)

    def at(*parts: str) -> Position:
        return Position(path, *positions.get(parts, (None, None)))

    if not isinstance(parsed.get("theme"), dict):
        return fail(f"Theme file {path} must contain a [theme] section", where)
    main, sections = _valid_options(catalog)
    for section, section_valid, entries in _walk(parsed["theme"]):
        if not section_valid:
            return fail(
                f"Invalid theme section: `{section}` found in {path}. Valid sections are: "
                + ", ".join(f"`{s}`" for s in catalog.theme_sections),
                at(*section.split(".")),
            )
        valid = main if section == "theme" else sections
        for name, value in entries:
            key = f"{section}.{name}"
            position = at(*key.split("."))
            if name not in valid:
                message = (
                    f"Theme file {path} contains invalid theme option: '{key}': Streamlit "
                    "ignores it"
                )
                hint = f"see `stconfig options {section}` for the valid names"
                theme.problems.append(
                    Placed(Problem("warning", Code.THEME_FILE, message, hint), position, key)
                )
                continue
            if "color" in key.lower():
                colour = _colour_problem(key, value)
                if colour is not None:
                    severity, message = colour
                    if severity == "error":
                        return fail(message, position)
                    hint = "write a hex (#ff4b4b), rgb() or rgba() colour"
                    theme.problems.append(
                        Placed(Problem("warning", Code.THEME_FILE, message, hint), position, key)
                    )
            if key != "theme.base":
                layer.settings[key] = _setting(key, value, position)
    own_base = parsed["theme"].get("base")
    if own_base and own_base not in BASES:
        return fail(
            f"Theme file {base} cannot reference another theme file in its base property. "
            "Only 'light' and 'dark' are allowed in referenced theme files",
            at("theme", "base"),
        )
    # Without a base of its own, Streamlit says "default light theme": the file, no line.
    base_position = at("theme", "base") if own_base else Position(path)
    layer.settings["theme.base"] = _setting("theme.base", own_base or "light", base_position)
    return theme


def _setting(key: str, value: Value, position: Position) -> Setting:
    # A source is a file and line, as for the config files.
    return Setting(key, value, Source(Scope.THEME_FILE, Position(position.path, position.line)))


def _hint() -> str:
    return (
        'set theme.base to "light", "dark", the path of a theme file (relative to the directory '
        "Streamlit starts in) or its URL"
    )


def _valid_options(catalog: Catalog) -> tuple[set[str], set[str]]:
    """config_util._get_valid_theme_options: the [theme] names, and those every sub-section
    takes (theme.sidebar's)."""
    theme_keys = [key.split(".") for key in catalog.options if key.startswith("theme.")]
    main = {parts[1] for parts in theme_keys if len(parts) == 2}
    sections = {parts[2] for parts in theme_keys if len(parts) == 3 and parts[1] == "sidebar"}
    return main, sections


def _walk(theme: Mapping[str, Any]) -> Iterator[tuple[str, bool, list[tuple[str, Any]]]]:
    """(section, whether Streamlit takes it, its plain entries) for [theme] and its sub-tables,
    in Streamlit's order: sidebar/light/dark under [theme], sidebar under light and dark; the
    walk stops at the first invalid one, as Streamlit's start does."""
    entries = [(name, value) for name, value in theme.items() if not isinstance(value, dict)]
    yield "theme", True, entries
    for name, value in theme.items():
        if not isinstance(value, dict):
            continue
        if name not in _SECTIONS:
            yield f"theme.{name}", False, []
            return
        yield f"theme.{name}", True, [(k, v) for k, v in value.items() if not isinstance(v, dict)]
        for sub, sub_value in value.items():
            if not isinstance(sub_value, dict):
                continue
            if (
                name == "sidebar"
                or sub != "sidebar"
                or any(isinstance(v, dict) for v in sub_value.values())
            ):
                yield f"theme.{name}.{sub}", False, []
                return
            yield f"theme.{name}.sidebar", True, list(sub_value.items())


def _colour_problem(key: str, value: Value) -> tuple[str, str] | None:
    """config_util._check_color_value: (severity, message) for a colour option's value."""
    if isinstance(value, list):
        if not value:
            return "error", f"Theme option '{key}' cannot be an empty array"
        for index, colour in enumerate(value):
            if not isinstance(colour, str):
                return "error", f"Theme option '{key}[{index}]' must be a string"
            if not colour.strip():
                return "error", f"Theme option '{key}[{index}]' cannot be empty"
            if not _css_colour_like(colour.strip()):
                return "warning", f"Theme option '{key}[{index}]' may be an invalid color"
        return None
    if not isinstance(value, str):
        return "error", f"Theme option '{key}' must be a string or array of strings"
    if not value.strip():
        return "error", f"Theme option '{key}' cannot be empty"
    if not _css_colour_like(value.strip()):
        return "warning", f"Theme option '{key}' may be an invalid color: {value.strip()}"
    return None


def _css_colour_like(colour: str) -> bool:
    """elements/lib/color_util.py:is_css_color_like (hex, rgb(), rgba())."""
    hex_like = colour.startswith("#") and colour[1:].isalnum() and len(colour) in (4, 5, 7, 9)
    return hex_like or colour.startswith(("rgb(", "rgba("))


def apply(options: Mapping[str, Resolved], theme: ThemeFile) -> dict[str, Resolved]:
    """The options once Streamlit has applied a theme file that loaded: the file's value for a
    theme option no layer sets (nor a default gives: Streamlit merges every theme option that
    has a value over the file), kept as overridden where a layer sets it; theme.base the file's
    own base (or "light"), overriding what the layers said."""
    applied = dict(options)
    for key, setting in theme.layer.settings.items():
        resolved = applied.get(key)
        if resolved is None:
            continue
        if key == "theme.base":
            previous = Setting(key, resolved.value, resolved.source)
            overridden = (previous, *resolved.overridden) if not resolved.is_default else ()
            applied[key] = replace(
                resolved, value=setting.value, source=setting.source, overridden=overridden
            )
        elif resolved.value is None:
            applied[key] = replace(resolved, value=setting.value, source=setting.source)
        elif not resolved.is_default:
            applied[key] = replace(resolved, overridden=(*resolved.overridden, setting))
    return applied


def describe(placed: Placed) -> str:
    """A theme-file problem as one warning line of `show`."""
    where = f"{placed.position.text()}: " if placed.position is not None else ""
    return f"{where}{placed.problem.message}"
