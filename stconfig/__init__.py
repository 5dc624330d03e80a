"""stconfig: see, edit and prove Streamlit's effective configuration."""

__version__ = "0.1.0"
