# Two commands for a fresh machine (Debian, Python 3.12+ found below), nothing installed by hand:
#   make run    set everything up, then open the app        (make run ARGS=case.crmo)
#   make test   set everything up, then run the whole test suite
#   make lock   refresh requirements.lock (pinned, hashed dependencies) from pyproject.toml
# Python 3.12 or newer: PySide6 6.12 releases references to None/True that it does not own, which
# is harmless only where those objects are immortal (3.12+); on 3.11 the window aborts. The first
# interpreter found that is new enough is used (pyenv installs included); override with PYTHON=...
PYENV_BIN := $(shell command -v pyenv 2>/dev/null)
PYENV_DIR := $(or $(PYENV_ROOT),$(if $(PYENV_BIN),$(realpath $(dir $(PYENV_BIN))..)),$(HOME)/.pyenv)
PY_CANDIDATES := python3.13 python3.12 $(sort $(wildcard $(PYENV_DIR)/versions/3.1[2-9]*/bin/python3)) python3
PYTHON ?= $(firstword $(foreach p,$(PY_CANDIDATES),$(shell $(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $(p))))
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# System libraries Qt's xcb (X11) platform needs on a Debian/Ubuntu desktop; the offscreen
# platform used by the tests needs none of them.
QT_XCB_DEBS := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3

.PHONY: run test bench installer qt-libs clean lock

# Every dependency (runtime, test, build: PyInstaller, and the editable install's setuptools) comes
# from requirements.lock, pinned with hashes; the project itself is then added without dependencies
# and without build isolation, so nothing unpinned is ever downloaded. `pip check` fails the set-up
# when pyproject.toml asks for something the lock lacks: run `make lock` then.
LOCK := requirements.lock
# The lock is compiled for the platform the app is built and tested on (PySide6 wheels are
# platform-specific): CPython 3.12, Linux x86-64, glibc 2.34 or newer.
LOCK_PYTHON   ?= 3.12
LOCK_PLATFORM ?= x86_64-manylinux_2_34

$(STAMP): pyproject.toml $(LOCK)
	@[ -n "$(PYTHON)" ] || { echo "CRMO Consult needs Python 3.12 or newer (none found; set PYTHON=/path/to/python3.12)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $(STAMP)

# Refresh the lock to the newest releases pyproject.toml allows (uv comes from the lock itself).
lock: $(STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml requirements/tools.in --extra test --extra build \
	  --generate-hashes --upgrade --python-version $(LOCK_PYTHON) --python-platform $(LOCK_PLATFORM) \
	  --custom-compile-command "make lock" --quiet -o $(LOCK)

qt-libs:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=$$(for p in $(QT_XCB_DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	    else echo "Qt needs these system packages for a desktop window: sudo apt-get install $$missing"; fi; \
	  fi; \
	fi

run: $(STAMP) qt-libs
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ "$$(uname)" = Linux ]; then \
	  echo "No display found: rendering the window offscreen to out/window.png instead."; \
	  mkdir -p out; QT_QPA_PLATFORM=offscreen $(PY) -m desktop_app $(or $(ARGS),resources/examples/typical-multifocal.crmo) --screenshot out/window.png && echo "Wrote out/window.png"; \
	else $(PY) -m desktop_app $(ARGS); fi

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/run_benchmarks.py $(BENCH_ARGS)

installer: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean build_installer.spec
	QT_QPA_PLATFORM=offscreen dist/crmo-consult/crmo-consult-debug --self-test

clean:
	rm -rf $(VENV) build dist out .pytest_cache
