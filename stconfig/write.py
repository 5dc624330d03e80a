"""`set` and `unset`: choose the target file, validate key and value against the catalog, edit the
file through `tomledit`, and find the higher layers that still override the result."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from stconfig import durable, themefile, tomledit
from stconfig.catalog import Catalog, OptionSpec
from stconfig.errors import InvalidValueError, NotSetError, UnknownKeyError, UsageError
from stconfig.layers import FileProblem, walk_sections
from stconfig.locate import Target, TargetChoice, display_path, parent_config_file
from stconfig.model import PRECEDENCE, Position, Scope, Setting, Source, Value
from stconfig.problems import no_script_config, parent_config_meant, toml_limit
from stconfig.redact import HIDDEN, diff_lines, secret_paths, shown
from stconfig.resolve import Context, resolve
from stconfig.startup import CONFLICT_KEYS, Problem, conflicts, value_problems
from stconfig.text import printable
from stconfig.tomlscan import TomlLimit, loads
from stconfig.values import parse_values, to_json


@dataclass(frozen=True)
class WriteOutcome:
    """What one `set` or `unset` did (or, with --dry-run, would do) to one file."""

    action: Literal["set", "unset"]
    key: str
    target: Target
    line: int | None  # 1-based: where the key is after a set, where it was before an unset
    old: Value | None  # None: not set in that file before
    new: Value | None  # None after unset
    changed: bool  # the file's text changes (False: the value was already there)
    written: bool  # the file was written (never with --dry-run)
    created: bool  # the file did not exist before (with --dry-run: would be created)
    sensitive: bool
    diff: str  # with --dry-run, the unified diff of the change; otherwise ""
    overridden_by: tuple[Setting, ...]  # higher layers that set it too, highest first
    warnings: tuple[str, ...]

    @property
    def still_wins(self) -> Setting | None:
        """The higher layer whose value Streamlit uses instead, when it is another value."""
        if not self.overridden_by:
            return None
        winner = self.overridden_by[0]
        if self.action == "set" and tomledit.same_value(winner.value, self.new):
            return None
        return winner

    def to_json(self) -> dict[str, Any]:
        def visible(value: Value) -> Any:
            return to_json(shown(value, self.sensitive))

        return {
            "action": self.action,
            "key": self.key,
            "scope": self.target.scope.value,
            "path": str(self.target.path),
            "line": self.line,
            "old": visible(self.old),
            "new": visible(self.new),
            "changed": self.changed,
            "written": self.written,
            "created": self.created,
            "overridden_by": [
                {**setting.source.to_json(), "value": visible(setting.value)}
                for setting in self.overridden_by
            ],
        }


@dataclass(frozen=True)
class _Request:
    """A write's checked inputs: the key (its parts and catalog entry) and the target file."""

    context: Context
    catalog: Catalog
    key: str
    parts: tuple[str, ...]
    spec: OptionSpec | None
    target: Target
    warnings: list[str]


def _request(
    context: Context, key: str, choice: TargetChoice, *, force: bool, removed_ok: bool
) -> _Request:
    """Refuse a key that is not an option (did-you-mean) unless --force, or unless it is a removed
    one and `removed_ok`; forced keys get a warning."""
    parts = tomledit.check_key(key.split("."))
    catalog = context.catalog()
    spec = catalog.get(key)
    warnings: list[str] = []
    if spec is None:
        if not force and not (removed_ok and catalog.is_removed(key)):
            catalog.require(key)  # raises, with its did-you-mean
        warnings.append(_unknown_warning(catalog, key))
    return _Request(context, catalog, key, parts, spec, context.write_target(choice), warnings)


def set_option(
    context: Context,
    key: str,
    texts: Sequence[str],
    choice: TargetChoice,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> WriteOutcome:
    """Write KEY = VALUE... into the chosen file (created when missing)."""
    request = _request(context, key, choice, force=force, removed_ok=False)
    texts = _argv_texts(key, texts, sensitive=bool(request.spec and request.spec.sensitive))
    value = _guess_value(texts) if request.spec is None else parse_values(request.spec, texts)
    if request.spec is None:
        _refuse_fatal_shape(request.catalog, request.parts, value)
    target = request.target
    if request.spec is not None:
        _refuse_at_start(request, request.spec, value, force=force)
    if target.scope is Scope.PROJECT and not target.path.exists():
        meant = parent_config_file(context.project_dir, context.home)
        if meant is not None:
            request.warnings.append(parent_config_meant(meant, target.path))
    if target.scope is Scope.SCRIPT and not request.catalog.reads_script_config:
        request.warnings.append(no_script_config(request.catalog.streamlit_version, target.path))

    def edit(text: str) -> tomledit.EditResult:
        return tomledit.set_in_text(text, request.parts, value, path=target.path)

    return _apply(request, "set", edit, new=value, dry_run=dry_run)


def unset_option(
    context: Context,
    key: str,
    choice: TargetChoice,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> WriteOutcome:
    """Remove KEY from the chosen file; NotSetError (exit 1) when it is not set there.

    Keys Streamlit removed (`client.caching`...) can be unset without --force: removing them is
    the fix."""
    request = _request(context, key, choice, force=force, removed_ok=True)

    def edit(text: str) -> tomledit.EditResult:
        result = tomledit.unset_in_text(text, request.parts, path=request.target.path)
        if result is None:
            raise NotSetError(f"{key} is not set in {request.target.path}")
        return result

    return _apply(request, "unset", edit, new=None, dry_run=dry_run)


def _apply(
    request: _Request,
    action: Literal["set", "unset"],
    edit: Callable[[str], tomledit.EditResult],
    *,
    new: Value | None,
    dry_run: bool,
) -> WriteOutcome:
    key, target, catalog = request.key, request.target, request.catalog
    existed = target.path.exists()
    if dry_run:
        before = durable.read_document(target.path)
        result: tomledit.EditResult = edit(before)
        written = False
    else:
        done = durable.edit_file(
            target.path,
            edit,
            create=action == "set",
            make_parent=target.scope is not Scope.FILE,
        )
        before = done.before
        if done.result is None:  # unset on a missing file
            raise NotSetError(f"{key} is not set in {target.path}")
        result = done.result
        written = done.written
    overriding, sensitive = _overriding(request.context, catalog, key, target, request.spec)
    diff = ""
    if dry_run and result.changed:
        diff = _diff(before, result.text, target.path, secret_paths(catalog))
    return WriteOutcome(
        action=action,
        key=key,
        target=target,
        line=result.line,
        old=result.old_value,
        new=new,
        changed=result.changed,
        written=written,
        created=not existed and result.changed and action == "set",
        sensitive=sensitive,
        diff=diff,
        overridden_by=overriding,
        warnings=tuple(request.warnings),
    )


def _refuse_fatal_shape(catalog: Catalog, parts: tuple[str, ...], value: Value) -> None:
    """A forced key Streamlit would not merely ignore: one that makes an option a table, or a
    table Streamlit refuses to start with (`[theme.sidebar.light]`). --force writes keys
    Streamlit ignores, never a file it cannot start with."""
    key = ".".join(parts)
    for end in range(2, len(parts)):
        option = ".".join(parts[:end])
        if option in catalog.options:
            raise UsageError(
                f"cannot set {key}: {option} is an option, and {key} would make it a table: "
                "Streamlit fails to start",
                hint=f"set {option} itself: stconfig set {option} VALUE",
            )
    nested: Value = value
    for part in reversed(parts):
        nested = {part: nested}
    assert isinstance(nested, dict)
    try:
        for _ in walk_sections(nested, catalog):
            pass
    except FileProblem as problem:
        raise UsageError(f"cannot set {key}: {problem}") from None


def _refuse_at_start(request: _Request, spec: OptionSpec, value: Value, *, force: bool) -> None:
    """InvalidValueError (exit 2) for a value Streamlit's start refuses; a combination it refuses
    (global.developmentMode with a port) also, unless --force, which warns instead."""
    for problem in value_problems(spec, value, request.catalog):
        if problem.severity == "error":
            raise InvalidValueError(problem.message, hint=problem.hint)
        request.warnings.append(problem.message)
    if spec.key == "theme.base" and themefile.follows(value, request.catalog):
        theme = themefile.read_theme_file(value, request.context.project_dir, request.catalog)
        for placed in theme.problems:
            _refuse_unless_forced(request, placed.problem, force=force)
    if spec.key not in CONFLICT_KEYS:
        return
    options = dict(resolve(request.context, request.catalog).options)
    before = options[spec.key]
    target = request.target
    wins = target.scope not in PRECEDENCE or (
        PRECEDENCE.index(target.scope) >= PRECEDENCE.index(before.source.scope)
    )
    if not wins:
        return  # a higher layer keeps its value: the start sees no change
    source = Source(target.scope, Position(target.path))
    options[spec.key] = replace(before, value=value, source=source, at_start=value)
    for conflict in conflicts(options):
        if spec.key not in conflict.involves:
            continue
        _refuse_unless_forced(request, conflict.problem, force=force)


def _refuse_unless_forced(request: _Request, problem: Problem, *, force: bool) -> None:
    """A start-up problem that depends on more than the value (another key, another file):
    an error refuses the write unless --force, which makes it a warning."""
    if problem.severity == "warning":
        request.warnings.append(problem.message)
    elif force:
        request.warnings.append(f"{problem.message} (written anyway: --force)")
    else:
        raise InvalidValueError(problem.message, hint=problem.hint + " (or pass --force)")


def _unknown_warning(catalog: Catalog, key: str) -> str:
    error = UnknownKeyError(key, catalog.suggest(key), removed=catalog.is_removed(key))
    version = catalog.streamlit_version or catalog.data_version
    return f"{error.message} in Streamlit {version}: Streamlit will ignore it"


def _guess_value(texts: Sequence[str]) -> Value:
    """A --force value for a key without a type: a TOML literal when it is one, else a string."""
    values: list[Value] = []
    for text in texts:
        try:
            values.append(loads(f"v = {text}")["v"])
        except tomllib.TOMLDecodeError:
            values.append(text)
        except TomlLimit as error:
            raise InvalidValueError(f"the value is {toml_limit(error.reason)}") from None
    return values[0] if len(values) == 1 else values


def _overriding(
    context: Context, catalog: Catalog, key: str, target: Target, spec: OptionSpec | None
) -> tuple[tuple[Setting, ...], bool]:
    """Layers above the target that set the key, highest first (the first one wins), and whether
    the key's values are secret (redact's rule, over every layer)."""
    if spec is None:
        return (), False
    resolved = resolve(context, catalog).options[key]
    if target.scope not in PRECEDENCE or resolved.is_default:
        return (), resolved.sensitive
    rank = PRECEDENCE.index(target.scope)
    settings = [Setting(key, resolved.value, resolved.source), *resolved.overridden]
    higher = tuple(
        setting
        for setting in settings
        if setting.source.scope in PRECEDENCE
        and PRECEDENCE.index(setting.source.scope) > rank
        and setting.source.path != target.path
    )
    return higher, resolved.sensitive


def _argv_texts(key: str, texts: Sequence[str], *, sensitive: bool) -> list[str]:
    """The VALUE arguments as text. Outside a UTF-8 locale Python hands over the bytes it could
    not decode as lone surrogates: UTF-8 bytes are taken as UTF-8; other bytes no config file
    can hold, so such a VALUE is refused, named only when it is not a secret."""
    decoded = []
    for text in texts:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            try:
                text = os.fsencode(text).decode("utf-8")
            except UnicodeDecodeError:
                shown_text = HIDDEN if sensitive else ascii(text)
                raise InvalidValueError(
                    f"the value {shown_text} for {key} is not valid UTF-8 text",
                    hint="pass the value as UTF-8 (check the locale: LANG, LC_ALL)",
                ) from None
        decoded.append(text)
    return decoded


def _diff(before: str, after: str, path: Path, secrets: frozenset[tuple[str, ...]]) -> str:
    """The unified diff of the change, with the values of the keys at `secrets` hidden, in the
    changed lines and the context alike."""
    import difflib  # only --dry-run shows a diff

    name = printable(display_path(path))
    lines = difflib.unified_diff(
        diff_lines(before, secrets),
        diff_lines(after, secrets),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    # A last line without a newline is marked as diff(1) and git do.
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
