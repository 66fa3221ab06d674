"""The data layer: the tables, their schema and validation, and where they are.

``schema`` (every table and column, with ``kinds``: what a kind of cell means), ``csvfile``
(reading a CSV file strictly), ``numerals`` (the parser of Chinese figures), ``locations``
(where the data and the articles are), ``evidence`` and ``article_text`` (quotes checked
against the articles), ``scan`` (the figure-like strings of an article, for the completeness
audit), ``checks`` (the validator), ``loaders`` (``load_all`` and the loaders), ``codebook``
and ``datapackage`` (the schema as prose and as a Frictionless descriptor), ``parameters``
(notebook parameters checked against the data) and ``names`` (how pairings are labelled).

Imports only the standard library, pandas and numpy: nothing from the layers above
(``coding``, ``analysis``, ``figures``, ``report``).
"""
