# vanban — every task goes through this file.
#   make serve   install, index the bundled corpus if needed, start the web UI
#   make test    install everything the tests need and run the whole suite
#   make test-fast  the inner loop: all but the browser and `slow` tests (under a minute)

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
INDEX   ?= $(or $(VANBAN_INDEX),var/index)
HOST    ?= 127.0.0.1
PORT    ?= 8000
CHROMIUM := /usr/bin/chromium
SHARED  ?= ../shared

.PHONY: all install serve index test test-fast lint fmt gold bench load browser-deps clean

all: test lint

$(STAMP): setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(BIN)/vanban index --index $(INDEX)

serve: $(STAMP)
	$(BIN)/vanban serve --host $(HOST) --port $(PORT) --index $(INDEX)

# Chromium for the real-browser tests comes from Debian's packages.
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

lint: $(STAMP)
	$(BIN)/ruff check indexer web tests bench
	$(BIN)/ruff format --check indexer web tests bench
	$(BIN)/mypy indexer web

fmt: $(STAMP)
	$(BIN)/ruff format indexer web tests bench
	$(BIN)/ruff check --fix indexer web tests bench

gold: $(STAMP)
	$(BIN)/python -m bench.gold --shared $(SHARED)

bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

load: $(STAMP)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var build dist *.egg-info test-artifacts .pytest_cache .mypy_cache .ruff_cache
