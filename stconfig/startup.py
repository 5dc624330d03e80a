"""What Streamlit checks when it starts, ported from its own start-up code: values it refuses
(`value_problems`, one option at a time) and combinations it refuses or warns about (`conflicts`,
on the merged config). Each rule names the Streamlit code it mirrors and is keyed to the versions
that make the check; `check` reports these, `set` refuses the errors.

Pure: no Streamlit import, no file access.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from stconfig.catalog import Catalog, OptionSpec
from stconfig.environment import version_tuple
from stconfig.model import Resolved, Source, Value
from stconfig.problems import Code

Severity = Literal["error", "warning"]

FAILS = "Streamlit fails to start"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: Code
    message: str
    hint: str


@dataclass(frozen=True)
class Conflict:
    """A problem with the merged config, placed at the setting that makes it (`key`, `source`)."""

    problem: Problem
    key: str
    source: Source
    involves: frozenset[str]  # every key whose value makes the conflict


def _version(catalog: Catalog) -> tuple[int, ...]:
    return version_tuple(catalog.streamlit_version or catalog.data_version)


def _literal(value: Value) -> str:
    from stconfig import tomlrender  # only a problem that shows a value pays for tomlkit

    return tomlrender.value(value)


# --- one value at a time -------------------------------------------------------------------------


def _port(spec: OptionSpec, value: Value, catalog: Catalog) -> Iterator[Problem]:
    """The server binds `server.port` as given: a socket refuses a negative port in every version;
    above 65535 Starlette's `sock.bind` refuses it (1.67: OverflowError, exit 1) where tornado
    (1.40) wraps it and starts. Starlette is the only server from 1.57 on."""
    if not isinstance(value, int) or isinstance(value, bool):
        return
    highest = 65535 if _version(catalog) >= (1, 57) else None
    if value < 0 or (highest is not None and value > highest):
        span = f"0-{highest}" if highest is not None else "0 and up"
        yield Problem(
            "error",
            Code.PORT_RANGE,
            f"{spec.key} {value} is not a port ({span}): {FAILS} (the server cannot bind it)",
            "use a port from 1 to 65535 (0: any free port)",
        )


# streamlit/byte_util.py:_BYTE_SIZE_RE and _MAX_BYTE_SIZE_DIGITS
_BYTE_SIZE = re.compile(
    r"(?P<value>(?:\d+(?:\.\d*)?|\.\d+)) ?(?P<unit>b|(?:k|ki)b|(?:m|mi)b|(?:g|gi)b|(?:t|ti)b)",
    re.ASCII | re.IGNORECASE,
)
_MULTIPLIERS = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def _cache_size_error(value: Value) -> str | None:
    """streamlit/byte_util.py:config_max_cache_data_size_to_bytes, run by `_check_conflicts`."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value == 0):
        return None
    if isinstance(value, str) and value.strip() == "0":
        return None
    wanted = 'a positive binary-unit string, such as "2gb" or "500mb" ("0" disables the budget)'
    match = _BYTE_SIZE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return f"takes {wanted}"
    whole, _, fraction = match["value"].partition(".")
    digits = f"{whole or '0'}{fraction}"
    if len(digits) > 100:
        return "exceeds the supported byte-size range"
    if not digits.strip("0"):
        return 'must be positive ("0" without a unit disables the budget)'
    size = int(digits) * _MULTIPLIERS[match["unit"][0].lower()] // 10 ** len(fraction)
    return "must be at least 1 byte" if size < 1 else None


def _cache_size(spec: OptionSpec, value: Value, catalog: Catalog) -> Iterator[Problem]:
    error = _cache_size_error(value)
    if error is not None:
        yield Problem(
            "error",
            Code.CACHE_SIZE,
            f"{spec.key} {_literal(value)} {error}: {FAILS}",
            'write a size with a unit, e.g. "2gb", or "0"',
        )


def _trusted_headers(spec: OptionSpec, value: Value, catalog: Catalog) -> Iterator[Problem]:
    """streamlit/config.py:_parse_trusted_user_headers: a string (env, flag) must be a JSON
    object of strings; no user key may be mapped twice."""
    error = None
    mapping = value
    if isinstance(value, str):
        try:
            mapping = json.loads(value)
        except json.JSONDecodeError as exc:
            error = f"is not valid JSON ({exc.msg})"
        else:
            if not isinstance(mapping, dict):
                error = "must be a JSON object"
            elif any(not isinstance(v, str) for v in mapping.values()):
                error = "must map each header to a string"
    if error is None and isinstance(mapping, dict):
        values = [v for v in mapping.values() if isinstance(v, str)]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            error = f"maps several headers to the same user key ({', '.join(repeated)})"
    if error is not None:
        yield Problem(
            "error",
            Code.TRUSTED_HEADERS,
            f"{spec.key} {error}: {FAILS}",
            'write a table of header = "user key" pairs, e.g. {"X-Email" = "email"}',
        )


_RESERVED_LABELS = frozenset({"type"})
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def _metrics_attributes(spec: OptionSpec, value: Value, catalog: Catalog) -> Iterator[Problem]:
    """streamlit/config.py:_check_metrics_user_attributes."""
    if not value or not isinstance(value, list):
        return
    if any(not isinstance(name, str) for name in value):
        error = "must hold only strings"
    elif _RESERVED_LABELS & set(value):
        error = "may not hold the reserved label name type"
    elif any(not _LABEL_NAME.match(name) for name in value):
        bad = [name for name in value if not _LABEL_NAME.match(name)]
        error = f"holds invalid label names ({', '.join(bad)})"
    else:
        return
    yield Problem(
        "error",
        Code.METRICS_ATTRIBUTES,
        f"{spec.key} {error}: {FAILS}",
        "use names matching [a-zA-Z_][a-zA-Z0-9_]*, other than type",
    )


# config.py:ShowErrorDetailsConfigOptions.is_true_variation / is_false_variation
_LEGACY_ERROR_DETAILS = {True: "full", "true": "full", "True": "full"} | {
    False: "stacktrace",
    "false": "stacktrace",
    "False": "stacktrace",
}


def _error_details(spec: OptionSpec, value: Value, catalog: Catalog) -> Iterator[Problem]:
    """Where client.showErrorDetails is a string option (1.67; a bool in 1.40), its old
    true/false form still works, as "full"/"stacktrace", and is deprecated."""
    if spec.type != "str" or not isinstance(value, bool | str):
        return
    meant = _LEGACY_ERROR_DETAILS.get(value)
    if meant is not None:
        yield Problem(
            "warning",
            Code.DEPRECATED_VALUE,
            f"{spec.key} = {_literal(value)} is the deprecated boolean form: Streamlit reads it "
            f'as "{meant}"',
            f'write {spec.name} = "{meant}"',
        )


def _theme_base(spec: OptionSpec, value: Value, catalog: Catalog) -> Iterator[Problem]:
    """Without theme files (1.40), runtime/app_session.py logs any base but light or dark as
    invalid and uses light. (Where theme files exist, `themefile` checks what the base names.)"""
    if not catalog.theme_files and value not in (None, "light", "dark"):
        yield Problem(
            "warning",
            Code.THEME_BASE,
            f"theme.base {_literal(value)} is not light or dark: Streamlit "
            f"{catalog.streamlit_version or catalog.data_version} reads no theme files and "
            'uses "light"',
            'set theme.base = "light" or "dark"',
        )


_VALUE_RULES: dict[str, Callable[[OptionSpec, Value, Catalog], Iterator[Problem]]] = {
    "server.port": _port,
    "server.maxCacheDataSize": _cache_size,
    "server.trustedUserHeaders": _trusted_headers,
    "server.unsafeMetricsUserAttributes": _metrics_attributes,
    "client.showErrorDetails": _error_details,
    "theme.base": _theme_base,
}


def value_problems(spec: OptionSpec, value: Value, catalog: Catalog) -> list[Problem]:
    """What Streamlit's start makes of this one value (a rule applies where its option exists)."""
    rule = _VALUE_RULES.get(spec.key)
    return list(rule(spec, value, catalog)) if rule is not None else []


# --- the merged config ---------------------------------------------------------------------------

# Keys whose value changes what `conflicts` finds: `set` checks conflicts only for these.
CONFLICT_KEYS = frozenset(
    {
        "global.developmentMode",
        "server.port",
        "browser.serverPort",
        "server.enableCORS",
        "server.enableXsrfProtection",
        "server.xsrfCookieSameSite",
        "server.sslCertFile",
        "server.sslKeyFile",
    }
)


def conflicts(options: Mapping[str, Resolved]) -> list[Conflict]:
    """streamlit/config.py:_check_conflicts (1.40 and 1.67 alike), and the server's own checks
    at start: with global.developmentMode
    on, a server.port or browser.serverPort set anywhere (even to its default) stops the start
    (an AssertionError in 1.40, a RuntimeError in 1.67); server.enableCORS off with XSRF
    protection on is logged as a warning."""
    found: list[Conflict] = []
    dev_mode = options.get("global.developmentMode")
    if dev_mode is not None and dev_mode.effective:
        for key in ("server.port", "browser.serverPort"):
            resolved = options.get(key)
            if resolved is not None and not resolved.is_default:
                problem = Problem(
                    "error",
                    Code.DEV_MODE_PORT,
                    f"{key} is set while global.developmentMode is true: {FAILS} "
                    f'("{key} does not work when global.developmentMode is true.")',
                    f"unset {key} ({resolved.source.describe()}), or set "
                    "global.developmentMode = false",
                )
                involves = frozenset({key, "global.developmentMode"})
                found.append(Conflict(problem, key, resolved.source, involves))
    xsrf, cors = options.get("server.enableXsrfProtection"), options.get("server.enableCORS")
    if xsrf is not None and cors is not None and xsrf.effective and not cors.effective:
        where = cors if not cors.is_default else xsrf
        problem = Problem(
            "warning",
            Code.CORS_XSRF,
            "server.enableCORS is false while server.enableXsrfProtection is true: Streamlit "
            "warns at start that the two do not go together",
            "set server.enableCORS = true (and list trusted origins in "
            "server.corsAllowedOrigins), or turn server.enableXsrfProtection off",
        )
        involves = frozenset({xsrf.key, cors.key})
        found.append(Conflict(problem, where.key, where.source, involves))
    # web/server (server.py in 1.40, starlette_server.py in 1.67): _validate_ssl_config
    # exits 1 when only one of the two is set.
    pair = [options.get("server.sslCertFile"), options.get("server.sslKeyFile")]
    given = [resolved for resolved in pair if resolved is not None and resolved.value]
    if len(given) == 1:
        (alone,) = given
        other = "server.sslKeyFile" if alone.key == "server.sslCertFile" else "server.sslCertFile"
        problem = Problem(
            "error",
            Code.SSL_PAIR,
            f"{alone.key} is set without {other}: {FAILS} (they must be set together)",
            f"set {other} too, or unset {alone.key}",
        )
        involves = frozenset({"server.sslCertFile", "server.sslKeyFile"})
        found.append(Conflict(problem, alone.key, alone.source, involves))
    # 1.67: a SameSite=None XSRF cookie is marked Secure, so it needs HTTPS. (With XSRF
    # protection off Streamlit also warns, unless secrets hold an [auth] table: not judged.)
    same_site, cert = options.get("server.xsrfCookieSameSite"), options.get("server.sslCertFile")
    none = same_site is not None and str(same_site.value).lower() == "none"
    xsrf_on = xsrf is not None and bool(xsrf.effective)
    if same_site is not None and none and xsrf_on and not (cert is not None and cert.value):
        problem = Problem(
            "warning",
            Code.SAMESITE_NONE,
            'server.xsrfCookieSameSite = "none" marks the XSRF cookie Secure: Streamlit '
            "warns at start that the app must be served over HTTPS",
            'serve over HTTPS (server.sslCertFile, or a TLS-terminating proxy), or use "lax"',
        )
        involves = frozenset({same_site.key, "server.enableXsrfProtection", "server.sslCertFile"})
        found.append(Conflict(problem, same_site.key, same_site.source, involves))
    return found
