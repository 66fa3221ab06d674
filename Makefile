# coopstats: two commands for a newcomer (see README.md).
#   make notebooks   create .venv if needed (only what the main job needs: the notebooks
#                    extra), execute every notebook, write the report to build/; notebooks
#                    whose inputs are unchanged come from the cache (build/.cache);
#                    FIGURES=png,svg,pdf also writes vector figures; FORCE=1 reruns all
#   make test        create .venv if needed, install the package with its test extras, run
#                    ruff + pytest, one worker per core (which also checks the report in
#                    headless Chromium); the fast loop while working on the code:
#                    .venv/bin/python -m pytest -n auto -m "not slow"
#   make check-report  the report in build/ in headless Chromium (screenshots in build/screenshots/)
#   make bench       print the speed ratios (benchmarks/README.md)
#   make lab         JupyterLab on notebooks/ with the project's environment  (installs the dev extra)
# Everything installs into ./.venv, with uv when it can be had (scripts/install.sh), else
# pip; nothing is installed globally.

PYTHON ?= python3
# let Python keep the bytecode it compiles (in .venv and __pycache__/), even where
# PYTHONDONTWRITEBYTECODE is set (as on our machines): uv does not compile at install as pip
# does, so without this every run would compile the libraries' modules again (≈ 15 s)
export PYTHONDONTWRITEBYTECODE :=
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS ?= test
# files per figure under build/figures: png always; add svg and/or pdf for print,
# e.g. make notebooks FIGURES=png,svg,pdf (each vector format adds drawing, see README)
FIGURES ?= png

.PHONY: notebooks check-report test venv lint lab validate bench clean
.PRECIOUS: $(VENV)/.installed-%

venv: $(VENV)/.installed-$(EXTRAS)

# one stamp per extra installed (notebooks, test, dev …); pyproject.toml changes reinstall
$(VENV)/.installed-%: pyproject.toml scripts/install.sh
	@bash scripts/install.sh $(PYTHON) $(VENV) $*
	@touch $@

lint: $(VENV)/.installed-test
	$(BIN)/ruff check coopstats tests benchmarks notebooks

test: $(VENV)/.installed-test
	@bash scripts/ensure-cjk-font.sh
	@bash scripts/ensure-chromium.sh
	$(BIN)/ruff check coopstats tests benchmarks notebooks
	$(BIN)/python -m pytest -n auto

# the report's check in headless Chromium is part of make test, and on demand (make check-report)
notebooks: $(VENV)/.installed-notebooks
	@bash scripts/ensure-cjk-font.sh
	$(BIN)/coopstats notebooks --notebooks notebooks --out build -j 3 --figure-formats $(FIGURES) $(if $(FORCE),--force)

# the report in headless Chromium (Playwright driving the system's Chromium), on demand
check-report: $(VENV)/.installed-browser
	@bash scripts/ensure-chromium.sh
	$(BIN)/coopstats check-report build

lab:
	$(MAKE) EXTRAS=dev venv
	$(BIN)/jupyter lab notebooks

# speed, measured side by side in one run and printed as ratios (see benchmarks/README.md)
bench: $(VENV)/.installed-test
	@bash scripts/ensure-cjk-font.sh
	cd benchmarks && ../$(BIN)/python bench_import.py
	cd benchmarks && ../$(BIN)/python bench_scaling.py
	cd benchmarks && ../$(BIN)/python bench_notebooks.py
	cd benchmarks && ../$(BIN)/python bench_first_run.py
	cd benchmarks && ../$(BIN)/python bench_tests.py

validate: $(VENV)/.installed-notebooks
	$(BIN)/coopstats validate

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis
