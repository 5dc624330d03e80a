"""The probe app: records what Streamlit resolved for the option, then stores an unpicklable value.

`streamlit run` executes this file from a temporary directory; it writes `probe-result.json` next
to itself. It then finishes normally, so that Streamlit's own serializability check (which runs
only after a script that did not stop early) decides whether the run raises.
"""

import json
import threading
from pathlib import Path

import streamlit as st
from streamlit import config

KEY = "runner.enforceSerializableSessionState"

try:
    import streamlit.delta_generator as _delta_generator

    # The first element of a process makes Streamlit ask inspect.stack() whether it runs in a
    # REPL, to warn about a bare `python app.py` (a quarter of a second; never true under
    # `streamlit run`). The probe's one element is the exception: it need not ask.
    if hasattr(_delta_generator, "_use_warning_has_been_displayed"):
        _delta_generator._use_warning_has_been_displayed = True
except ImportError:
    pass

value = config.get_option(KEY)
result = {
    "streamlit_version": st.__version__,
    # Streamlit stores whatever the TOML held (a string "false" stays a string): keep its JSON form.
    "value": value if isinstance(value, (bool, int, float, str)) or value is None else repr(value),
    "where_defined": config.get_where_defined(KEY),
}
(Path(__file__).resolve().parent / "probe-result.json").write_text(json.dumps(result))

# A lock cannot be pickled in any Python version.
st.session_state["stconfig_probe_unpicklable"] = threading.Lock()
