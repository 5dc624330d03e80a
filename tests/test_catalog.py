"""The option catalog: shipped data equals the installed Streamlit, facts about options, the cache,
the fallback, did-you-mean suggestions and removed keys."""

from __future__ import annotations

import fnmatch
import json
import os
import stat
import subprocess
import sys
from importlib.metadata import version as dist_version
from pathlib import Path

import pytest

from stconfig.catalog import Catalog, introspect, store
from stconfig.catalog.store import load_catalog, shipped_path, shipped_versions
from stconfig.environment import StreamlitInstall
from stconfig.errors import ProbeError, UnknownKeyError

REPO = Path(__file__).resolve().parents[1]
INSTALLED = dist_version("streamlit")


def _install(version: str, python: Path = Path(sys.executable)) -> StreamlitInstall:
    return StreamlitInstall(python=python, version=version, found_via="test")


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs' user cache under tmp_path."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


@pytest.fixture
def nothing_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory holding no catalog, so every version goes through the cache."""
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setattr(store, "DATA_DIR", data)
    return data


@pytest.fixture(scope="module")
def latest() -> Catalog:
    return load_catalog(None)


@pytest.fixture(scope="module")
def st167() -> Catalog:
    return load_catalog(_install("1.67.0"))


# --- the shipped data is what Streamlit says -------------------------------------------------


def test_shipped_data_equals_fresh_introspection(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_catalog.py"), "--output-dir", tmp_path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = tmp_path / f"streamlit-{INSTALLED}.json"
    assert result.stdout.strip() == str(fresh)
    shipped = shipped_path(INSTALLED)
    hint = f"the catalog of Streamlit {INSTALLED} is stale: run scripts/generate_catalog.py"
    assert shipped.is_file(), hint
    assert fresh.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8"), hint


def test_every_shipped_file_is_valid_and_stable() -> None:
    assert shipped_versions(), "no catalog shipped"
    for version in shipped_versions():
        text = shipped_path(version).read_text(encoding="utf-8")
        data = store.validate(json.loads(text))
        assert data["streamlit_version"] == version
        assert text == store.dumps(data)
        # No machine's home or working directory leaks in through a default.
        defaults = json.dumps([spec["default"] for spec in data["options"].values()])
        assert not any(part in defaults for part in ("/home/", "/root/", "/tmp/", "/Users/"))


def test_users_files_and_env_play_no_part_in_introspection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home, project = Path(os.environ["HOME"]), Path.cwd()
    for directory, text in ((home, "this is not toml\n"), (project, "[server]\nport = 1234\n")):
        (directory / ".streamlit").mkdir(exist_ok=True)
        (directory / ".streamlit" / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SERVER_PORT", "4321")
    monkeypatch.setenv("STREAMLIT_LOGGER_LEVEL", "debug")
    data = store.introspect(Path(sys.executable))
    assert data == json.loads(shipped_path(INSTALLED).read_text(encoding="utf-8"))


def test_introspect_and_store_agree_on_the_format() -> None:
    assert introspect.FORMAT == store.FORMAT


def test_generator_reports_a_broken_interpreter(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "generate_catalog.py"),
            "--python",
            tmp_path / "no-python",
            "--output-dir",
            tmp_path / "out",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("generate_catalog: error: cannot run ")
    assert not (tmp_path / "out").exists()


# --- facts about Streamlit 1.67.0 --------------------------------------------------------------


def test_1_67_has_367_options(st167: Catalog) -> None:
    assert st167.origin == "shipped"
    assert st167.streamlit_version == st167.data_version == "1.67.0"
    assert len(st167.options) == 367


def test_enforce_serializable_session_state(st167: Catalog) -> None:
    spec = st167.require("runner.enforceSerializableSessionState")
    assert (spec.type, spec.default, spec.computed) == ("bool", False, False)
    assert spec.env_var == "STREAMLIT_RUNNER_ENFORCE_SERIALIZABLE_SESSION_STATE"
    assert spec.auto_env_var == "STREAMLIT_RUN_RUNNER_ENFORCESERIALIZABLESESSIONSTATE"
    assert spec.flag == "--runner.enforceSerializableSessionState"
    assert not (spec.scriptable or spec.sensitive or spec.multiple or spec.hidden)
    assert spec.description.startswith("Raise an exception after adding unserializable data")


def test_env_var_names_split_camel_case(st167: Catalog) -> None:
    assert st167.require("server.enableCORS").env_var == "STREAMLIT_SERVER_ENABLE_CORS"
    assert st167.require("theme.light.sidebar.primaryColor").env_var == (
        "STREAMLIT_THEME_LIGHT_SIDEBAR_PRIMARY_COLOR"
    )


def test_env_var_fallback_names_every_option_as_streamlit_does(st167: Catalog) -> None:
    """Streamlits without `ConfigOption.env_var` get the name from introspect.py's own rule; it
    must be the one Streamlit's property gives, for every option of 1.67."""
    from stconfig.catalog.introspect import _snake_env_var

    assert all(_snake_env_var(spec.key) == spec.env_var for spec in st167)


def test_sensitive_and_computed_options(st167: Catalog) -> None:
    secret = st167.require("server.cookieSecret")
    assert secret.sensitive and secret.computed and secret.default is None
    assert [s.key for s in st167 if s.sensitive] == ["server.cookieSecret"]
    for key in ("browser.serverPort", "server.headless", "logger.level", "server.address"):
        spec = st167.require(key)
        assert spec.computed and spec.default is None, key
    assert not st167.require("server.port").computed
    assert st167.require("server.port").default == 8501


def test_list_options_and_types(st167: Catalog) -> None:
    allowed_hosts = st167.require("server.allowedHosts")
    assert allowed_hosts.multiple and allowed_hosts.type_label == "list[str]"
    assert allowed_hosts.default == []
    assert st167.require("server.maxUploadSize").type == "int"
    assert st167.require("global.developmentMode").hidden


def test_allowed_values_only_where_streamlit_enforces_them(st167: Catalog) -> None:
    enforced = {s.key: s for s in st167 if s.allowed is not None}
    assert set(enforced) == {
        "server.xsrfCookieSameSite",
        "logger.level",
        "client.toolbarMode",
        "client.showErrorLinks",
        "runner.enumCoercion",
    }
    same_site = enforced["server.xsrfCookieSameSite"]
    assert same_site.allowed == ("lax", "strict", "none")
    assert same_site.allowed_enforced_by == "streamlit/config.py:_check_conflicts"
    assert same_site.allows("Strict") and not same_site.allows("sometimes")
    assert enforced["client.toolbarMode"].allowed == ("auto", "developer", "viewer", "minimal")
    coercion = enforced["runner.enumCoercion"]
    assert coercion.allows("nameOnly") and not coercion.allows("nameonly")
    # Streamlit only warns or falls back for these: no set to enforce.
    for key in ("theme.base", "client.showErrorDetails", "server.fileWatcherType"):
        assert st167.require(key).allowed is None
        assert st167.require(key).allows("anything")


def test_how_1_67_reads_files(st167: Catalog) -> None:
    assert st167.reads_script_config
    assert st167.theme_files
    assert "streamlit.App" in st167.asgi_app_classes and st167.asgi_app_names[0] == "app"
    assert not st167.broken_file_fatal
    assert st167.bom == "skipped"
    assert st167.theme_sections == (
        "theme",
        "theme.dark",
        "theme.dark.sidebar",
        "theme.light",
        "theme.light.sidebar",
        "theme.sidebar",
    )
    assert "runner" in st167.sections and "_test" not in st167.sections


# --- did-you-mean and removed keys ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("runner.enforceSerializableSessionstate", "runner.enforceSerializableSessionState"),
        ("runer.fastReruns", "runner.fastReruns"),
        ("server.enforceSerializableSessionState", "runner.enforceSerializableSessionState"),
        ("server.enablecors", "server.enableCORS"),
    ],
)
def test_unknown_keys_get_a_suggestion(st167: Catalog, typo: str, meant: str) -> None:
    with pytest.raises(UnknownKeyError) as caught:
        st167.require(typo)
    assert caught.value.suggestions[0] == meant
    assert caught.value.hint is not None and repr(meant) in caught.value.hint
    assert caught.value.message == f"unknown option {typo!r}"


def test_nonsense_gets_no_suggestion(st167: Catalog) -> None:
    with pytest.raises(UnknownKeyError) as caught:
        st167.require("zzz.qqq")
    assert caught.value.suggestions == [] and caught.value.hint is None


@pytest.mark.parametrize(
    "key",
    [
        "client.caching",
        "client.displayEnabled",
        "global.logLevel",
        "global.dataFrameSerialization",
        "global.useNode",
        "mapbox.token",
        "runner.installTracer",
        "runner.fixMatplotlib",
        "server.enableArrowTruncation",
        "server.liveSave",
        "deprecation.showPyplotGlobalUse",
        "s3.bucket",
        "ui.hideSidebarNav",
    ],
)
def test_removed_keys(st167: Catalog, key: str) -> None:
    assert st167.is_removed(key)
    with pytest.raises(UnknownKeyError) as caught:
        st167.require(key)
    assert "was removed from Streamlit" in caught.value.message


def test_removed_notes_name_replacements(st167: Catalog) -> None:
    assert st167.removed_note("global.logLevel") == "replaced by logger.level"
    assert st167.removed_note("ui.hideSidebarNav") == "replaced by client.showSidebarNavigation"
    assert st167.removed_note("runner.fastReruns") is None
    assert st167.removed_note("runner.nonsense") is None


def test_no_removed_pattern_matches_a_current_option(st167: Catalog) -> None:
    removed = json.loads((store.DATA_DIR / "removed.json").read_text(encoding="utf-8"))
    assert removed["_source"]
    for pattern in removed["keys"]:
        assert not fnmatch.filter(st167.options, pattern), pattern
    assert not st167.is_removed("global.developmentMode")  # hidden, but still an option


# --- loading: shipped, cache, introspection, fallback ------------------------------------------


def test_no_streamlit_means_the_newest_shipped_catalog(latest: Catalog) -> None:
    assert latest.streamlit_version is None
    assert latest.origin == "shipped"
    assert latest.data_version == shipped_versions()[-1]
    assert latest.fallback_reason is None


def test_loading_shipped_data_imports_neither_streamlit_nor_platformdirs() -> None:
    """The shipped catalog is a JSON read: no Streamlit, no cache lookup, no subprocess (its cost
    is measured by benchmarks/run.py, not asserted here against a wall clock)."""
    code = (
        "import sys\n"
        "from stconfig.catalog.store import load_catalog\n"
        "load_catalog(None)\n"
        "print([m in sys.modules for m in ('streamlit', 'platformdirs', 'subprocess')])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[False, False, False]"


def test_unshipped_version_is_introspected_then_cached(
    cache_home: Path, nothing_shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_catalog(_install(INSTALLED))
    assert first.origin == "introspected"
    assert first.streamlit_version == first.data_version == INSTALLED
    cached = cache_home / "stconfig" / f"catalog-{INSTALLED}.json"
    assert cached.is_file()
    assert [p.name for p in cached.parent.iterdir()] == [cached.name]  # no temp file left

    def no_introspection(python: Path) -> None:
        raise AssertionError("introspected although the cache holds this version")

    monkeypatch.setattr(store, "introspect", no_introspection)
    second = load_catalog(_install(INSTALLED))
    assert second.origin == "cache"
    assert second.options == first.options
    assert second.removed == first.removed


def test_corrupt_cache_is_introspected_again(cache_home: Path, nothing_shipped: Path) -> None:
    cached = cache_home / "stconfig" / f"catalog-{INSTALLED}.json"
    cached.parent.mkdir(parents=True)
    cached.write_text('{"format": 1, "options": ', encoding="utf-8")
    catalog = load_catalog(_install(INSTALLED))
    assert catalog.origin == "introspected"
    assert store.validate(json.loads(cached.read_text(encoding="utf-8")))


def test_cache_for_another_version_is_ignored(cache_home: Path) -> None:
    data = json.loads(shipped_path(INSTALLED).read_text(encoding="utf-8"))
    cached = cache_home / "stconfig" / "catalog-1.2.3.json"
    cached.parent.mkdir(parents=True)
    cached.write_text(store.dumps(data), encoding="utf-8")  # says INSTALLED inside
    catalog = load_catalog(_install("1.2.3"))
    # Not served from the cache: introspection ran, found the mismatch and fell back.
    assert catalog.origin == "shipped-fallback"
    assert catalog.fallback_reason is not None and "not 1.2.3" in catalog.fallback_reason


def test_version_mismatch_falls_back_visibly(cache_home: Path) -> None:
    catalog = load_catalog(_install("1.2.3"))
    assert catalog.origin == "shipped-fallback"
    assert catalog.streamlit_version == "1.2.3"
    assert catalog.data_version == shipped_versions()[-1]
    assert catalog.fallback_reason is not None
    assert f"has Streamlit {INSTALLED}, not 1.2.3" in catalog.fallback_reason
    assert not (cache_home / "stconfig" / "catalog-1.2.3.json").exists()


def test_missing_interpreter_falls_back(cache_home: Path, tmp_path: Path) -> None:
    catalog = load_catalog(_install("1.2.3", tmp_path / "bin" / "python"))
    assert catalog.origin == "shipped-fallback"
    assert catalog.fallback_reason is not None
    assert catalog.fallback_reason.startswith("cannot run ")
    assert len(catalog.options) == len(load_catalog(None).options)


@pytest.mark.skipif(sys.platform == "win32", reason="needs an executable shell script")
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("echo 'not json'", "printed an unexpected option catalog"),
        ("echo '{\"format\": 99}'", "format 99, expected 2"),
        ("echo 'ImportError: No module named streamlit' >&2; exit 1", "No module named streamlit"),
    ],
)
def test_broken_interpreter_falls_back(
    cache_home: Path, tmp_path: Path, body: str, reason: str
) -> None:
    python = tmp_path / "python"
    python.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    catalog = load_catalog(_install("1.2.3", python))
    assert catalog.origin == "shipped-fallback"
    assert catalog.fallback_reason is not None and reason in catalog.fallback_reason


def test_introspection_timeout(tmp_path: Path) -> None:
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\nsleep 5\n", encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(ProbeError, match=r"took more than 0\.2 s"):
        store.introspect(python, timeout=0.2)


# --- a real older Streamlit --------------------------------------------------------------------


@pytest.mark.slow
def test_streamlit_1_40(cache_home: Path, streamlit_140_python: Path) -> None:
    install = _install("1.40.0", streamlit_140_python)
    catalog = load_catalog(install)
    assert catalog.origin == "introspected"
    assert catalog.data_version == "1.40.0"
    assert len(catalog.options) == 55
    assert catalog.theme_sections == ("theme",)
    assert not catalog.reads_script_config
    assert catalog.broken_file_fatal
    assert catalog.bom == "fatal"
    assert not catalog.theme_files and catalog.asgi_app_classes == ()
    spec = catalog.require("runner.enforceSerializableSessionState")
    assert (spec.type, spec.default) == ("bool", False)
    assert catalog.get("server.folderWatchList") is None
    assert catalog.get("server.xsrfCookieSameSite") is None
    # Still an option in 1.40.0, so not reported as removed there.
    assert catalog.get("mapbox.token") is not None and not catalog.is_removed("mapbox.token")
    secrets_files = catalog.require("secrets.files")  # built from HOME and the cwd at import
    assert secrets_files.computed and secrets_files.default is None
    assert load_catalog(install).origin == "cache"
