"""Streamlit's option catalog: every option's type, default, env var and flag, and the removed keys.

The catalog comes from data shipped in `data/`, generated from Streamlit's own definitions by
`scripts/generate_catalog.py`. When the user's Streamlit is another version, its catalog is
introspected once in a subprocess (`introspect.py`) and cached per version; the hot path never
imports Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from stconfig.errors import UnknownKeyError, UsageError

OptionType = Literal["bool", "int", "float", "str"]
FileEffect = Literal["applied", "skipped", "fatal"]  # what Streamlit does with a file


@dataclass(frozen=True)
class OptionSpec:
    """One Streamlit option as `streamlit.config._config_options_template` defines it."""

    key: str
    type: OptionType
    default: Any  # None when `computed`
    computed: bool  # the default is computed at run time (browser.serverPort, server.headless...)
    description: str
    hidden: bool
    sensitive: bool
    multiple: bool  # list-valued: one flag per element, env value split on whitespace
    scriptable: bool
    deprecated: bool
    env_var: str
    allowed: tuple[str, ...] | None = None  # values Streamlit enforces, when it enforces any
    allowed_any_case: bool = False  # Streamlit lower-cases the value before comparing
    allowed_enforced_by: str | None = None  # the Streamlit function that rejects other values

    @property
    def section(self) -> str:
        return self.key.rsplit(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.rsplit(".", 1)[1]

    @property
    def flag(self) -> str:
        return f"--{self.key}"

    @property
    def auto_env_var(self) -> str:
        """The name click also accepts for `streamlit run` (auto_envvar_prefix + param name)."""
        return "STREAMLIT_RUN_" + self.key.replace(".", "_").upper()

    @property
    def type_label(self) -> str:
        return f"list[{self.type}]" if self.multiple else self.type

    def allows(self, value: str) -> bool:
        """Whether Streamlit accepts `value` for this option (any value when it enforces none)."""
        if self.allowed is None:
            return True
        if self.allowed_any_case:
            return value.lower() in (a.lower() for a in self.allowed)
        return value in self.allowed


@dataclass(frozen=True)
class Catalog:
    """The options of one Streamlit version, plus how that version reads config files."""

    streamlit_version: str | None  # None: no Streamlit found, the shipped catalog stands in
    data_version: str  # the Streamlit version the option data was read from
    origin: str  # "shipped", "cache" or "introspected": where this catalog was read from
    options: Mapping[str, OptionSpec]
    sections: Mapping[str, str]  # section name -> description
    theme_sections: tuple[str, ...]  # valid [theme...] tables, e.g. theme.light.sidebar
    reads_script_config: bool  # reads <script dir>/.streamlit/config.toml
    broken_file_fatal: bool  # a TOML syntax error stops `streamlit run` instead of skipping
    bom: FileEffect  # what a UTF-8 BOM at the start of a config file does
    theme_files: bool = False  # follows theme.base to a TOML theme file (process_theme_inheritance)
    # `streamlit run` starts a script assigning one of these in ASGI mode (app_discovery.py).
    asgi_app_classes: tuple[str, ...] = ()
    asgi_app_names: tuple[str, ...] = ()  # the app variable names it looks for first
    removed: Mapping[str, str] = field(default_factory=dict)  # key or `section.*` -> note
    fallback_reason: str | None = None  # with origin "shipped-fallback": why introspection failed

    def __iter__(self) -> Iterator[OptionSpec]:
        return iter(self.options.values())

    def env_index(self) -> dict[str, str]:
        """Each `STREAMLIT_*` name `streamlit run` reads (explicit, `STREAMLIT_RUN_...`) -> key."""
        return {spec.env_var: spec.key for spec in self} | {
            spec.auto_env_var: spec.key for spec in self
        }

    def get(self, key: str) -> OptionSpec | None:
        return self.options.get(key)

    def require(self, key: str) -> OptionSpec:
        """The option for `key`, or UnknownKeyError with did-you-mean suggestions."""
        spec = self.options.get(key)
        if spec is None:
            if self.is_section(key):
                raise UsageError(
                    f"{key!r} is a section, not an option",
                    hint=f"its options and their values: stconfig show {key}",
                )
            raise UnknownKeyError(key, self.suggest(key), removed=self.is_removed(key))
        return spec

    def is_section(self, name: str) -> bool:
        """A section or sub-section (`theme.light`) that holds options."""
        return any(key.startswith(name + ".") for key in self.options)

    @cached_property
    def _by_lower(self) -> dict[str, str]:
        return {k.lower(): k for k in self.options}

    def suggest(self, key: str) -> list[str]:
        """Close option keys, case-insensitively, best first (a few milliseconds: difflib
        compares the key with every option)."""
        by_lower = self._by_lower
        if key.lower() in by_lower:
            return [by_lower[key.lower()]]
        import difflib  # only a mistyped key pays for it

        names = difflib.get_close_matches(key.lower(), list(by_lower), n=3, cutoff=0.6)
        if not names and "." in key:
            # `enforceSerializableSessionState` under the wrong section still finds its home.
            leaf = key.rsplit(".", 1)[1].lower()
            names = [k for k in by_lower if k.rsplit(".", 1)[1] == leaf][:3]
        return [by_lower[n] for n in names]

    def is_removed(self, key: str) -> bool:
        return self.removed_note(key) is not None

    @cached_property
    def _removed_patterns(self) -> list[tuple[re.Pattern[str], str]]:
        from fnmatch import translate

        return [(re.compile(translate(pattern)), note) for pattern, note in self.removed.items()]

    def removed_note(self, key: str) -> str | None:
        if key in self.options:
            return None
        for pattern, note in self._removed_patterns:
            if pattern.match(key):
                return note
        return None

    def match(self, pattern: str) -> list[OptionSpec]:
        """Options whose key matches a glob, a section name, or contains the text (any case)."""
        from fnmatch import fnmatchcase

        needle = pattern.lower()
        found = []
        for spec in self.options.values():
            key = spec.key.lower()
            if (
                fnmatchcase(key, needle)
                or key.startswith(needle + ".")
                or (not any(c in needle for c in "*?[") and needle in key)
            ):
                found.append(spec)
        return found
