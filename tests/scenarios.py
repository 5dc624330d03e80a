"""Hypothesis strategies for layered config scenarios (global, project and script-level files, env
vars, flags) that know the line they wrote every key on, and their layout on disk.

The same scenarios run against every Streamlit version: what each version makes of them (a key it
does not know, a file it skips or refuses) is the oracle's to say, not the generator's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from hypothesis import strategies as st

Kind = Literal["bool", "int", "float", "str", "list"]
Defect = Literal["syntax", "bom", "toplevel", "bad_theme"]
ScriptPlace = Literal["none", "same", "subdir", "elsewhere"]

# key -> (kind, explicit env var). A mix of types, computed defaults (server.headless,
# browser.serverPort), a hidden option, list options, an option whose type changed between 1.40
# (bool) and 1.67 (str), and 1.67-only keys, theme sub-sections among them, that 1.40 must ignore.
OPTIONS: dict[str, tuple[Kind, str]] = {
    "runner.enforceSerializableSessionState": (
        "bool",
        "STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE",
    ),
    "runner.magicEnabled": ("bool", "STREAMLIT_RUNNER_MAGIC_ENABLED"),
    "runner.fastReruns": ("bool", "STREAMLIT_RUNNER_FAST_RERUNS"),
    "server.headless": ("bool", "STREAMLIT_SERVER_HEADLESS"),
    # Hidden; with server.port or browser.serverPort set anywhere Streamlit refuses to start.
    "global.developmentMode": ("bool", "STREAMLIT_GLOBAL_DEVELOPMENT_MODE"),
    "server.enableCORS": ("bool", "STREAMLIT_SERVER_ENABLE_CORS"),
    "browser.gatherUsageStats": ("bool", "STREAMLIT_BROWSER_GATHER_USAGE_STATS"),
    "client.showErrorDetails": ("bool", "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"),
    "server.port": ("int", "STREAMLIT_SERVER_PORT"),
    "server.maxUploadSize": ("int", "STREAMLIT_SERVER_MAX_UPLOAD_SIZE"),
    "browser.serverPort": ("int", "STREAMLIT_BROWSER_SERVER_PORT"),
    "global.minCachedMessageSize": ("float", "STREAMLIT_GLOBAL_MIN_CACHED_MESSAGE_SIZE"),
    "runner.cacheBackgroundRefreshTTLMultiplier": (
        "float",
        "STREAMLIT_RUNNER_CACHE_BACKGROUND_REFRESH_TTL_MULTIPLIER",
    ),
    "server.address": ("str", "STREAMLIT_SERVER_ADDRESS"),
    "server.baseUrlPath": ("str", "STREAMLIT_SERVER_BASE_URL_PATH"),
    "browser.serverAddress": ("str", "STREAMLIT_BROWSER_SERVER_ADDRESS"),
    "theme.primaryColor": ("str", "STREAMLIT_THEME_PRIMARY_COLOR"),
    "theme.sidebar.primaryColor": ("str", "STREAMLIT_THEME_SIDEBAR_PRIMARY_COLOR"),
    "theme.light.primaryColor": ("str", "STREAMLIT_THEME_LIGHT_PRIMARY_COLOR"),
    "theme.dark.sidebar.primaryColor": ("str", "STREAMLIT_THEME_DARK_SIDEBAR_PRIMARY_COLOR"),
    "server.folderWatchBlacklist": ("list", "STREAMLIT_SERVER_FOLDER_WATCH_BLACKLIST"),
    "server.folderWatchList": ("list", "STREAMLIT_SERVER_FOLDER_WATCH_LIST"),
    # Sensitive: Streamlit reads its env var itself (even when empty) and refuses it as a flag.
    "server.cookieSecret": ("str", "STREAMLIT_SERVER_COOKIE_SECRET"),
}
KEYS = sorted(OPTIONS)

# Variables a file can reference as "env:NAME"; STC_REF_UNSET is never set.
REF_VALUES: dict[str, list[str]] = {
    "STC_REF_INT": ["8600", " 42 ", "-3", "1_000"],
    "STC_REF_FLOAT": ["0.5", "1e2", "2."],
    "STC_REF_STR": ["hello", "12abc", "0x10", ""],
}
REF_NAMES = [*REF_VALUES, "STC_REF_UNSET"]


def run_env_var(key: str) -> str:
    """The name click derives for `streamlit run` from the `STREAMLIT` prefix and the param name."""
    return "STREAMLIT_RUN_" + key.replace(".", "_").upper()


@dataclass(frozen=True)
class ConfigText:
    """A generated config.toml: its bytes, the line of each option key, its deliberate defect."""

    data: bytes
    lines: dict[str, int]
    defect: Defect | None = None


@dataclass(frozen=True)
class Scenario:
    """Everything that decides what `streamlit run` resolves, before it is written to disk."""

    cwd_is_home: bool
    script: ScriptPlace
    files: dict[str, ConfigText]  # "home", "project", "script" (project absent when cwd is HOME)
    env: dict[str, str] = field(default_factory=dict)
    flags: tuple[tuple[str, str], ...] = ()
    # A theme file at THEME_PATH (relative to the project dir) that theme.base names, by env
    # var or flag: Streamlit 1.67 follows it, 1.40 keeps the name as the base.
    theme: ConfigText | None = None
    relative_script: bool = False  # the script path is given relative to the project dir
    run_elsewhere: bool = False  # stconfig runs from another directory, with -C
    via_symlink: bool = False  # every path goes through a symlinked directory

    def flag_args(self) -> list[str]:
        """The flags as `streamlit run` takes them."""
        return [arg for key, raw in self.flags for arg in (f"--{key}", raw)]


@dataclass(frozen=True)
class Layout:
    """A scenario on disk."""

    home: Path
    project: Path
    script: Path | None  # None: stconfig gets no --script; Streamlit runs project/streamlit_app.py
    config: dict[str, Path]  # "home"/"project"/"script" -> its config.toml path

    @property
    def streamlit_script(self) -> Path:
        return self.script or self.project / "streamlit_app.py"

    def place_of(self, path: Path) -> str | None:
        """Which generated file `path` is ("project" wins when cwd is HOME: it is read last)."""
        found = [place for place, config in self.config.items() if config == path]
        return found[-1] if found else None


def materialize(scenario: Scenario, root: Path) -> Layout:
    if scenario.via_symlink:
        # Streamlit's project path is os.getcwd() (symlinks resolved), HOME is taken as given.
        (root / "real").mkdir()
        (root / "link").symlink_to(root / "real", target_is_directory=True)
        root = root / "link"
    home = root / "home"
    project = home if scenario.cwd_is_home else root / "project"
    script_dir = {
        "none": None,
        "same": project,
        "subdir": project / "pages",
        "elsewhere": root / "elsewhere",
    }[scenario.script]
    config = {"home": home / ".streamlit" / "config.toml"}
    config["project"] = project / ".streamlit" / "config.toml"
    if script_dir is not None and script_dir != project:
        config["script"] = script_dir / ".streamlit" / "config.toml"
    for place, text in scenario.files.items():
        path = config[place]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.data)
    home.mkdir(parents=True, exist_ok=True)
    project.mkdir(parents=True, exist_ok=True)
    if scenario.theme is not None:
        (project / THEME_PATH).parent.mkdir(parents=True, exist_ok=True)
        (project / THEME_PATH).write_bytes(scenario.theme.data)
    script = None if script_dir is None else script_dir / "app.py"
    layout = Layout(home=home, project=project, script=script, config=config)
    app = layout.streamlit_script
    app.parent.mkdir(parents=True, exist_ok=True)
    app.write_text("import streamlit as st\n", encoding="utf-8")
    return layout


# --- values -----------------------------------------------------------------------------------

_TRICKY_STRINGS = [
    '"a#b"',
    '"x = y"',
    '"tab\\there"',
    '"quote\\"q"',
    '"\u00e9 \u00fc"',
    "'[not.a.table]'",
    '"""\nfirst\nsecond"""',
    "'''two\nlines'''",
    '""',
]
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789./-", min_size=1, max_size=8)


def _toml_string(value: str) -> st.SearchStrategy[str]:
    return st.sampled_from([f'"{value}"', f"'{value}'"])


@st.composite
def toml_value(draw: st.DrawFn, kind: Kind) -> str:
    """A TOML value for an option of `kind`: usually of that type, sometimes not (Streamlit keeps
    whatever TOML gives it), sometimes an "env:NAME" reference."""
    roll = draw(st.integers(0, 9))
    if roll == 0:
        return f'"env:{draw(st.sampled_from(REF_NAMES))}"'
    if roll == 1:
        kind = draw(st.sampled_from(["bool", "int", "float", "str", "list"]))
    if kind == "bool":
        word = draw(st.sampled_from(["true", "false"]))
        # A string "false" stays a (truthy) string: a classic mistake users make.
        return draw(st.sampled_from([word, f'"{word}"']))
    if kind == "int":
        plain = str(draw(st.integers(0, 65535)))
        return draw(st.sampled_from([plain, plain, plain, "1_000", "0x10", "+5", "0o17"]))
    if kind == "float":
        return draw(st.sampled_from(["0.5", "2.0", "1e3", "3.25", "-1.5", "6.0e-1", "1_0.5"]))
    if kind == "str":
        if draw(st.integers(0, 3)) == 0:
            # Text a line scanner could take for a comment, a key, a table or a line end.
            return draw(st.sampled_from(_TRICKY_STRINGS))
        return draw(_WORD.flatmap(_toml_string))
    items = draw(st.lists(_WORD.flatmap(_toml_string), max_size=3))
    if items and draw(st.booleans()):
        return "[\n" + "".join(f"  {item},  # item\n" for item in items) + "]"
    return "[" + ", ".join(items) + "]"


@st.composite
def cli_value(draw: st.DrawFn, kind: Kind, *, allow_invalid: bool = True) -> str:
    """A raw string as an env var or flag gives it to click; sometimes one click rejects."""
    if allow_invalid and draw(st.integers(0, 15)) == 0:
        return draw(
            st.sampled_from(
                {"bool": ["maybe", "2", "ja"], "int": ["12a", "1.5"], "float": ["abc", "1,5"]}.get(
                    kind, ["x"]
                )
            )
        )
    if kind == "bool":
        word = draw(
            st.sampled_from(
                ["true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"]
            )
        )
        upper = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
        word = "".join(c.upper() if u else c for c, u in zip(word, upper, strict=True))
        return draw(st.sampled_from([word, word, f" {word} "]))
    if kind == "int":
        return draw(st.sampled_from(["8502", " 8503", "+7", "1_000", "0", "-1"]))
    if kind == "float":
        return draw(st.sampled_from(["0.5", "3", "1e2", " 2.5 "]))
    if kind == "str":
        return draw(st.sampled_from(["abc", " sp ace ", "x=y", "true", "0", "a/b"]))
    return draw(st.sampled_from(["a b", " a\tb  c ", "single", "x\ny"]))


# --- files ------------------------------------------------------------------------------------

Form = Literal["table", "dotted", "inline", "table_dotted"]


@st.composite
def config_text(draw: st.DrawFn, *, allow_defects: bool = True) -> ConfigText:
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=5))
    values = {key: draw(toml_value(OPTIONS[key][0])) for key in keys}
    sections: dict[str, list[str]] = {}
    for key in keys:
        sections.setdefault(key.split(".", 1)[0], []).append(key)
    order = draw(st.permutations(sorted(sections)))
    forms: dict[str, Form] = {
        section: draw(st.sampled_from(["table", "dotted", "inline", "table_dotted"]))
        for section in order
    }
    for section in order:
        # Inline tables stay on one line: multi-line values go under a table header instead.
        if forms[section] == "inline" and any("\n" in values[k] for k in sections[section]):
            forms[section] = "table_dotted"
    # (text, keys written on that line); top-level dotted keys and inline tables must come
    # before the first [table] header, or TOML would put them inside that table.
    top: list[tuple[str, list[str]]] = []
    tables: list[tuple[str, list[str]]] = []

    def noise() -> list[tuple[str, list[str]]]:
        return [
            (line, [])
            for line in draw(
                st.lists(
                    st.sampled_from(
                        ["", "# a comment", "  # indented", "# [runner]", "#port = 1", "\t# tab"]
                    ),
                    max_size=2,
                )
            )
        ]

    def header(table: str) -> str:
        return draw(st.sampled_from([f"[{table}]", f"[ {table} ]", f"[{table}]  # table"]))

    def assignment(name: str, key: str) -> str:
        indent = draw(st.sampled_from(["", "", "  "]))
        comment = draw(st.sampled_from(["", "", "  # why"]))
        return f"{indent}{name} = {values[key]}{comment}"

    for section in order:
        form = forms[section]
        section_keys = sections[section]
        if form == "dotted":
            for key in section_keys:
                name = key.replace(".", " . ") if draw(st.integers(0, 4)) == 0 else key
                top += [*noise(), (assignment(name, key), [key])]
        elif form == "inline":
            inner = ", ".join(f"{key.split('.', 1)[1]} = {values[key]}" for key in section_keys)
            top += [*noise(), (f"{section} = {{ {inner} }}", list(section_keys))]
        elif form == "table_dotted":
            tables += [*noise(), (header(section), [])]
            for key in section_keys:
                tables += [*noise(), (assignment(key.split(".", 1)[1], key), [key])]
        else:
            by_table: dict[str, list[str]] = {}
            for key in section_keys:
                by_table.setdefault(key.rsplit(".", 1)[0], []).append(key)
            for table in sorted(by_table):
                tables += [*noise(), (header(table), [])]
                for key in by_table[table]:
                    name = key.rsplit(".", 1)[1]
                    if draw(st.booleans()) and draw(st.booleans()):
                        name = f'"{name}"'
                    tables += [*noise(), (assignment(name, key), [key])]
    lines = [*top, *tables, *noise()]

    defect: Defect | None = None
    if allow_defects and draw(st.integers(0, 9)) == 0:
        defect = draw(st.sampled_from(["syntax", "bom", "toplevel", "bad_theme"]))
    if defect == "toplevel":
        lines.insert(0, ("stray = 1", []))
    elif defect == "syntax":
        lines.append(("[oops", []))
    elif defect == "bad_theme":
        lines += [("[theme.sidebar.light]", []), ('primaryColor = "#ffffff"', [])]

    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = "".join(line.replace("\n", newline) + newline for line, _ in lines)
    line_of: dict[str, int] = {}
    number = 1
    for line, keys_ in lines:
        line_of.update(dict.fromkeys(keys_, number))
        number += line.count("\n") + 1  # a multi-line string or array spans lines
    data = text.encode("utf-8")
    if defect == "bom":
        data = b"\xef\xbb\xbf" + data
    return ConfigText(data=data, lines=line_of, defect=defect)


# --- theme files ------------------------------------------------------------------------------

THEME_PATH = "themes/t.toml"
_THEME_TABLES = ("theme", "theme.sidebar", "theme.light", "theme.dark.sidebar")


@st.composite
def theme_text(draw: st.DrawFn) -> ConfigText:
    """A theme file Streamlit loads: colours for the theme keys of OPTIONS (each table once, in
    a drawn order), maybe a base of its own, maybe a name Streamlit drops."""
    lines: list[str] = []
    line_of: dict[str, int] = {}
    tables = draw(st.permutations(_THEME_TABLES))
    if "theme" not in tables[: draw(st.integers(0, 4))]:
        tables = ("theme", *[t for t in tables if t != "theme"])  # [theme] is required
    for table in tables:
        keys = [k for k in KEYS if k.rsplit(".", 1)[0] == table]
        chosen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
        if table != "theme" and not chosen:
            continue
        lines.append(f"[{table}]")
        if table == "theme" and draw(st.booleans()):
            line_of["theme.base"] = len(lines) + 1
            lines.append(f'base = "{draw(st.sampled_from(["light", "dark"]))}"')
        if table == "theme" and draw(st.integers(0, 3)) == 0:
            lines.append("notAThemeOption = 1")
        for key in chosen:
            line_of[key] = len(lines) + 1
            colour = draw(st.sampled_from(["#ff4b4b", "#0e1117", "rgb(1, 2, 3)", "#abc"]))
            lines.append(f'{key.rsplit(".", 1)[1]} = "{colour}"')
        lines.append("")
    return ConfigText("\n".join(lines).encode(), line_of)


# --- env and flags ----------------------------------------------------------------------------


@st.composite
def env_vars(draw: st.DrawFn) -> dict[str, str]:
    env: dict[str, str] = {}
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=3)):
        kind, explicit = OPTIONS[key]
        style = draw(st.sampled_from(["explicit", "explicit", "run", "both", "empty"]))
        if style in ("explicit", "both"):
            env[explicit] = draw(cli_value(kind))
        if style in ("run", "both"):
            env[run_env_var(key)] = draw(cli_value(kind))
        if style == "empty":
            # An empty explicit variable counts as unset: click falls back to the RUN_ name.
            env[explicit] = ""
            if draw(st.booleans()):
                env[run_env_var(key)] = draw(cli_value(kind))
    for name, choices in REF_VALUES.items():
        if draw(st.booleans()):
            env[name] = draw(st.sampled_from(choices))
    return env


@st.composite
def flags(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
    result: list[tuple[str, str]] = []
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=3)):
        kind = OPTIONS[key][0]
        count = draw(st.integers(1, 2)) if kind == "list" else 1
        for _ in range(count):
            # A flag value is one element even when it holds spaces (unlike an env var).
            value = "" if draw(st.integers(0, 9)) == 0 else draw(cli_value(kind))
            result.append((key, value.replace("\n", " ")))
    return tuple(result)


@st.composite
def scenarios(draw: st.DrawFn, *, allow_defects: bool = True) -> Scenario:
    cwd_is_home = draw(st.integers(0, 7)) == 0
    script: ScriptPlace = draw(st.sampled_from(["none", "same", "subdir", "elsewhere"]))
    places = ["home"] if cwd_is_home else ["home", "project"]
    if script in ("subdir", "elsewhere"):
        places.append("script")
    files = {}
    for place in places:
        if draw(st.integers(0, 4)) > 0:
            files[place] = draw(config_text(allow_defects=allow_defects))
    run_elsewhere = draw(st.integers(0, 3)) == 0
    relative = script in ("same", "subdir") and not run_elsewhere and draw(st.booleans())
    env, flag_list = draw(env_vars()), draw(flags())
    theme = draw(theme_text()) if draw(st.integers(0, 3)) == 0 else None
    if theme is not None:
        if draw(st.booleans()):
            env["STREAMLIT_THEME_BASE"] = THEME_PATH
        else:
            flag_list = (*flag_list, ("theme.base", THEME_PATH))
    return Scenario(
        cwd_is_home=cwd_is_home,
        script=script,
        files=files,
        env=env,
        flags=flag_list,
        theme=theme,
        relative_script=relative,
        run_elsewhere=run_elsewhere,
        via_symlink=draw(st.integers(0, 5)) == 0,
    )
