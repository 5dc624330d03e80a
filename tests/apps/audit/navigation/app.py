"""An st.navigation app: a file page in a subfolder, importing a module beside this script, and
a page that is a function."""

import streamlit as st


def settings() -> None:
    st.session_state["settings"] = (n for n in range(3))


page = st.navigation(
    [
        st.Page("views/home.py", title="Home", default=True),
        st.Page("views/reports.py", title="Reports"),
        st.Page(settings, title="Settings"),
    ]
)
st.session_state["router"] = "ok"
page.run()
