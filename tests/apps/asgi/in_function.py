import streamlit as st


def make():
    inner = st.App("dashboard.py")
    inner.state["made"] = True
    return inner
