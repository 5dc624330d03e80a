import streamlit as st

mine: st.App = st.App("dashboard.py")
