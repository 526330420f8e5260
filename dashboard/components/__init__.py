"""Streamlit building blocks shared by pages."""
