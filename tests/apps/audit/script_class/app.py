"""An instance of a class defined in the app script: it pickles on the first run and fails on
every later one, where `__main__.Cart` is a new class."""

import streamlit as st


class Cart:
    def __init__(self) -> None:
        self.items: list[str] = []


if "cart" not in st.session_state:
    st.session_state.cart = Cart()
