"""A lock deep inside a value, stored through setdefault."""

import resources
import streamlit as st

st.session_state.setdefault("services", {"db": resources.Service(), "retries": 3})
