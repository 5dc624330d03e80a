import streamlit as st

app = st.App("dashboard.py")
