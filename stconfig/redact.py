"""The one rule for secrets: a sensitive option's value (`server.cookieSecret`) is never shown, in
any output, only `<hidden>` in its place.

A secret reaches other places than its own option: another option's `"env:NAME"` value that names
a variable holding it, the lines of a config file that a `--dry-run` diff shows as context, and
the text of an error about it. This module decides which values are secret; the views print
`HIDDEN` for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stconfig.catalog import Catalog
from stconfig.model import Layer, Setting, Value

HIDDEN = "<hidden>"


def shown(value: Value, sensitive: bool) -> Value:
    """The value as it may be shown: `<hidden>` for a sensitive option's value (None stays None:
    an unset secret reveals nothing)."""
    return HIDDEN if sensitive and value is not None else value


def secret_env_names(catalog: Catalog, layers: Iterable[Layer] = ()) -> frozenset[str]:
    """The environment variables that hold a secret: a sensitive option's own variables, and every
    variable a sensitive option's `"env:NAME"` file value names."""
    names = {
        name for spec in catalog if spec.sensitive for name in (spec.env_var, spec.auto_env_var)
    }
    for layer in layers:
        for key, setting in layer.settings.items():
            if setting.source.env_ref is not None and catalog.options[key].sensitive:
                names.add(setting.source.env_ref)
    return frozenset(names)


def secret_env_names_in(document: dict[str, object], catalog: Catalog) -> frozenset[str]:
    """`secret_env_names` for one parsed config file: also the variables its sensitive options'
    `"env:NAME"` values name."""
    names = set(secret_env_names(catalog))
    for path in secret_paths(catalog):
        node = _lookup(document, path)
        if isinstance(node, str) and node.startswith("env:"):
            names.add(node.removeprefix("env:"))
    return frozenset(names)


def is_secret(sensitive: bool, settings: Iterable[Setting], secret_names: frozenset[str]) -> bool:
    """An option's values are hidden when the option is sensitive, or when any layer's value for
    it was read from a variable that holds a secret (`baseUrlPath = "env:..._COOKIE_SECRET"`)."""
    return sensitive or any(s.source.env_ref in secret_names for s in settings)


def secret_paths(catalog: Catalog) -> frozenset[tuple[str, ...]]:
    """The TOML key paths of the sensitive options."""
    return frozenset(tuple(spec.key.split(".")) for spec in catalog if spec.sensitive)


class DiffLine(str):
    """A line as a diff prints it, secrets hidden, but compared as the file holds it: a changed
    secret is still a changed line, and an unchanged one still context."""

    original: str

    def __new__(cls, shown: str, original: str) -> DiffLine:
        line = super().__new__(cls, shown)
        line.original = original
        return line

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DiffLine) and self.original == other.original

    def __hash__(self) -> int:
        return hash(self.original)


def diff_lines(text: str, paths: frozenset[tuple[str, ...]]) -> list[DiffLine]:
    """The TOML text's lines (ended by "\\n", as TOML ends them) with the value of every
    key at `paths` (a table line, a dotted key or an inline table entry) shown as `<hidden>`.

    Text the scanner cannot read (valid TOML it does not handle) is hidden whole: no line of it
    is shown rather than a line of a secret."""
    lines = _lines(text)
    spans = _secret_spans(text, paths)
    shown: list[str] = []
    position = 0
    for line in lines:
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        start, body_end = position, position + len(body)
        position += len(line)
        if spans is None:
            body = HIDDEN
        for span_start, span_end in reversed(spans or ()):
            if span_start < body_end and span_end > start:
                cut_from, cut_to = max(span_start, start) - start, min(span_end, body_end) - start
                mark = HIDDEN if span_start >= start else ""
                body = body[:cut_from] + mark + body[cut_to:]
        shown.append(body + ending)
    return [DiffLine(text, original) for text, original in zip(shown, lines, strict=True)]


def _lines(text: str) -> list[str]:
    lines = [part + "\n" for part in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _secret_spans(text: str, paths: frozenset[tuple[str, ...]]) -> list[tuple[int, int]] | None:
    """Where the values at `paths` are in the text, in order; None when the text cannot be
    scanned (then no line of it is shown)."""
    from stconfig.tomlscan import ScanError, Scanner

    try:
        scanner = Scanner(text).scan()
    except ScanError:
        return None
    return sorted(
        (entry.value_start, entry.value_end)
        for entry, _ in scanner.entries()
        if entry.path in paths
    )


def hide_text(text: str, secrets: Sequence[str]) -> str:
    """`text` with every occurrence of each non-empty secret replaced by `<hidden>`: for messages
    built from a value that turned out to be secret."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, HIDDEN)
    return text


def _lookup(data: dict[str, object], path: tuple[str, ...]) -> object:
    node: object = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node
