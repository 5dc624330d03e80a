"""What to do about a Session State value that does not pickle, told from the objects on the path
to the culprit (the value first, the culprit last), for the cases real apps run into.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

STREAMLIT_INTERNAL_PREFIX = "$$STREAMLIT_INTERNAL_KEY_"
# The module names Streamlit runs app scripts as: `__main__` (pages too, since 1.4x) and
# `__page__` (st.navigation file pages in older releases).
SCRIPT_MODULES = ("__main__", "__page__")

_CONNECTION_MODULES = frozenset(
    {
        "socket",
        "ssl",
        "sqlite3",
        "http",
        "urllib3",
        "requests",
        "httpx",
        "httpcore",
        "aiohttp",
        "sqlalchemy",
        "psycopg",
        "psycopg2",
        "pymysql",
        "mysql",
        "pymongo",
        "motor",
        "redis",
        "duckdb",
        "snowflake",
        "boto3",
        "botocore",
        "google",
        "openai",
        "anthropic",
        "grpc",
    }
)
_CONNECTION_NAMES = ("Client", "Connection", "Session", "Engine", "Cursor", "Pool", "Socket")
_THREADING_MODULES = frozenset({"_thread", "threading", "multiprocessing", "queue", "asyncio"})
_FILE_TYPES = frozenset(
    {
        "_io.TextIOWrapper",
        "_io.BufferedReader",
        "_io.BufferedWriter",
        "_io.BufferedRandom",
        "_io.FileIO",
        "tempfile._TemporaryFileWrapper",
        "tempfile.SpooledTemporaryFile",
    }
)
_ITERATOR_TYPES = frozenset({"map", "filter", "zip", "enumerate", "reversed", "range_iterator"})

HINT_STREAMLIT_OWN = (
    "Streamlit's own state, not the app's: every st.components.v2 component keeps a value "
    "Streamlit itself cannot pickle (a class local to a function), keyed or not, so no change "
    "to the app makes it pass; keep enforcement off while the app uses components v2"
)
HINT_STREAMLIT_INTERNAL = (
    "Streamlit's own state, not the app's: nothing in the app stored it; please report it to "
    "Streamlit with the Streamlit version"
)
HINT_LAMBDA = (
    "lambdas and local functions do not pickle: store the data the function needs, or a "
    "function defined at the top of an imported module"
)
HINT_SCRIPT_DEFINED = (
    "{name} is defined in the app script, which Streamlit runs as a new module on every run and "
    "page, so pickle cannot find it again: move it into a module and import it"
)
HINT_CONNECTION = (
    "connections and clients do not belong in Session State: create them in a function "
    "decorated with @st.cache_resource (or use st.connection) and call it where needed"
)
HINT_THREADING = (
    "locks, threads and events do not pickle: keep them out of Session State (share one "
    "through @st.cache_resource), or give the class holding it __getstate__/__setstate__"
)
HINT_FILE = "open files do not pickle: store the path or the bytes read from it"
HINT_ITERATOR = "generators and iterators do not pickle: store list(...) of what they yield"
HINT_MODULE = "modules do not pickle: import the module where it is used, store only its name"


@dataclass(frozen=True)
class PathPart:
    """One object on the path from the stored value to the culprit."""

    type: str  # the qualified type name
    kind: str  # "instance", "function", "class", "module" or "generator"
    name: str  # the qualified name of a function or class, the name of a module; else ""


def _module(qualified: str) -> str:
    return qualified.split(".", 1)[0] if "." in qualified else "builtins"


def _script_defined(part: PathPart) -> str | None:
    """The qualified name of what the app script defined, for a class or function of it or an
    instance of such a class."""
    for name in (part.name, part.type):
        if name and _module(name) in SCRIPT_MODULES:
            return name
    return None


def hint_for(
    chain: Sequence[PathPart], error: str, *, key: str, widget_type: str | None
) -> str | None:
    """The advice for one finding, or None for a case without a known remedy."""
    if widget_type == "components-v2" or any(
        p.type.startswith("streamlit.components.v2") for p in chain
    ):
        return HINT_STREAMLIT_OWN
    if key.startswith(STREAMLIT_INTERNAL_PREFIX):
        return HINT_STREAMLIT_INTERNAL
    culprit = chain[-1] if chain else None
    if (
        culprit is not None
        and culprit.kind == "function"
        and ("<lambda>" in culprit.name or "<locals>" in culprit.name)
    ):
        return HINT_LAMBDA
    if culprit is None:
        return None
    script_defined = _script_defined(culprit)
    if script_defined is not None or "not the same object as" in error:
        name = f"`{script_defined}`" if script_defined else "a class or function"
        return HINT_SCRIPT_DEFINED.format(name=name)
    if any(_is_connection(p) for p in chain):
        return HINT_CONNECTION
    if _module(culprit.type) in _THREADING_MODULES or culprit.type.startswith("concurrent.futures"):
        return HINT_THREADING
    if culprit.type in _FILE_TYPES:
        return HINT_FILE
    if (
        culprit.kind == "generator"
        or culprit.type in _ITERATOR_TYPES
        or culprit.type.endswith("iterator")
        or _module(culprit.type) == "itertools"
    ):
        return HINT_ITERATOR
    if culprit.kind == "module":
        return HINT_MODULE
    return None


def _is_connection(part: PathPart) -> bool:
    if part.kind != "instance" or _module(part.type) in _THREADING_MODULES:
        return False
    if part.type.startswith("streamlit.connections"):
        return True
    if _module(part.type) in _CONNECTION_MODULES:
        return True
    return part.type.rsplit(".", 1)[-1].endswith(_CONNECTION_NAMES)
