"""A components-v2 component without a key (Streamlit 1.5x+): Streamlit keeps a value it cannot
pickle for it, so with enforcement on every run of this page raises."""

import streamlit as st

hello = st.components.v2.component("hello", html="<p>hello</p>")
hello()
