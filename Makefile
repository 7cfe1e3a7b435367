# Set-up and everyday commands. Each target installs what it needs first,
# so `make site` and `make test` work on a machine that has never seen the
# project (Python 3.10+ with venv; `make test` also installs Debian's
# chromium for the browser tests when it is missing).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: site test serve check bench clean-build browser

site: $(VENV)/.installed
	$(BIN)/wuxi-archive build --seeds seeds --out build
	@echo "Open build/index.html in a browser (no server needed)."

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest

serve: $(VENV)/.installed
	$(BIN)/wuxi-archive serve

check: $(VENV)/.installed
	$(BIN)/wuxi-archive check

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench.py --articles 2000

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[test]'
	touch $@

# Playwright drives Debian's Chromium: its own browser download cannot work
# offline. Installed only when missing; needs root (or sudo) for apt-get.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

clean-build:
	rm -rf build build.staging build.staging.done-* build.previous
