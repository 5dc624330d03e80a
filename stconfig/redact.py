"""The one rule for secrets: a sensitive option's value (`server.cookieSecret`) is never shown, in
any output, only `<hidden>` in its place."""

from __future__ import annotations

from stconfig.model import Value

HIDDEN = "<hidden>"


def shown(value: Value, sensitive: bool) -> Value:
    """The value as it may be shown: `<hidden>` for a sensitive option's value (None stays None:
    an unset secret reveals nothing)."""
    return HIDDEN if sensitive and value is not None else value
