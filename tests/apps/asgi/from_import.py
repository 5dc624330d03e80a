from streamlit.starlette import App

server = App(script_path="dashboard.py")
