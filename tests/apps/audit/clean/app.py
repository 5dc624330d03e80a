"""Everything it stores pickles, whatever the user does."""

import streamlit as st

st.session_state.setdefault("rows", [{"a": 1}])
st.number_input("Size", key="size")
if st.button("Add"):
    st.session_state.rows.append({"a": len(st.session_state.rows) + 1})
st.checkbox("Details", key="details")
st.radio("View", ["table", "chart"], key="view")
st.selectbox("Sort", ["name", "date"])
with st.form("search"):
    st.text_input("Query", key="query")
    st.form_submit_button("Search")
if prompt := st.chat_input("Ask"):
    st.session_state.setdefault("history", []).append(prompt)
