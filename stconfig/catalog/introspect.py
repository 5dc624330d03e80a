"""Print the option catalog of the Streamlit importable by this interpreter, as JSON on stdout.

Standalone on purpose: `python introspect.py` runs inside the user's interpreter (Streamlit 1.21
and later, whatever its Python), so it imports nothing from stconfig and avoids newer syntax.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Callable
from enum import Enum
from typing import Any

FORMAT = 2  # bump when the JSON shape changes; stconfig rejects other formats

_TYPES = {bool: "bool", int: "int", float: "float", str: "str"}
_BOGUS = "stconfig-not-a-valid-value"
_PROBE_KEY = "server.port"


def _snake_env_var(key: str) -> str:
    """`ConfigOption.env_var` for versions that lack the property (same rule as Streamlit's)."""
    name = key.replace(".", "_")
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return "STREAMLIT_" + name.upper()


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return str(value)


def _mentions(value: Any, needles: tuple[str, ...]) -> bool:
    return any(needle in json.dumps(_json_safe(value)) for needle in needles)


def _options(config: Any, sandbox: tuple[str, ...]) -> dict[str, Any]:
    template: dict[str, Any] = config._config_options_template
    option_class = type(next(iter(template.values())))
    # Options with a plain default hold the `lambda: value` that `set_value` makes; a computed
    # default is the decorated function instead (possibly wrapped by `util.memoize`).
    plain_code = option_class("_test.stconfigProbe", default_val=1)._get_val_func.__code__
    options = {}
    for key, opt in template.items():
        if key.startswith("_"):
            continue
        func = getattr(opt, "_get_val_func", None)
        computed = func is not None and getattr(func, "__code__", None) is not plain_code
        default = None if computed else opt.default_val
        # Some defaults are built at import (1.40's secrets.files holds the home and working
        # directories): those are computed too, and must not leak a machine's paths.
        if not computed and _mentions(default, sandbox):
            computed, default = True, None
        env_var = getattr(opt, "env_var", None) or _snake_env_var(key)
        options[key] = {
            "type": _TYPES.get(opt.type, "str"),
            "default": _json_safe(default),
            "computed": computed,
            "description": inspect.cleandoc(opt.description or ""),
            "hidden": getattr(opt, "visibility", "visible") == "hidden",
            "sensitive": bool(getattr(opt, "sensitive", False)),
            "multiple": bool(getattr(opt, "multiple", False)),
            "scriptable": bool(getattr(opt, "scriptable", False)),
            "deprecated": bool(getattr(opt, "deprecated", False)),
            "env_var": env_var,
            "allowed": None,
            "allowed_any_case": False,
            "allowed_enforced_by": None,
        }
    return options


@contextlib.contextmanager
def _option_value(config: Any, key: str, value: Any) -> Any:
    """Make `config.get_option(key)` return `value` (the others their defaults) for a moment."""
    template = config._config_options_template
    real = config.get_option

    def fake(name: str) -> Any:
        if name == key:
            return value
        if name == "global.developmentMode":
            return False  # a source checkout would otherwise take other branches
        return template[name].value

    config.get_option = fake
    try:
        yield
    finally:
        config.get_option = real


def _accepts(config: Any, key: str, value: Any, call: Callable[[Any], Any]) -> bool:
    with _option_value(config, key, value):
        try:
            call(value)
        except (Exception, SystemExit):
            return False
    return True


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except Exception:
        return None


def _enforcers(config: Any) -> list[tuple[str, str, tuple[str, ...], Callable[[Any], Any]]]:
    """(key, where Streamlit enforces it, candidate values, a call that raises on a bad value).

    Each set is kept only if this Streamlit really rejects a bad value and accepts the candidate
    (see `_allowed`), so a version that stopped enforcing one drops it by itself.
    """
    found: list[tuple[str, str, tuple[str, ...], Callable[[Any], Any]]] = []

    check_conflicts = getattr(config, "_check_conflicts", None)
    if check_conflicts is not None:
        found.append(
            (
                "server.xsrfCookieSameSite",
                "streamlit/config.py:_check_conflicts",
                ("lax", "strict", "none"),
                lambda _value: check_conflicts(),
            )
        )

    logger = _import("streamlit.logger")
    if logger is not None and hasattr(logger, "set_log_level"):
        # streamlit/__init__.py:_update_logger upper-cases the option before calling it.
        found.append(
            (
                "logger.level",
                "streamlit/logger.py:set_log_level",
                ("critical", "error", "warning", "info", "debug"),
                lambda value: logger.set_log_level(value.upper()),
            )
        )

    app_session = _import("streamlit.runtime.app_session")
    toolbar = getattr(app_session, "_get_toolbar_mode", None)
    proto = getattr(app_session, "Config", None)  # the NewSession protobuf message
    if toolbar is not None and proto is not None:
        # A protobuf enum wrapper is not iterable: `.keys()` is its API.
        modes = tuple(name.lower() for name in proto.ToolbarMode.keys())  # noqa: SIM118
        found.append(
            (
                "client.toolbarMode",
                "streamlit/runtime/app_session.py:_get_toolbar_mode",
                modes,
                lambda _value: toolbar(),
            )
        )
    error_links = getattr(app_session, "_get_show_error_links", None)
    if error_links is not None:
        found.append(
            (
                "client.showErrorLinks",
                "streamlit/runtime/app_session.py:_get_show_error_links",
                ("auto", "true", "false"),
                lambda _value: error_links(),
            )
        )

    for module_name in ("streamlit.elements.lib.options_selector_utils", "streamlit.type_util"):
        module = _import(module_name)
        coerce = getattr(module, "_coerce_enum", None)
        settings = getattr(module, "_ALLOWED_ENUM_COERCION_CONFIG_SETTINGS", None)
        if coerce is not None and settings:
            path = module_name.replace(".", "/") + ".py"
            found.append(
                ("runner.enumCoercion", path + ":_coerce_enum", tuple(settings), _coercion(coerce))
            )
            break
    return found


def _coercion(coerce: Callable[[Any, Any], Any]) -> Callable[[Any], Any]:
    """A call of `_coerce_enum` on two distinct Enum classes of one name, as a rerun makes them."""

    class Twin(Enum):
        A = 1

    first = Twin

    class Twin(Enum):  # type: ignore[no-redef]
        A = 1

    return lambda _value: coerce(first.A, Twin)


def _allowed(config: Any, options: dict[str, Any]) -> None:
    for key, where, candidates, call in _enforcers(config):
        if key not in options or _accepts(config, key, _BOGUS, call):
            continue
        accepted = [c for c in candidates if _accepts(config, key, c, call)]
        if not accepted:
            continue
        spec = options[key]
        spec["allowed"] = accepted
        spec["allowed_any_case"] = _accepts(config, key, accepted[0].upper(), call)
        spec["allowed_enforced_by"] = where


def _theme_sections(config: Any, options: dict[str, Any]) -> list[str]:
    sections = {key.rsplit(".", 1)[0] for key in options if key.split(".")[0] == "theme"}
    categories = getattr(config, "CustomThemeCategories", None)
    is_valid = getattr(config, "_is_valid_theme_section", None)
    if categories is not None and is_valid is not None:
        sections.update("theme." + c.value for c in categories if is_valid("theme." + c.value))
    return sorted(sections)


def _asgi_discovery() -> dict[str, list[str]]:
    """How `streamlit run` tells an ASGI app script (web/server/app_discovery.py, 1.53+): the
    constructors it looks for and the variable names it prefers; none before it existed."""
    discovery = _import("streamlit.web.server.app_discovery")
    return {
        "asgi_app_classes": list(getattr(discovery, "_KNOWN_ASGI_APP_CLASSES", ())),
        "asgi_app_names": list(getattr(discovery, "_PREFERRED_APP_NAMES", ())),
    }


def _load_project_file(config: Any, content: str) -> str:
    """How this Streamlit treats a project config.toml with `content`: applied, skipped or fatal.

    Runs the real loader (`get_config_options`) from inside the sandbox working directory.
    """
    path = os.path.join(os.getcwd(), ".streamlit", "config.toml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content)
    try:
        config.get_config_options(force_reparse=True)
        applied = config.get_option(_PROBE_KEY) == 8765
    except (Exception, SystemExit):
        return "fatal"
    finally:
        os.remove(path)
    return "applied" if applied else "skipped"


def introspect() -> dict[str, Any]:
    import streamlit
    from streamlit import config, file_util

    home, cwd = os.environ["HOME"], os.getcwd()
    sandbox = (home, cwd, os.path.realpath(home), os.path.realpath(cwd))
    options = _options(config, sandbox)
    _allowed(config, options)
    broken = _load_project_file(config, "[server]\nport = 8765\nthis is not toml\n")
    bom = _load_project_file(config, "\ufeff[server]\nport = 8765\n")
    sections = {
        name: inspect.cleandoc(text or "")
        for name, text in config._section_descriptions.items()
        if not name.startswith("_")
    }
    return {
        "format": FORMAT,
        "streamlit_version": streamlit.__version__,
        "options": options,
        "sections": sections,
        "theme_sections": _theme_sections(config, options),
        "reads_script_config": hasattr(file_util, "get_main_script_streamlit_file_path"),
        "theme_files": hasattr(_import("streamlit.config_util"), "process_theme_inheritance"),
        **_asgi_discovery(),
        "broken_file_fatal": broken == "fatal",
        "bom": bom,
    }


def main() -> int:
    out = sys.stdout
    # Streamlit may print or log; only the JSON may reach stdout. Config files are read from a
    # sandbox HOME and working directory, so the user's own files and env vars play no part.
    logging.disable(logging.CRITICAL)
    # `python introspect.py` puts this directory first on sys.path, where stconfig's modules
    # could shadow the ones Streamlit imports.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    for name in [n for n in os.environ if n.startswith("STREAMLIT_")]:
        del os.environ[name]
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as cwd:
        os.makedirs(os.path.join(cwd, ".streamlit"))
        os.environ["HOME"] = home
        os.environ["USERPROFILE"] = home
        os.chdir(cwd)
        with contextlib.redirect_stdout(sys.stderr):
            data = introspect()
        os.chdir(os.path.dirname(home))
    json.dump(data, out, indent=2, sort_keys=True)
    out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
