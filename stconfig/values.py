"""Strings to typed values, the way click coerces `streamlit run` flags and `STREAMLIT_*` env vars.

`set` parses its VALUE arguments with the same rules, so a value stconfig writes is one that
Streamlit would also accept from the command line. Also: Streamlit's view of truthiness, and the
shell-friendly text form `get` prints.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from stconfig.catalog import OptionSpec
from stconfig.errors import InvalidValueError
from stconfig.model import Value

# click.BOOL's words (click/types.py BoolParamType), compared after strip().lower().
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "off"})


def parse_scalar(spec: OptionSpec, text: str) -> Value:
    """One element of `spec`'s type from text, or InvalidValueError naming the accepted forms."""
    if spec.type == "bool":
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise InvalidValueError(
            f"{spec.key} takes a bool, not {text!r}",
            hint="use true/false, yes/no, on/off, 1/0, t/f or y/n",
        )
    if spec.type in ("int", "float"):
        number_type = int if spec.type == "int" else float
        try:
            # click converts with int()/float() too, so " 8501 " and "1_000" are accepted alike.
            return number_type(text)
        except ValueError:
            raise InvalidValueError(
                f"{spec.key} takes {'an integer' if spec.type == 'int' else 'a number'}, "
                f"not {text!r}"
            ) from None
    return text


def check_allowed(spec: OptionSpec, value: Value) -> None:
    if spec.allowed is None:
        return
    elements = value if isinstance(value, list) else [value]
    for element in elements:
        if not spec.allows(str(element)):
            raise InvalidValueError(
                f"{spec.key} takes one of {', '.join(spec.allowed)}, not {element!r}"
            )


def parse_values(spec: OptionSpec, texts: Sequence[str]) -> Value:
    """The value of `stconfig set KEY VALUE...`: one VALUE, or one per element for list options."""
    if not spec.multiple and len(texts) != 1:
        raise InvalidValueError(f"{spec.key} takes exactly one value, got {len(texts)}")
    parsed = [parse_scalar(spec, text) for text in texts]
    value: Value = parsed if spec.multiple else parsed[0]
    check_allowed(spec, value)
    return value


def parse_click(spec: OptionSpec, raw: str, *, from_env: bool) -> Value | None:
    """A flag or env var value as click hands it to Streamlit; None when that means unset.

    Env values of list options are split on whitespace; each flag is one element.
    """
    if spec.multiple and from_env:
        elements = raw.split()
        # An all-blank list reaches Streamlit as (), which it drops like an absent flag.
        return [_parse_click_scalar(spec, element) for element in elements] or None
    value = _parse_click_scalar(spec, raw)
    return [value] if spec.multiple else value


def _parse_click_scalar(spec: OptionSpec, raw: str) -> Value:
    # click.BOOL maps a blank value to False, where `set` insists on a word.
    if spec.type == "bool" and not raw.strip():
        return False
    return parse_scalar(spec, raw)


def is_truthy(value: Value) -> bool:
    """Streamlit tests options with plain `if`: the string "false" is true."""
    return bool(value)


def to_json(value: Value) -> Any:
    """A JSON-safe form: TOML dates and times become ISO strings, NaN/inf strings."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def to_text(value: Value) -> str:
    """What `get` prints: true/false, numbers as written, strings bare, lists and tables as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return json.dumps(to_json(value), ensure_ascii=False)
