"""The notebook report: run every notebook in a fresh kernel and write ``build/``
(:mod:`.run`, :mod:`.kernels`, :mod:`.pages`), and check it in headless Chromium
(:mod:`.check`).

Imported only by the ``coopstats notebooks`` and ``coopstats check-report`` commands (and
their tests and benchmarks): ``import coopstats`` and the loaders never load it, nor
nbclient, nbconvert or Playwright.
"""
