# motcua: two commands. `make run` starts the demo; `make test` runs every test. Each sets up what it
# needs first (Debian packages as root, .venv); on a fresh Debian only `make` itself comes before:
# `apt-get install -y make`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: setup run lint test bench hub-demo clean deb

# Debian's packages first (a fresh machine has no python3-venv), then the venv: a venv left without
# pip by an earlier failed attempt is made again.
$(STAMP): pyproject.toml
	bash scripts/system-deps.sh build
	test -x $(VENV)/bin/pip || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[hub,test]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

# The demo drives Chromium (its PDFs) and espeak-ng (the hall display's voice): `run`'s packages.
# DEMO_ARGS: the demo's own options, e.g. `make run DEMO_ARGS='--port 8090'`.
run: $(STAMP)
	bash scripts/system-deps.sh run
	$(VENV)/bin/motcua demo $(DEMO_ARGS)

# ruff (pycodestyle errors and warnings, pyflakes, import order, bugbear, pyupgrade) on every Python
# file, then mypy on appliance/ and district/ (strict on appliance/domain/ and appliance/services/);
# mypy keeps its cache in .mypy_cache, so a second run takes seconds. Settings: pyproject.toml.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: $(STAMP) lint
	bash scripts/system-deps.sh test
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

hub-demo: $(STAMP)
	$(VENV)/bin/motcua-hub demo

clean:
	rm -rf $(VENV) var build dist *.egg-info tests/artifacts .mypy_cache .ruff_cache
