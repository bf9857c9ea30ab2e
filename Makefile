# motcua: two commands. `make run` starts the demo; `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test bench hub-demo clean deb

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[hub,test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(VENV)/bin/motcua demo

test: $(STAMP)
	bash scripts/system-deps.sh
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

hub-demo: $(STAMP)
	$(VENV)/bin/motcua-hub demo

clean:
	rm -rf $(VENV) var build dist *.egg-info tests/artifacts
