"""An app that needs a secret and a query parameter to run, and a login flag to reach the
branch that stores a client."""

import socket

import streamlit as st

token = st.secrets["token"]
mode = st.query_params["mode"]
st.session_state["mode"] = mode
if st.session_state.get("logged_in") is True:
    st.session_state["client"] = socket.socket()
