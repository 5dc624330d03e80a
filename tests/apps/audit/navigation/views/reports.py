import helpers
import streamlit as st

st.session_state["reports_lock"] = helpers.LOCK
