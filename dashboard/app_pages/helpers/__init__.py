"""Helpers beside their pages: pure functions one page uses (no Streamlit calls)."""
