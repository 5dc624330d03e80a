import streamlit as st
import utils

st.session_state["settings_file"] = open(utils.__file__)  # noqa: SIM115
