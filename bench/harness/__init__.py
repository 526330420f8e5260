"""The harness: the tools that both the test suite and the benchmarks use to run and drive a real dashboard,
to replay updates and to attack published data.

- server: a real dashboard server as a child process (`DashboardServer`)
- browser: driving it in Chromium with Playwright
- streamlit_client: a headless Streamlit client (a browser tab's websocket, without the browser)
- expected: what a page must show, read from a snapshot with our own SQL, and what a page did show
- plotly_json: Plotly's typed arrays back into plain lists
- updates: valid files that demo members might send next
- viewers: viewers loading pages while a writer loads and publishes files
- attack: the tightest range anyone can derive for every hidden cell of every published version

It imports nothing from tests/ (tests/test_architecture.py checks that bench/ does not).
"""
