"""Text as a terminal may show it: the one escaping helper of every human-facing output.

A value, a path or an env var can hold control characters: an ESC starting a sequence that
retitles the window or moves the cursor, a newline that starts a line forged to read
`stconfig: error: ...`, a right-to-left override that reorders what follows. Human-facing
output shows each such character as an escape (`\\x1b`, `\\u202e`) instead; data for scripts
(piped `get`, `--json`, piped `show`'s TOML) stays exact.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL and C1 controls, and the format and separator characters that move or
# reorder text (Unicode's bidi controls, line and paragraph separators).
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` on one line, every control character escaped."""
    return _UNSAFE.sub(_escape, text)


# What TOML lets strings and comments hold raw that still drives a terminal.
_RAW_IN_TOML = re.compile("[\x80-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def toml_printable(document: str) -> str:
    """A TOML document stconfig wrote (basic strings only) with those characters as `\\uXXXX`
    escapes: the same value in a basic string, the same words in a comment."""
    return _RAW_IN_TOML.sub(lambda match: f"\\u{ord(match[0]):04x}", document)
