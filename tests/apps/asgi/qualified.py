import streamlit

web = streamlit.starlette.App("dashboard.py")
