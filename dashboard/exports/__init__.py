"""Statement-ready exports: images with furniture, protected tables, citations, permalinks, packs.

Pure functions from a FigureSpec (and an ExportContext naming the data version,
dates and permalink) to bytes or text; the one Streamlit piece is
dashboard/components/downloads.py. Images go through one long-lived Chromium
(browser.ExportServer), never a new browser per image.
"""
