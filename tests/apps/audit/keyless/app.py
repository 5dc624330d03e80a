"""Widgets without a key whose values do not pickle: Streamlit's check names them by their
generated ids ($$ID-...-None), which `filtered_state` leaves out."""

import streamlit as st


def shout(text: str) -> str:
    return text.upper()


# A keyless selectbox stores the chosen option itself: here a lambda.
st.selectbox("Transform", [lambda text: text, shout], format_func=lambda f: f.__name__)
st.button("Save")
