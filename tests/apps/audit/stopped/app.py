"""Two values that do not pickle and one that does, then st.stop(): Streamlit's own check never
runs after st.stop(), and names only one key when it does."""

import threading

import streamlit as st

st.session_state["count"] = 1
st.session_state["lock"] = threading.Lock()
st.text_input("Name", key="name")
st.session_state.callback = lambda: None
st.stop()
st.session_state["after_stop"] = threading.Lock()
