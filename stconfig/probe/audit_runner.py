"""Run an app with AppTest, enforcement on, the way `streamlit run` serves it: the main script and
every page it declares, optionally driven like a user; record every Session State value that
`pickle.dumps` rejects, with where it was stored and where inside it the culprit sits.

A standalone script for the target interpreter (no stconfig imports; Streamlit >= 1.28, AppTest):

    python audit_runner.py REPORT.json OPTIONS_JSON

OPTIONS_JSON: {"app", "timeout", "explore", "max_runs", "pages": [absolute paths], "secrets": path
or null, "query": [[key, value], ...], "state": {key: value}, "progress": bool}. The report
(written to REPORT.json, also when a run overruns its timeout) holds the findings, the runs with
what each did and raised, the pages, the widgets seen and the number of keys checked; audit.py
turns it into messages. Progress lines go to stderr, prefixed `PROGRESS_PREFIX`.

Streamlit's own check (`SessionState._check_serializable`) pickles `state[k]` for every `k in
state` once a run finishes without raising, and stops at the first failure. This script hooks that
very call and checks every key there, all failures kept; it also checks after runs that end early
(`st.stop()`, the app's exception), where Streamlit's check never runs.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import pickle
import re
import sys
import threading
import types
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from typing import Any

PROGRESS_PREFIX = "stconfig-audit-progress "
_CHECK_ERROR = "UnserializableSessionStateError"
# AppTest keeps each widget's format_func under its own key; a real session has no such key, so
# neither this audit nor the comparison with Streamlit's check counts it.
_TESTING_KEY = "$$STREAMLIT_INTERNAL_KEY_TESTING"
_CHECKED_KEY = re.compile(r"of '(.*)' in st\.session_state", re.S)
_MAX_DEPTH = 25
_HERE = os.path.abspath(__file__)
_STDLIB = os.path.dirname(os.__file__)
# Widgets a user drives in --explore, by AppTest's element type.
_OPTION_WIDGETS = ("radio", "selectbox", "button_group")
_DRIVEN = ("button", "checkbox", "toggle", "chat_input", *_OPTION_WIDGETS)
_CHAT_MESSAGE = "hello"


def _qualified_type(value: Any) -> str:
    return _qualified(type(value))


def _qualified(kind: Any) -> str:
    module = getattr(kind, "__module__", None)
    name = str(getattr(kind, "__qualname__", None) or getattr(kind, "__name__", repr(kind)))
    return name if module in (None, "builtins") else f"{module}.{name}"


def _pickles(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # pickle raises many types: TypeError, PicklingError, AttributeError...
        return False
    return True


def _kind(value: Any) -> str:
    if isinstance(value, types.ModuleType):
        return "module"
    if isinstance(value, type):
        return "class"
    if isinstance(value, types.GeneratorType | types.CoroutineType | types.AsyncGeneratorType):
        return "generator"
    if callable(value) and isinstance(
        value,
        types.FunctionType | types.MethodType | types.BuiltinFunctionType | functools.partial,
    ):
        return "function"
    return "instance"


def _describe(value: Any) -> dict[str, str]:
    kind = _kind(value)
    name = _qualified(value) if kind in ("class", "function") else ""
    if kind == "module":
        name = value.__name__
    return {"type": _qualified_type(value), "kind": kind, "name": name}


def _children(value: Any) -> Iterator[tuple[str, Any]]:
    """The parts pickle descends into, each with its step in a path (`['k']`, `[0]`, `.attr`)."""
    if _kind(value) != "instance":
        return
    if isinstance(value, Mapping):
        for key, item in list(value.items()):
            yield f"[{key!r}]", item
        return
    if isinstance(value, list | tuple | deque):
        for index, item in enumerate(value):
            yield f"[{index}]", item
        return
    if isinstance(value, set | frozenset):
        for item in value:
            yield f"{{{item!r}}}", item
        return
    attributes: dict[str, Any] = {}
    with contextlib.suppress(TypeError):  # no __dict__
        attributes.update(vars(value))
    for klass in type(value).__mro__:
        slots = klass.__dict__.get("__slots__", ())
        for slot in (slots,) if isinstance(slots, str) else slots:
            if slot not in attributes and hasattr(value, slot):
                attributes[slot] = getattr(value, slot)
    for name, item in attributes.items():
        yield f".{name}", item


def _culprit(value: Any) -> tuple[str, list[dict[str, str]]]:
    """The path from `value` to the first part that does not pickle while all of its own parts
    do, and what lies along it (value first, culprit last)."""
    path, chain, seen = "", [_describe(value)], {id(value)}
    for _ in range(_MAX_DEPTH):
        for step, child in _children(value):
            if id(child) not in seen and not _pickles(child):
                seen.add(id(child))
                path, value = path + step, child
                chain.append(_describe(child))
                break
        else:
            break
    return path, chain


def _frame_is_ours(filename: str, streamlit_dir: str) -> bool:
    return filename.startswith((streamlit_dir, _STDLIB, "<")) or filename == _HERE


class _Sites:
    """Where the app stored each value: the innermost frame outside Streamlit and the stdlib."""

    def __init__(self, streamlit_dir: str) -> None:
        self._streamlit_dir = streamlit_dir + os.sep
        self.stored: dict[str, dict[str, Any]] = {}  # user key -> site
        self.widgets: dict[str, dict[str, Any]] = {}  # widget id -> site

    def site(self, frame: types.FrameType | None, via: str) -> dict[str, Any] | None:
        while frame is not None:
            filename = frame.f_code.co_filename
            if not _frame_is_ours(filename, self._streamlit_dir):
                return {"file": filename, "line": frame.f_lineno, "via": via}
            name = frame.f_code.co_name
            if name == "__setattr__" and "session_state_proxy" in filename:
                via = "attribute"
            elif name in ("setdefault", "update") and "_collections_abc" in filename:
                via = name
            frame = frame.f_back
        return None


class Audit:
    def __init__(self, options: dict[str, Any]) -> None:
        import streamlit

        self.options = options
        self.app: str = options["app"]
        self.timeout: float = float(options["timeout"])
        self.max_runs: int = int(options["max_runs"])
        self.sites = _Sites(os.path.dirname(os.path.abspath(streamlit.__file__)))
        self.lock = threading.RLock()
        self.findings: dict[str, dict[str, Any]] = {}
        self.keys_checked: set[str] = set()
        self.runs: list[dict[str, Any]] = []
        self.widgets: dict[str, dict[str, str]] = {}
        self.pages: dict[str, dict[str, Any]] = {}
        self.unknown_pages: list[str] = []
        self.untried = 0
        self.stopped: str | None = None
        self.report: dict[str, Any] = {
            "streamlit_version": streamlit.__version__,
            "error": None,
        }
        self.pages_manager: Any = None
        self.checks_this_run = 0

    # --- hooks into Streamlit -----------------------------------------------------------

    def install_hooks(self) -> None:
        from streamlit.runtime import pages_manager
        from streamlit.runtime.scriptrunner.script_cache import ScriptCache
        from streamlit.runtime.state import session_state
        from streamlit.testing.v1 import element_tree

        # Any: these are patched in place, signatures and all.
        SessionState: Any = session_state.SessionState
        PagesManager: Any = pages_manager.PagesManager
        audit = self
        setitem = SessionState.__setitem__
        register_widget = SessionState.register_widget
        check = SessionState.maybe_check_serializable
        pages_init = PagesManager.__init__

        def recording_setitem(state: Any, key: str, value: Any) -> None:
            site = audit.sites.site(sys._getframe(1), "item")
            setitem(state, key, value)
            with audit.lock:
                if site is not None:
                    audit.sites.stored[key] = site
                else:
                    audit.sites.stored.pop(key, None)

        def recording_register_widget(state: Any, metadata: Any, user_key: Any) -> Any:
            site = audit.sites.site(sys._getframe(1), "widget")
            if site is not None:
                audit.sites.widgets[metadata.id] = site
            return register_widget(state, metadata, user_key)

        def checking_maybe_check_serializable(state: Any) -> None:
            audit.check(state)
            audit.checks_this_run += 1
            check(state)

        def remembering_init(manager: Any, *args: Any, **kwargs: Any) -> None:
            pages_init(manager, *args, **kwargs)
            # AppTest before ~1.4x builds its PagesManager without a script cache, so the file
            # pages of st.navigation run as empty scripts; `streamlit run` always has one.
            if getattr(manager, "_script_cache", "absent") is None:
                manager._script_cache = ScriptCache()
            audit.pages_manager = manager

        widget_state = element_tree.get_widget_state

        def tolerant_widget_state(node: Any) -> Any:
            # AppTest 1.40 cannot serialize an unset single-select segmented control or pills
            # (it iterates None), which breaks every later run of the page; its state is its
            # default then, so leaving it out changes nothing.
            try:
                return widget_state(node)
            except TypeError:
                return None

        element_tree.get_widget_state = tolerant_widget_state
        SessionState.__setitem__ = recording_setitem
        SessionState.register_widget = recording_register_widget
        SessionState.maybe_check_serializable = checking_maybe_check_serializable
        PagesManager.__init__ = remembering_init

    # --- the check ------------------------------------------------------------------------

    def check(self, state: Any) -> None:
        """What `SessionState._check_serializable` does, every failing key kept."""
        with self.lock:
            for key in list(state):
                if key == _TESTING_KEY:
                    continue
                try:
                    value = state[key]
                except KeyError:
                    continue
                self.keys_checked.add(key)
                if key in self.findings:
                    continue
                try:
                    pickle.dumps(value)
                except Exception as error:
                    self.record(state, key, value, f"{type(error).__name__}: {error}")

    def record(self, state: Any, key: str, value: Any, error: str) -> None:
        user_key = state._key_id_mapper.id_key_mapping.get(key)
        is_widget = key.startswith("$$ID-")
        path, chain = _culprit(value)
        site = self.sites.widgets.get(key) if is_widget else None
        if site is None:
            site = self.sites.stored.get(user_key or key)
        self.findings[key] = {
            "streamlit_key": key,
            "key": user_key or key,
            "widget_id": key if is_widget else None,
            "type": _qualified_type(value),
            "error": error,
            "path": path,
            "chain": chain,
            "set_at": site,
            "run": len(self.runs) - 1,
        }

    # --- runs ---------------------------------------------------------------------------

    def run(
        self, test: Any, page: str | None, action: dict[str, Any], drive: Callable[[], Any]
    ) -> bool:
        """One script run: `drive()` starts it. False when the audit must stop."""
        record: dict[str, Any] = {
            "page": page,
            "action": action,
            "finished": False,
            "exception": None,
            "streamlit_check": None,
        }
        with self.lock:
            self.runs.append(record)
        self.progress(record)
        self.checks_this_run = 0
        watchdog = threading.Timer(self.timeout, self.overran, args=(record,))
        watchdog.daemon = True
        watchdog.start()
        try:
            drive()
        except Exception as error:  # AppTest's own failure (its timeout, a bad widget value...)
            watchdog.cancel()
            self.stopped = f"AppTest failed: {type(error).__name__}: {error}"
            record["exception"] = {"type": "AppTest", "message": self.stopped}
            return False
        watchdog.cancel()
        state = self.state(test)
        if self.checks_this_run == 0:
            self.check(state)  # the run ended early: st.stop() or the app's exception
        record["page"] = self.current_page()
        self.collect_widgets(test)
        for element in test.exception:
            kind, message = str(element.proto.type), str(element.proto.message)
            if kind.rsplit(".", 1)[-1] == _CHECK_ERROR:
                record["streamlit_check"] = self.cross_check(state, message)
            elif record["exception"] is None:
                record["exception"] = {"type": kind, "message": message}
        record["finished"] = record["exception"] is None
        return True

    def cross_check(self, state: Any, message: str) -> str | None:
        """The key Streamlit's own check raised on; a finding for it, should the audit lack one."""
        match = _CHECKED_KEY.search(message)
        if match is None:
            return None
        key = match.group(1)
        with self.lock:
            if key != _TESTING_KEY and key not in self.findings:
                value = state[key] if key in set(state) else None
                self.record(state, key, value, f"{_CHECK_ERROR}: {message}")
        return key

    def overran(self, record: dict[str, Any]) -> None:
        with contextlib.suppress(Exception):  # the page the script started on, if it did
            record["page"] = self.current_page() or record["page"]
        record["exception"] = {
            "type": "timeout",
            "message": f"the run did not finish within {self.timeout:g} s",
        }
        self.stopped = record["exception"]["message"]
        self.emit()
        # The app's script thread cannot be stopped; never wait for it.
        os._exit(0)

    @staticmethod
    def state(test: Any) -> Any:
        # The SafeSessionState: `_session_state` since ~1.50, `session_state` before.
        safe = getattr(test, "_session_state", None) or test.session_state
        return safe._state

    def current_page(self) -> str | None:
        manager = self.pages_manager
        if manager is None:
            return None
        page_hash = str(manager.current_page_script_hash)
        self.pages_from_manager()
        return page_hash

    def pages_from_manager(self) -> None:
        for page_hash, info in self.pages_manager.get_pages().items():
            if page_hash not in self.pages:
                self.pages[page_hash] = {
                    "hash": page_hash,
                    "name": str(info.get("page_name") or "")
                    or os.path.splitext(os.path.basename(str(info.get("script_path"))))[0],
                    "path": str(info.get("script_path") or ""),
                }

    def collect_widgets(self, test: Any) -> None:
        # Every element with an id holds state: widgets, and components AppTest does not know.
        for node in test._tree:
            element_id = getattr(node, "id", None)
            if isinstance(element_id, str) and element_id.startswith("$$ID-"):
                self.widgets[element_id] = {
                    "type": _widget_type(node),
                    "label": _widget_label(node),
                }

    def progress(self, record: dict[str, Any]) -> None:
        if not self.options.get("progress"):
            return
        page = self.pages.get(record["page"] or "", {}).get("name")
        line = {"runs": len(self.runs), "max_runs": self.max_runs, "page": page}
        sys.stderr.write(PROGRESS_PREFIX + json.dumps({**line, "action": record["action"]}) + "\n")
        sys.stderr.flush()

    def budget_left(self) -> bool:
        return len(self.runs) < self.max_runs

    # --- the plan: every page, then (--explore) a rerun and each interaction per page --------

    def audit(self) -> None:
        from streamlit import config
        from streamlit.testing.v1 import AppTest

        config.set_option("runner.enforceSerializableSessionState", True)
        details = config._config_options_template["client.showErrorDetails"]
        # "full" since the option took words (1.4x); a bool before.
        config.set_option("client.showErrorDetails", True if details.type is bool else "full")
        if self.options.get("secrets"):
            config.set_option("secrets.files", [self.options["secrets"]])
        # `streamlit run` puts the main script's directory first on sys.path, for every page.
        sys.path.insert(0, os.path.dirname(self.app))
        self.install_hooks()
        # AppTest's own limit is only a backstop: the watchdog reports the overrun first.
        test = AppTest.from_file(self.app, default_timeout=self.timeout + 5)
        for key, value in self.options.get("state", {}).items():
            test.session_state[key] = value
        query: dict[str, Any] = {}
        for key, value in self.options.get("query", []):
            query.setdefault(key, []).append(value)
        test.query_params = {k: v[0] if len(v) == 1 else v for k, v in query.items()}

        if not self.run(test, None, {"kind": "arrive"}, test.run):
            return
        entry = self.runs[0]["page"]
        if self.pages_manager is not None:
            self.pages_from_manager()
        order = self.page_order(entry)
        for page in order:
            if page == entry:
                continue
            if not self.budget_left():
                self.untried += 1
                continue
            if not self.visit(test, page, {"kind": "arrive"}):
                return
        if not self.options.get("explore"):
            return
        for page in order:
            if not self.explore(test, page):
                return

    def page_order(self, entry: str | None) -> list[str | None]:
        """The entry page first, then every page Streamlit registered (only those named by
        --page, when given), in Streamlit's order."""
        wanted = [os.path.realpath(p) for p in self.options.get("pages", [])]
        by_path = {
            os.path.realpath(info["path"]): page_hash
            for page_hash, info in self.pages.items()
            if info["path"]
        }
        self.unknown_pages = [p for p in wanted if p not in by_path]
        pages: list[str | None] = [entry]
        for page_hash, info in self.pages.items():
            if page_hash == entry:
                continue
            if wanted and os.path.realpath(info["path"] or "\0") not in wanted:
                continue
            pages.append(page_hash)
        return pages

    def visit(self, test: Any, page: str | None, action: dict[str, Any]) -> bool:
        def go() -> Any:
            if page is not None:
                test._page_hash = page
            return test.run()

        return self.run(test, page, action, go)

    def explore(self, test: Any, page: str | None) -> bool:
        if not self.budget_left():
            self.untried += 1
            return True
        if not self.visit(test, page, {"kind": "rerun"}):
            return False
        done: set[tuple[str, str]] = set()
        queue = _actions(test, done)
        while queue:
            action = queue.popleft()
            if (action["id"], action["option"]) in done:
                continue
            if not self.budget_left():
                self.untried += len(queue) + 1
                return True
            done.add((action["id"], action["option"]))
            widget = next((w for w in _widgets(test) if w.id == action["id"]), None)
            if widget is None or self.runs[-1]["page"] != page:
                # The last run left the page or dropped the widget: arrive again first.
                if not self.budget_left():
                    self.untried += len(queue) + 1
                    return True
                if not self.visit(test, page, {"kind": "rerun"}):
                    return False
                widget = next((w for w in _widgets(test) if w.id == action["id"]), None)
                if widget is None or not self.budget_left():
                    continue
            public = {k: v for k, v in action.items() if k != "id"}
            if not self.run(test, page, public, functools.partial(_perform, test, widget, action)):
                return False
            queue.extend(a for a in _actions(test, done) if a not in queue)
        return True

    # --- the report -------------------------------------------------------------------

    def emit(self) -> None:
        with self.lock:
            report = {
                **self.report,
                "findings": list(self.findings.values()),
                "runs": self.runs,
                "keys_checked": len(self.keys_checked),
                "pages": list(self.pages.values()),
                "widgets": self.widgets,
                "unknown_pages": self.unknown_pages,
                "untried": self.untried,
                "stopped": self.stopped,
            }
            path = self.options["report"]
            with open(path + ".part", "w", encoding="utf-8") as handle:
                json.dump(report, handle, default=repr)
            os.replace(path + ".part", path)


def _widgets(test: Any) -> list[Any]:
    from streamlit.testing.v1.element_tree import Widget

    return [node for node in test._tree if isinstance(node, Widget)]


def _widget_type(widget: Any) -> str:
    if widget.type == "button_group":
        return "pills" if widget.proto.style == 1 else "segmented_control"
    if widget.type == "button" and getattr(widget.proto, "is_form_submitter", False):
        return "form_submit_button"
    if widget.type == "bidi_component":
        return "components-v2"
    return str(widget.type)


def _widget_label(widget: Any) -> str:
    proto = widget.proto
    for field in ("label", "placeholder", "component_name"):
        text = getattr(widget, field, None) or getattr(proto, field, None)
        if text:
            return str(text)
    return ""


def _actions(test: Any, done: set[tuple[str, str]]) -> deque[dict[str, Any]]:
    """What a user can do with the widgets on screen, in page order, not yet done."""
    found: deque[dict[str, Any]] = deque()
    for widget in _widgets(test):
        if widget.type not in _DRIVEN or getattr(widget.proto, "disabled", False):
            continue
        base = {"id": widget.id, "widget": _widget_type(widget), "label": _widget_label(widget)}
        if widget.type == "button":
            found.append({**base, "kind": "click", "option": ""})
        elif widget.type in ("checkbox", "toggle"):
            found.append({**base, "kind": "uncheck" if widget.value else "check", "option": ""})
        elif widget.type == "chat_input":
            found.append({**base, "kind": "send", "option": _CHAT_MESSAGE})
        else:
            current = _current_options(widget)
            found.extend(
                {**base, "kind": "choose", "option": option}
                for option in _options(widget)
                if option not in current
            )
    return deque(a for a in found if (a["id"], a["option"]) not in done)


def _options(widget: Any) -> list[str]:
    """The options as the user sees them (1.40's pills and segmented control keep protos)."""
    return [o if isinstance(o, str) else str(getattr(o, "content", o)) for o in widget.options]


def _current_options(widget: Any) -> set[str]:
    try:
        state = widget._widget_state
    except Exception:  # a value AppTest cannot format: nothing counts as chosen
        return set()
    field = state.WhichOneof("value")
    if field == "string_value":
        return {state.string_value}
    if field == "string_array_value":
        return set(state.string_array_value.data)
    options = _options(widget)
    if field == "int_value":
        return {options[state.int_value]} if 0 <= state.int_value < len(options) else set()
    if field == "int_array_value":
        return {options[i] for i in state.int_array_value.data if 0 <= i < len(options)}
    return set()


def _perform(test: Any, widget: Any, action: dict[str, Any]) -> Any:
    kind = action["kind"]
    if kind == "click":
        return widget.click().run()
    if kind in ("check", "uncheck"):
        return widget.set_value(kind == "check").run()
    if kind == "send":
        return widget.set_value(action["option"]).run()
    return _choose(test, widget, action["option"])


def _choose(test: Any, widget: Any, option: str) -> Any:
    """Choose one option as the browser would send it: AppTest's own setters want the option's
    value, which only the app's format_func knows; the widget state carries what the user saw,
    as a string (1.4x+) or an index (older), and Streamlit's deserializer maps it back."""
    states = test._tree.get_widget_states()
    state = next((s for s in states.widgets if s.id == widget.id), None)
    if state is None:
        state = states.widgets.add()
        state.id = widget.id
    metadata = Audit.state(test)._new_widget_state.widget_metadata.get(widget.id)
    field = getattr(metadata, "value_type", None) or state.WhichOneof("value")
    index = _options(widget).index(option)
    if field == "int_value":
        state.int_value = index
    elif field == "int_array_value":
        state.int_array_value.data[:] = [index]
    elif field == "string_array_value":
        state.string_array_value.data[:] = [option]
    else:
        state.string_value = option
    return test._run(states)


def main() -> None:
    report_path, options = sys.argv[1], json.loads(sys.argv[2])
    options["report"] = report_path
    audit = Audit(options)
    try:
        audit.audit()
    except Exception as error:  # the runner's own failure: say so instead of a traceback
        audit.report["error"] = f"{type(error).__name__}: {error}"
    audit.emit()
    sys.stdout.flush()
    sys.stderr.flush()
    # Never wait for threads the app may have left running.
    os._exit(0)


if __name__ == "__main__":
    main()
