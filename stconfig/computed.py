"""The defaults Streamlit computes when it starts (the `@_create_option` functions of its
`config.py`), derived without starting it where every Streamlit from 1.40 on computes them alike.

`derive` answers `Unknown` where only the start can tell (a random secret, a version-specific rule
that the inputs make matter), so that `get` never prints a guess.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from stconfig.environment import StreamlitInstall
from stconfig.locate import CONFIG_DIR, SECRETS_FILE, script_config_path
from stconfig.model import Unknown, Value


@dataclass(frozen=True)
class Inputs:
    """What the computations read: the environment, the directories, the script, the install."""

    env: Mapping[str, str]
    home: Path
    project_dir: Path
    script: Path | None
    reads_script_config: bool
    install: StreamlitInstall | None
    platform: str = sys.platform  # Streamlit asks platform.system(); the same answer here


Lookup = Callable[[str], "Value | Unknown"]  # another option's effective value


def derive(key: str, effective: Lookup, inputs: Inputs) -> Value | Unknown:
    """The value Streamlit computes for `key` when no layer sets it."""
    rule = _RULES.get(key)
    if rule is None:
        return Unknown("Streamlit computes it when it starts")
    return rule(effective, inputs)


def _server_port(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    # `int(get_option("server.port"))`
    port = effective("server.port")
    if isinstance(port, Unknown):
        return port
    try:
        return int(port)
    except (TypeError, ValueError):
        return Unknown(f"server.port is {port!r}, which Streamlit cannot turn into a port")


def _headless(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    # 1.67: Linux/BSD with neither DISPLAY nor WAYLAND_DISPLAY. 1.40: Linux/BSD without DISPLAY,
    # or IS_RUNNING_IN_STREAMLIT_EDITOR_PLUGIN set. Only where both rules agree is it known.
    linux = inputs.platform.startswith("linux") or "bsd" in inputs.platform
    display = bool(inputs.env.get("DISPLAY"))
    wayland = bool(inputs.env.get("WAYLAND_DISPLAY"))
    plugin = inputs.env.get("IS_RUNNING_IN_STREAMLIT_EDITOR_PLUGIN") is not None
    if linux and not display and not wayland:
        return True
    if not plugin and (display or not linux):
        return False
    return Unknown("Streamlit versions decide server.headless differently for this environment")


def _development_mode(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    # True unless Streamlit was installed normally (its files under site-packages).
    normal = inputs.install.installed_normally if inputs.install else None
    if normal is None:
        return Unknown("it depends on how Streamlit is installed, which stconfig cannot tell")
    return not normal


def _logger_level(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    development = effective("global.developmentMode")
    if isinstance(development, Unknown):
        return development
    return "debug" if development else "info"


def _message_format(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    development = effective("global.developmentMode")
    if isinstance(development, Unknown):
        return development
    if development:
        return Unknown("in development mode Streamlit uses its logger's own format")
    return "%(asctime)s %(message)s"


def _secrets_files(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    # `config.get_config_files("secrets.toml")`: global, project (the two are not de-duplicated),
    # then the script-level file where this Streamlit reads one and it is not already listed.
    files = [
        str(inputs.home / CONFIG_DIR / SECRETS_FILE),
        str(inputs.project_dir / CONFIG_DIR / SECRETS_FILE),
    ]
    if inputs.script is not None and inputs.reads_script_config:
        script_level = str(script_config_path(inputs.script).with_name(SECRETS_FILE))
        if script_level not in files:
            files.append(script_level)
    return files


def _none(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    return None


def _random(effective: Lookup, inputs: Inputs) -> Value | Unknown:
    return Unknown("Streamlit makes a random one each time it starts")


_RULES: dict[str, Callable[[Lookup, Inputs], Value | Unknown]] = {
    "browser.serverPort": _server_port,
    "server.headless": _headless,
    "global.developmentMode": _development_mode,
    "logger.level": _logger_level,
    "logger.messageFormat": _message_format,
    "secrets.files": _secrets_files,
    "server.address": _none,
    "server.cookieSecret": _random,
}
