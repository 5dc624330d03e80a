"""A value stored only by a callback, which a run without a user never calls."""

import threading

import streamlit as st


def remember() -> None:
    st.session_state["worker"] = threading.Thread(target=print)


st.button("Start", on_click=remember)
