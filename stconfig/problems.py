"""How the problems stconfig reports are named and worded, in one place: the stable codes of
`check`'s findings, and the sentences that several commands say alike (read side, check, writes).
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from stconfig.model import Value

if TYPE_CHECKING:
    from stconfig.catalog import OptionSpec


class Code(StrEnum):
    """The kind of a finding: stable, documented in the README, used by scripts."""

    TOML_SYNTAX = "toml-syntax"
    DUPLICATE_KEY = "duplicate-key"
    BOM = "bom"
    NOT_UTF8 = "not-utf8"
    TOP_LEVEL_KEY = "top-level-key"
    THEME_SECTION = "theme-section"
    UNKNOWN_KEY = "unknown-key"
    REMOVED_KEY = "removed-key"
    WRONG_TYPE = "wrong-type"
    NOT_ALLOWED = "not-allowed"
    ENV_INVALID = "env-invalid"
    UNKNOWN_ENV = "unknown-env"
    PARENT_CONFIG_DIR = "parent-config-dir"
    UNREADABLE = "unreadable"
    DEPRECATED = "deprecated"
    TOML_LIMIT = "toml-limit"
    # What Streamlit's start-up code refuses or warns about (stconfig/startup.py).
    PORT_RANGE = "port-range"
    CACHE_SIZE = "cache-size"
    TRUSTED_HEADERS = "trusted-headers"
    METRICS_ATTRIBUTES = "metrics-attributes"
    DEPRECATED_VALUE = "deprecated-value"
    DEV_MODE_PORT = "dev-mode-port"
    CORS_XSRF = "cors-xsrf"
    SAMESITE_NONE = "samesite-none"
    SSL_PAIR = "ssl-pair"
    THEME_BASE = "theme-base"
    THEME_FILE = "theme-file"


BOM = "starts with a UTF-8 byte order mark (BOM)"
BOM_HINT = "save the file as UTF-8 without a BOM (delete its first 3 bytes)"
NOT_UTF8_HINT = "save the file as UTF-8"
NOT_REGULAR = "is not a regular file"


def not_utf8(byte: int) -> str:
    return f"not valid UTF-8 (byte 0x{byte:02x})"


NO_SUCH_FILE = "no such file"
NO_SUCH_DIRECTORY = "no such directory"


def not_written(reason: str) -> str:
    """A write that failed before the rename: nothing of it reached the file."""
    return f"cannot be written: {reason}; the file is unchanged"


def toml_limit(reason: str) -> str:
    """Valid-looking TOML that Python's parser (Streamlit's too) gives up on."""
    return f"beyond what Python's TOML parser reads: {reason}"


def duplicate(key: str, first_line: int) -> str:
    """A key or table that a document defines twice (TOML forbids it)."""
    return f"{key} is defined twice (first on line {first_line})"


def syntax(reason: str) -> str:
    return f"TOML syntax error: {reason}"


def parent_config(config_file: Path, project_dir: Path) -> tuple[str, str]:
    """(message, hint): a parent directory's config.toml, which Streamlit never reads."""
    parent = config_file.parent.parent
    return (
        f"{config_file} is in a parent directory: Streamlit run from {project_dir} "
        "does not read it",
        f"run from {parent} (or pass -C {parent}), or move the file here",
    )


def parent_config_meant(config_file: Path, new_file: Path) -> str:
    """`set` is about to create a project file below a parent directory's config."""
    parent = config_file.parent.parent
    return (
        f"{new_file} does not exist and {config_file} is the config of a parent directory: "
        f"to change that one, run from {parent} or pass -C {parent}"
    )


def secrets_file(path: Path) -> str:
    """`check` given Streamlit's secrets file (its values are never shown)."""
    return f"{path} is a Streamlit secrets file, not a config file: check reads config.toml files"


def no_script_config(version: str | None, path: Path) -> str:
    """Streamlit before script-level config files (1.40) never reads `path`."""
    return f"Streamlit {version} reads no script-level config: {path} has no effect"


_TOML_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),  # before int: a bool is an int to isinstance
    (int, "an integer"),
    (float, "a float"),
    (str, "a string"),
    (list, "an array"),
    (dict, "a table"),
    ((datetime, date, time), "a date/time"),
)


def toml_kind(value: Value) -> str:
    return next((kind for types, kind in _TOML_KINDS if isinstance(value, types)), "a value")


def not_boolean(key: str, value: Value) -> str:
    """A bool option holding another TOML type, and what Streamlit makes of it."""
    from stconfig import tomlrender  # only a wrong value pays for tomlkit

    truth = "true" if value else "false"
    return (
        f"{key} is {toml_kind(value)} {tomlrender.value(value)}, not a boolean: "
        f"Streamlit treats it as {truth}"
    )


# The Streamlit functions that check allowed values while the config loads, so at start.
_CHECKED_AT_START = ("streamlit/config.py:_check_conflicts", "streamlit/logger.py:set_log_level")


def allowed_consequence(spec: OptionSpec) -> str:
    """What Streamlit does with a value outside `spec.allowed`, by where it checks them."""
    if spec.allowed_enforced_by in _CHECKED_AT_START:
        return "Streamlit fails to start"
    return "Streamlit raises an error when the app runs"
