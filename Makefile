# Quick start: `make publish` (build the example site into output/), `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

# make deploy (docs/deploy.md): the web server and the site's folder there. Set them
# here, on the command line (make deploy DEPLOY_HOST=… DEPLOY_PATH=…) or in deploy.mk.
DEPLOY_HOST ?=
DEPLOY_PATH ?=
DEPLOY_SSH  ?= ssh
DEPLOY_KEEP ?= 5
DEPLOY_SITE ?= output
-include deploy.mk

.PHONY: publish check serve test clean test-deps deploy

$(VENV)/.runtime: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# The plugin itself (pyproject.toml), editable: pelican.plugins.gongshi is this repository's pelican/plugins/gongshi.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e . --config-settings editable_mode=compat
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
# CJK fonts, the deploy tests rsync; installed here when missing (root, or sudo
# without a password).
test-deps:  ## install chromium, fonts-noto-cjk and rsync (Debian) if missing
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 || ! command -v rsync >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  echo "安装测试依赖：chromium fonts-noto-cjk rsync"; \
	  $$SUDO apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk rsync >/dev/null; \
	fi

test: $(VENV)/.dev test-deps  ## the whole test suite (browser and deploy tests included)
	$(PY) -m pytest

deploy:  ## copy the built site to DEPLOY_HOST:DEPLOY_PATH and switch it there atomically
	@DEPLOY_SSH="$(DEPLOY_SSH)" DEPLOY_KEEP="$(DEPLOY_KEEP)" sh deploy.sh "$(DEPLOY_SITE)" "$(DEPLOY_HOST)" "$(DEPLOY_PATH)"

clean:
	rm -rf output .output.slots .pytest_cache test-artifacts
