"""Run an app once with AppTest, enforcement on, and report every Session State value that
`pickle.dumps` rejects, as JSON on stdout.

A standalone script for the target interpreter (no stconfig imports; Streamlit >= 1.28, AppTest):

    python audit_runner.py APP.py TIMEOUT

Streamlit's own check stops at the first failing key and never runs after `st.stop()`; this one
pickles every key after the run, however it ended. Output: {"streamlit_version", "unserializable":
[{"key", "type", "error"}], "app_exception": {"type", "message"} | null, "error": null | str}.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import threading
from typing import Any

_CHECK_ERROR = "UnserializableSessionStateError"


def _qualified_type(value: Any) -> str:
    kind = type(value)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _unpicklable(state: Any) -> list[dict[str, str]]:
    found = []
    for key, value in sorted(state.filtered_state.items(), key=lambda item: str(item[0])):
        try:
            pickle.dumps(value)
        except Exception as error:  # pickle raises many types: TypeError, PicklingError, ...
            found.append(
                {
                    "key": str(key),
                    "type": _qualified_type(value),
                    "error": f"{type(error).__name__}: {error}",
                }
            )
    return found


def _app_exception(test: Any) -> dict[str, str] | None:
    for element in test.exception:
        kind = element.proto.type
        # Enforcement is on so that the app runs as it would under it; that check's own error
        # repeats the first of the keys listed here.
        if kind.rsplit(".", 1)[-1] == _CHECK_ERROR:
            continue
        return {"type": kind, "message": element.proto.message}
    return None


def _audit(app: str, timeout: float) -> dict[str, Any]:
    import streamlit
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    result: dict[str, Any] = {
        "streamlit_version": streamlit.__version__,
        "unserializable": [],
        "app_exception": None,
        "error": None,
    }
    config.set_option("runner.enforceSerializableSessionState", True)
    # `streamlit run` puts the script's directory first on sys.path, so its sibling modules import.
    sys.path.insert(0, os.path.dirname(app))
    # AppTest waits for a script thread that overran its timeout (1.67 joins it): a watchdog
    # reports the timeout and ends the process instead. AppTest's own limit is only a backstop.
    test = AppTest.from_file(app, default_timeout=timeout + 5)
    overran = {**result, "error": f"the app's run did not finish within {timeout:g} s"}
    watchdog = threading.Timer(timeout, _emit_and_exit, args=(overran,))
    watchdog.daemon = True
    watchdog.start()
    try:
        test.run()
    except RuntimeError as error:  # AppTest's timeout
        result["error"] = str(error)
        return result
    watchdog.cancel()
    # The SafeSessionState: `_session_state` since ~1.50, `session_state` before.
    safe = getattr(test, "_session_state", None) or test.session_state
    result["unserializable"] = _unpicklable(safe._state)
    result["app_exception"] = _app_exception(test)
    return result


def _emit_and_exit(result: dict[str, Any]) -> None:
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    # Never wait for the app's script thread, which may still be running.
    os._exit(0)


def main() -> None:
    app, timeout = os.path.abspath(sys.argv[1]), float(sys.argv[2])
    _emit_and_exit(_audit(app, timeout))


if __name__ == "__main__":
    main()
