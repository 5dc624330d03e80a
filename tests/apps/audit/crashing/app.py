"""Stores a picklable value, then fails on a module that is not installed."""

import streamlit as st

st.session_state["ready"] = True

import stconfig_missing_module  # noqa: E402, F401
