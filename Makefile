# Quick start: `make publish` (build the example site into output/), `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: publish check serve test clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

publish: $(VENV)/.runtime  ## build data/ + content/ into output/
	$(PY) publish.py
	@echo "预览：make serve，然后在浏览器打开 http://127.0.0.1:$(PORT)/"

check: $(VENV)/.runtime  ## validate data/ only
	$(PY) publish.py check

serve:  ## preview output/ on 127.0.0.1
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory output

test: $(VENV)/.dev  ## the whole test suite
	$(PY) -m pytest

clean:
	rm -rf output .output.slots .pytest_cache
