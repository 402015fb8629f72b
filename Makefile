# Quick start: `make publish` (build the example site into output/), `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: publish check serve test clean browser-deps

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

# The browser tests drive Debian's chromium (never a downloaded browser) with
# CJK fonts; installed here when missing (root, or sudo without a password).
browser-deps:  ## install chromium and fonts-noto-cjk (Debian) if missing
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  echo "安装浏览器测试依赖：chromium fonts-noto-cjk"; \
	  $$SUDO apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	fi

test: $(VENV)/.dev browser-deps  ## the whole test suite (browser tests included)
	$(PY) -m pytest

clean:
	rm -rf output .output.slots .pytest_cache test-artifacts
