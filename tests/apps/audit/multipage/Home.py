"""A pages/ multipage app: every page imports a module beside this main script."""

import streamlit as st
import utils

st.session_state["greeting"] = utils.greeting()
