"""`stconfig schema`: a draft-07 schema that taplo (the engine of Even Better TOML) accepts every
corpus file `check --strict` passes with, and rejects the mistakes `check` reports, for Streamlit
1.67 and 1.40 alike; the CLI prints it or writes it atomically."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import missing, params_or_missing, shared_files
from jsonschema import Draft7Validator
from typer.testing import CliRunner

from stconfig.catalog import Catalog
from stconfig.catalog.store import load_catalog
from stconfig.check import check_bytes
from stconfig.cli.commands import app
from stconfig.environment import find_streamlit
from stconfig.schema import build

CORPUS = shared_files("corpus")
runner = CliRunner()


@cache
def catalog_of(python: Path) -> Catalog:
    """The catalog of `python`'s Streamlit, as `stconfig --python PYTHON` loads it."""
    return load_catalog(find_streamlit(Path.cwd(), {}, python))


def taplo() -> Path:
    found = shutil.which("taplo", path=sysconfig.get_path("scripts")) or shutil.which("taplo")
    if found is None:
        missing("taplo is not installed (pip install -e '.[test]' brings it)")
    return Path(found)


def lint(
    schema: dict[str, Any], files: list[Path], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    schema_path = tmp_path / "config.schema.json"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    return subprocess.run(
        [
            str(taplo()),
            "lint",
            "--no-auto-config",
            "--colors",
            "never",
            "--schema",
            schema_path.as_uri(),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def check_passes(data: bytes, catalog: Catalog) -> bool:
    """`stconfig check --strict` passes the file: no finding at all."""
    return not check_bytes(data, Path("config.toml"), catalog, {})


def test_schema_is_a_valid_draft_7_schema(streamlit_python: Path) -> None:
    schema = build(catalog_of(streamlit_python))
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    version = catalog_of(streamlit_python).streamlit_version
    assert schema["title"] == f"Streamlit {version} config.toml"
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    "corpus", params_or_missing([CORPUS] if CORPUS else [], "corpus"), ids=["corpus"]
)
def test_every_corpus_file_check_passes_lints_clean(
    corpus: list[Path], streamlit_python: Path, tmp_path: Path
) -> None:
    catalog = catalog_of(streamlit_python)
    clean = [path for path in corpus if check_passes(path.read_bytes(), catalog)]
    assert len(clean) > len(corpus) // 2, "most of the corpus is clean: the filter is broken"
    schema = build(catalog)
    validator = Draft7Validator(schema)
    for path in clean:
        errors = [e.message for e in validator.iter_errors(tomllib.loads(path.read_text()))]
        assert errors == [], path
    result = lint(schema, clean, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


_TRICKY_BUT_VALID = """\
runner.enforceSerializableSessionState = true
[logger]
level = "DEBUG"
[server]
port = "env:STCONFIG_TEST_PORT"
maxUploadSize = 300
[client]
toolbarMode = "Viewer"
"""
_TRICKY_167 = """\
[client]
showErrorLinks = true
showErrorDetails = "stacktrace"
[server]
xsrfCookieSameSite = "strict"
folderWatchList = ["src", "lib"]
[theme]
chartCategoricalColors = ["#fff", "#000"]
headingFontWeights = [700, 600]
[[theme.fontFaces]]
family = "Inter"
url = "static/Inter.woff2"
weight = 400
[theme.dark.sidebar]
primaryColor = "#f00"
"""

# (id, text, what `check` says on 1.67, on 1.40): the schema must reject the file exactly when
# check finds something (None: a clean file there).
MISTAKES = [
    ("unknown-key", "[server]\nprot = 8501\n", "unknown-key", "unknown-key"),
    ("unknown-section", "[sever]\nport = 8501\n", "unknown-key", "unknown-key"),
    ("top-level-key", "port = 8501\n", "top-level-key", "top-level-key"),
    (
        "string-for-bool",
        '[runner]\nenforceSerializableSessionState = "false"\n',
        "wrong-type",
        "wrong-type",
    ),
    ("string-for-int", '[server]\nport = "abc"\n', "wrong-type", "wrong-type"),
    ("float-for-int", "[server]\nmaxUploadSize = 2.5\n", "wrong-type", "wrong-type"),
    ("scalar-for-list", '[server]\nfolderWatchBlacklist = "src"\n', "wrong-type", "wrong-type"),
    ("not-allowed", '[runner]\nenumCoercion = "nameonly"\n', "not-allowed", "not-allowed"),
    ("not-allowed-any-case", '[logger]\nlevel = "verbose"\n', "not-allowed", "not-allowed"),
    ("not-allowed-type", "[client]\ntoolbarMode = 3\n", "not-allowed", "not-allowed"),
    ("removed-key", "[global]\nlogLevel = 'info'\n", "removed-key", "removed-key"),
    ("removed-section", "[s3]\nbucket = 'b'\n", "removed-key", "removed-key"),
    (
        "theme-section",
        "[theme.sidebar.light]\nprimaryColor = '#fff'\n",
        "theme-section",
        "unknown-key",
    ),
    (
        "theme-nesting",
        "[theme.light.dark]\nprimaryColor = '#fff'\n",
        "theme-section",
        "unknown-key",
    ),
    ("theme-unknown-table", "[theme.foo]\nprimaryColor = '#fff'\n", "unknown-key", "unknown-key"),
    ("theme-sub-section", "[theme.light]\nprimaryColor = '#fff'\n", None, "unknown-key"),
    ("removed-after-1.40", "[mapbox]\ntoken = 'x'\n", "removed-key", None),
]


@pytest.mark.parametrize(
    ("name", "text", "code_167", "code_140"), MISTAKES, ids=[m[0] for m in MISTAKES]
)
def test_schema_rejects_what_check_reports(
    name: str,
    text: str,
    code_167: str | None,
    code_140: str | None,
    streamlit_python: Path,
    tmp_path: Path,
) -> None:
    catalog = catalog_of(streamlit_python)
    code = code_140 if catalog.streamlit_version == "1.40.0" else code_167
    found = check_bytes(text.encode(), Path("config.toml"), catalog, {})
    assert [f.code for f in found] == ([code] if code else [])
    schema = build(catalog)
    errors = list(Draft7Validator(schema).iter_errors(tomllib.loads(text)))
    assert bool(errors) == bool(code), (name, [e.message for e in errors])
    path = tmp_path / "config.toml"
    path.write_text(text)
    result = lint(schema, [path], tmp_path)
    assert result.returncode == (1 if code else 0), result.stdout + result.stderr
    if code:
        assert "config.toml:" in result.stdout + result.stderr  # the error points into the file


def test_schema_accepts_what_streamlit_reads_as_meant(
    streamlit_python: Path, tmp_path: Path
) -> None:
    """Any-case allowed values, an env: reference for a number, dotted keys; on 1.67 also a
    boolean for showErrorLinks, list and table shapes of string-typed theme options, and a
    theme sub-sidebar."""
    catalog = catalog_of(streamlit_python)
    texts = [_TRICKY_BUT_VALID]
    if catalog.streamlit_version != "1.40.0":
        texts.append(_TRICKY_167)
    schema = build(catalog)
    paths = []
    for index, text in enumerate(texts):
        assert check_passes(text.encode(), catalog), text
        assert list(Draft7Validator(schema).iter_errors(tomllib.loads(text))) == []
        paths.append(tmp_path / f"config{index}.toml")
        paths[-1].write_text(text)
    result = lint(schema, paths, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schemas_of_1_67_and_1_40_differ(streamlit_140_python: Path) -> None:
    new = build(catalog_of(Path(sys.executable)))
    old = build(catalog_of(streamlit_140_python))
    assert new != old
    new_theme, old_theme = new["properties"]["theme"], old["properties"]["theme"]
    assert {"light", "dark", "sidebar"} <= set(new_theme["properties"])
    assert set(new_theme["properties"]["light"]["properties"]) >= {"sidebar", "primaryColor"}
    assert not {"light", "dark", "sidebar", "fontFaces"} & set(old_theme["properties"])
    assert "folderWatchList" in new["properties"]["server"]["properties"]
    assert "folderWatchList" not in old["properties"]["server"]["properties"]
    # 1.40 still has mapbox.token; 1.67 names it as removed.
    assert old["properties"]["mapbox"]["properties"]["token"]["type"] == "string"
    token = new["properties"]["mapbox"]["properties"]["token"]
    assert token["not"] == {} and "removed after Streamlit 1.40.0" in token["description"]
    # client.showErrorDetails was a bool in 1.40 and is a string (true/false still read) in 1.67.
    old_details = old["properties"]["client"]["properties"]["showErrorDetails"]
    assert old_details["anyOf"][0] == {"type": "boolean"}
    new_details = new["properties"]["client"]["properties"]["showErrorDetails"]
    assert new_details["type"] == ["string", "boolean"]


def test_option_schema_says_type_default_allowed_and_description() -> None:
    schema = build(catalog_of(Path(sys.executable)))
    server = schema["properties"]["server"]["properties"]
    assert server["port"]["anyOf"] == [{"type": "integer"}, {"$ref": "#/definitions/envRef"}]
    assert server["port"]["default"] == 8501
    assert "Env: STREAMLIT_SERVER_PORT. Flag: --server.port." in server["port"]["description"]
    assert "default" not in server["headless"]  # computed when Streamlit starts
    assert "computed" in server["headless"]["description"]
    assert server["xsrfCookieSameSite"]["anyOf"][0]["anyOf"][0] == {
        "enum": ["lax", "strict", "none"]
    }
    links = schema["properties"]["client"]["properties"]["showErrorLinks"]
    assert links["anyOf"][0] == {"enum": ["auto", "true", "false", True, False]}
    assert "A secret" in server["cookieSecret"]["description"]
    assert "Flag:" not in server["cookieSecret"]["description"]  # Streamlit refuses it as a flag
    assert schema["properties"]["global"]["properties"]["logLevel"]["not"] == {}
    assert (
        "replaced by logger.level"
        in schema["properties"]["global"]["properties"]["logLevel"]["description"]
    )


def test_deprecated_options_are_marked() -> None:
    catalog = catalog_of(Path(sys.executable))
    spec = dataclasses.replace(catalog.options["server.port"], deprecated=True)
    marked = dataclasses.replace(catalog, options={**catalog.options, "server.port": spec})
    port = build(marked)["properties"]["server"]["properties"]["port"]
    assert port["deprecated"] is True
    assert port["description"].startswith("Deprecated.")
    assert "deprecated" not in build(catalog)["properties"]["server"]["properties"]["port"]


# --- the command ------------------------------------------------------------------------------


def test_schema_prints_the_schema_of_the_installed_streamlit() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == build(catalog_of(Path(sys.executable)))
    assert result.stderr == ""


def test_schema_output_writes_the_file_atomically(project: Path) -> None:
    target = project / ".streamlit" / "config.schema.json"
    target.parent.mkdir()
    target.write_text("old")
    result = runner.invoke(app, ["schema", "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text()) == json.loads(runner.invoke(app, ["schema"]).stdout)
    assert target.stat().st_mode & 0o044  # readable by others, like any file the user makes
    assert sorted(p.name for p in target.parent.iterdir()) == ["config.schema.json"]
    assert str(target) in result.stderr


def test_schema_output_into_a_missing_directory_is_exit_3(project: Path) -> None:
    target = project / "nowhere" / "schema.json"
    result = runner.invoke(app, ["schema", "--output", str(target)])
    assert result.exit_code == 3
    assert result.stderr.startswith("stconfig: error: ")
    assert "no directory" in result.stderr
    assert not target.parent.exists()


def test_schema_with_python_follows_that_streamlit(streamlit_140_python: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "stconfig", "schema", "--python", str(streamlit_140_python)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == build(catalog_of(streamlit_140_python))


@pytest.mark.parametrize("route", ["directive", "taplo.toml"])
def test_the_readme_ways_to_point_taplo_at_the_schema(project: Path, route: str) -> None:
    """`#:schema ./config.schema.json` atop the file, or a `.taplo.toml` rule at the root."""
    written = runner.invoke(app, ["schema", "--output", ".streamlit/config.schema.json"])
    assert written.exit_code == 3  # no .streamlit/ yet: nothing is created
    (project / ".streamlit").mkdir()
    written = runner.invoke(app, ["schema", "--output", ".streamlit/config.schema.json"])
    assert written.exit_code == 0, written.stderr
    head = "#:schema ./config.schema.json\n" if route == "directive" else ""
    if route == "taplo.toml":
        (project / ".taplo.toml").write_text(
            '[[rule]]\ninclude = ["**/.streamlit/config.toml"]\n\n'
            '[rule.schema]\npath = ".streamlit/config.schema.json"\n'
        )
    config = project / ".streamlit" / "config.toml"

    def taplo_lint() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(taplo()), "lint", "--colors", "never", ".streamlit/config.toml"],
            capture_output=True,
            text=True,
            cwd=project,
            timeout=60,
            check=False,
        )

    config.write_text(head + "[server]\nport = 8502\n")
    assert check_passes(config.read_bytes(), catalog_of(Path(sys.executable)))
    assert taplo_lint().returncode == 0
    config.write_text(head + "[server]\nprot = 8502\n")
    done = taplo_lint()
    assert done.returncode == 1
    assert "'prot' was unexpected" in done.stdout + done.stderr
