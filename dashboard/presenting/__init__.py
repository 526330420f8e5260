"""Presenting: protected frames to FigureSpecs - figures, tables, notes, colours and number formats."""
