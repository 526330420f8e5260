"""Figures: pure functions from DataFrames to plotly Figures (no Streamlit calls)."""
