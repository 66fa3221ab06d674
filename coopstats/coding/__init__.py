"""The coding tools: turning an article into facts and checking two codings agree.

``extract`` (a first draft of an article's facts), ``period_words`` (the period words an
article uses) and ``agree`` (agreement between two independent codings). Imports the data
layer (:mod:`coopstats.dataset`) only.
"""
