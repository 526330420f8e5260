"""Tilannekuva dashboard: Streamlit pages over the current published snapshot."""
