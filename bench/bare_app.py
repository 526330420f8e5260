"""The baseline of bench_pages: a bare Streamlit app with one plotly chart the size of a trend chart.

?w= sets the chart's width in pixels, so that it matches the dashboard's chart on
the same screen (the benchmark measures that width first).
"""

import plotly.graph_objects as go
import streamlit as st

YEARS = [str(year) for year in range(2016, 2026)]
VALUES = [198, 201, 236, 276, 294, 314, 349, 387, 348, 363]

st.set_page_config(layout="wide")
width = int(st.query_params.get("w", "820"))
kind = st.segmented_control("Chart", ["Lines", "Stacked bars"], default="Lines", key="g")
trace = go.Bar(x=YEARS, y=VALUES) if kind == "Stacked bars" else go.Scatter(x=YEARS, y=VALUES, mode="lines+markers")
st.plotly_chart(go.Figure(trace).update_layout(height=440), width=width)
