import streamlit as st
import utils

st.session_state["chat_lock"] = utils.make_lock()
st.button("Send")
