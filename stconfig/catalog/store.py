"""Load the option catalog matching the user's Streamlit: shipped data, the per-version cache, or a
fresh introspection of that interpreter, falling back to the newest shipped catalog.

Loading shipped data costs a JSON read; platformdirs is imported only when the cache is needed,
and Streamlit is never imported in stconfig's own process.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

from stconfig.catalog import Catalog, FileEffect, OptionSpec, OptionType
from stconfig.environment import StreamlitInstall, version_tuple
from stconfig.errors import ConfigFileError, ProbeError
from stconfig.readfile import read_regular

DATA_DIR = Path(__file__).parent / "data"
INTROSPECT_SCRIPT = Path(__file__).with_name("introspect.py")
INTROSPECT_TIMEOUT = 60.0
FORMAT = 2  # the `format` introspect.py writes (it cannot import this module)
_SHIPPED = re.compile(r"^streamlit-(?P<version>.+)\.json$")
_REMOVED_FILE = DATA_DIR / "removed.json"

_OPTION_FIELDS: dict[str, type | tuple[type, ...]] = {
    "type": str,
    "computed": bool,
    "description": str,
    "hidden": bool,
    "sensitive": bool,
    "multiple": bool,
    "scriptable": bool,
    "deprecated": bool,
    "env_var": str,
    "allowed": (list, type(None)),
    "allowed_any_case": bool,
    "allowed_enforced_by": (str, type(None)),
}


def shipped_versions() -> list[str]:
    """The Streamlit versions whose catalog ships with stconfig, oldest first."""
    found = [m["version"] for p in DATA_DIR.iterdir() if (m := _SHIPPED.match(p.name))]
    return sorted(found, key=version_tuple)


def shipped_path(version: str) -> Path:
    return DATA_DIR / f"streamlit-{version}.json"


def cache_path(version: str) -> Path:
    """Where the introspected catalog of `version` is cached (platformdirs' user cache)."""
    import platformdirs  # only the cache path needs it; the shipped path stays fast

    return Path(platformdirs.user_cache_dir("stconfig")) / f"catalog-{version}.json"


def dumps(data: Mapping[str, Any]) -> str:
    """The stable text of a catalog file: sorted keys, indented, one final newline."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def validate(data: Any) -> dict[str, Any]:
    """`data` if it has the shape `introspect.py` prints, else ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if data.get("format") != FORMAT:
        raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
    if not isinstance(data.get("streamlit_version"), str):
        raise ValueError("no streamlit_version")
    for name in ("reads_script_config", "broken_file_fatal", "theme_files"):
        if not isinstance(data.get(name), bool):
            raise ValueError(f"{name} is not a bool")
    for name in ("asgi_app_classes", "asgi_app_names"):
        if not isinstance(data.get(name), list):
            raise ValueError(f"{name} is not a list")
    if data.get("bom") not in get_args(FileEffect):
        raise ValueError(f"bom is {data.get('bom')!r}")
    if not isinstance(data.get("sections"), dict) or not isinstance(
        data.get("theme_sections"), list
    ):
        raise ValueError("no sections or theme_sections")
    options = data.get("options")
    if not isinstance(options, dict) or not options:
        raise ValueError("no options")
    for key, spec in options.items():
        if not isinstance(spec, dict) or "default" not in spec:
            raise ValueError(f"option {key!r} is malformed")
        for name, kind in _OPTION_FIELDS.items():
            if not isinstance(spec.get(name), kind):
                raise ValueError(f"option {key!r}: {name} is {spec.get(name)!r}")
        if spec["type"] not in get_args(OptionType):
            raise ValueError(f"option {key!r}: unknown type {spec['type']!r}")
    return data


def introspect(python: Path, *, timeout: float = INTROSPECT_TIMEOUT) -> dict[str, Any]:
    """Run `introspect.py` with `python` and return its validated catalog data.

    Raises ProbeError when the interpreter cannot run it or prints something else.
    """
    import subprocess  # off the hot path: only a Streamlit version we have no data for

    try:
        result = subprocess.run(
            [str(python), str(INTROSPECT_SCRIPT)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProbeError(f"{python} took more than {timeout:g} s to list its options") from None
    except OSError as exc:
        raise ProbeError(f"cannot run {python}: {exc.strerror or exc}") from None
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        detail = lines[-1] if lines else f"exit status {result.returncode}"
        raise ProbeError(f"{python} could not list Streamlit's options: {detail}")
    try:
        return validate(json.loads(result.stdout))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        raise ProbeError(f"{python} printed an unexpected option catalog: {exc}") from None


def _read(path: Path) -> dict[str, Any]:
    # A FIFO planted at the cache path is refused (an OSError: introspect again), never waited on.
    data: dict[str, Any] = json.loads(read_regular(path))
    return data


def _removed() -> dict[str, str]:
    keys: dict[str, str] = _read(_REMOVED_FILE)["keys"]
    return keys


def _option(key: str, spec: Mapping[str, Any]) -> OptionSpec:
    allowed = spec["allowed"]
    return OptionSpec(
        key=key,
        type=spec["type"],
        default=spec["default"],
        computed=spec["computed"],
        description=spec["description"],
        hidden=spec["hidden"],
        sensitive=spec["sensitive"],
        multiple=spec["multiple"],
        scriptable=spec["scriptable"],
        deprecated=spec["deprecated"],
        env_var=spec["env_var"],
        allowed=tuple(allowed) if allowed is not None else None,
        allowed_any_case=spec["allowed_any_case"],
        allowed_enforced_by=spec["allowed_enforced_by"],
    )


def catalog_from_data(
    data: Mapping[str, Any],
    *,
    origin: str,
    streamlit_version: str | None,
    fallback_reason: str | None = None,
) -> Catalog:
    return Catalog(
        streamlit_version=streamlit_version,
        data_version=data["streamlit_version"],
        origin=origin,
        options={key: _option(key, spec) for key, spec in data["options"].items()},
        sections=data["sections"],
        theme_sections=tuple(data["theme_sections"]),
        reads_script_config=data["reads_script_config"],
        broken_file_fatal=data["broken_file_fatal"],
        bom=data["bom"],
        theme_files=data["theme_files"],
        asgi_app_classes=tuple(data["asgi_app_classes"]),
        asgi_app_names=tuple(data["asgi_app_names"]),
        removed=_removed(),
        fallback_reason=fallback_reason,
    )


def _newest_shipped(
    install: StreamlitInstall | None, origin: str, reason: str | None = None
) -> Catalog:
    versions = shipped_versions()
    if not versions:
        raise ProbeError("stconfig is installed without its option catalog data")
    data = _read(shipped_path(versions[-1]))
    return catalog_from_data(
        data,
        origin=origin,
        streamlit_version=install.version if install else None,
        fallback_reason=reason,
    )


def _cached(version: str) -> dict[str, Any] | None:
    path = cache_path(version)
    try:
        data = validate(_read(path))
    except (OSError, ValueError):
        return None  # missing, unreadable or stale: introspect again
    return data if data["streamlit_version"] == version else None


def load_catalog(install: StreamlitInstall | None) -> Catalog:
    """The catalog of `install`'s Streamlit, or the newest shipped one when there is none.

    `origin` says where it came from: "shipped", "cache", "introspected", or "shipped-fallback"
    when introspecting `install` failed (`fallback_reason` says why).
    """
    if install is None:
        return _newest_shipped(None, "shipped")
    shipped = shipped_path(install.version)
    if shipped.is_file():
        return catalog_from_data(
            _read(shipped), origin="shipped", streamlit_version=install.version
        )
    cached = _cached(install.version)
    if cached is not None:
        return catalog_from_data(cached, origin="cache", streamlit_version=install.version)
    try:
        data = introspect(install.python)
    except ProbeError as exc:
        return _newest_shipped(install, "shipped-fallback", exc.message)
    if data["streamlit_version"] != install.version:
        reason = (
            f"{install.python} has Streamlit {data['streamlit_version']}, "
            f"not {install.version} as its metadata says"
        )
        return _newest_shipped(install, "shipped-fallback", reason)
    from stconfig.durable import write_atomically  # writing the cache is rare: keep it off the path

    # A read-only or full cache costs a re-introspection next time, nothing more; a cache file
    # is whole or absent (write_atomically checks what it wrote).
    with contextlib.suppress(ConfigFileError):
        write_atomically(cache_path(install.version), dumps(data))
    return catalog_from_data(data, origin="introspected", streamlit_version=install.version)
