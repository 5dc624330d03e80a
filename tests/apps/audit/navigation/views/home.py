import streamlit as st

st.session_state["home"] = 1
