import streamlit as st

first = st.App("a.py")
streamlit_app = st.App("b.py")
