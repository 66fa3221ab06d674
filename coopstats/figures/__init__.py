"""The figures: style, charts, maps and the files they are saved to.

``plotting`` (one style, CJK fonts, labels, saving), ``charts`` (the notebooks' charts),
``maps`` and ``placement`` (the map of the pairings and where its labels go),
``_figure_files`` (writing a figure's files) and ``geo/`` (the outlines the map draws).
Imports the data and analysis layers, never the report.
"""
