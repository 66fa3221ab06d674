# coopstats: two commands for a newcomer (see README.md).
#   make notebooks   create .venv if needed, execute every notebook, write the report to build/,
#                    check it in headless Chromium (screenshots in build/screenshots/);
#                    FIGURES=png,svg,pdf also writes vector figures
#   make test        create .venv if needed, install the package with its test extras, run ruff + pytest
#   make bench       print the speed ratios (benchmarks/README.md)
#   make lab         JupyterLab on notebooks/ with the project's environment  (installs the dev extra)
# Everything installs into ./.venv; nothing is installed globally.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXTRAS ?= test
STAMP  := $(VENV)/.installed-$(EXTRAS)
# files per figure under build/figures: png always; add svg and/or pdf for print,
# e.g. make notebooks FIGURES=png,svg,pdf (each vector format costs as much as the PNG)
FIGURES ?= png

.PHONY: notebooks test venv lint lab validate bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	@rm -f $(VENV)/.installed-*
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check coopstats tests benchmarks notebooks

test: $(STAMP)
	@bash scripts/ensure-cjk-font.sh
	@bash scripts/ensure-chromium.sh
	$(BIN)/ruff check coopstats tests benchmarks notebooks
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	@bash scripts/ensure-cjk-font.sh
	@bash scripts/ensure-chromium.sh
	$(BIN)/coopstats notebooks --notebooks notebooks --out build -j 3 --figure-formats $(FIGURES)
	$(BIN)/coopstats check-report build --optional

lab:
	$(MAKE) EXTRAS=dev venv
	$(BIN)/jupyter lab notebooks

# speed, measured side by side in one run and printed as ratios (see benchmarks/README.md)
bench: $(STAMP)
	@bash scripts/ensure-cjk-font.sh
	cd benchmarks && ../$(BIN)/python bench_import.py
	cd benchmarks && ../$(BIN)/python bench_scaling.py
	cd benchmarks && ../$(BIN)/python bench_notebooks.py

validate: $(STAMP)
	$(BIN)/coopstats validate

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis
