# Set-up and everyday commands. Each target installs what it needs first,
# so `make site` and `make test` work on a machine that has never seen the
# project (Python 3.10+ with venv; `make test` also installs Debian's
# chromium and a CJK font for the browser tests when they are missing).
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
# offline. A CJK font comes with it: without one every Chinese character is a
# box and the browser tests would pass on a page no one can read
# (tests/test_browser.py checks the glyphs). Installed only when missing; needs
# root (or sudo) for apt-get, which waits up to DPKG_WAIT seconds for another
# apt or dpkg run (unattended upgrades) to let go of the lock.
DPKG_WAIT ?= 600
APT_GET = apt-get -o DPkg::Lock::Timeout=$(DPKG_WAIT)
BROWSER_PACKAGES = chromium fonts-noto-cjk
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO $(APT_GET) update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

clean-build:
	rm -rf build build.staging build.staging.done-* build.previous
