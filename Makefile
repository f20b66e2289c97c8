# zonemap — two commands: `make run` serves the map, `make test` passes the whole suite.
SHELL := /bin/bash
VENV  ?= .venv
BIN   := $(VENV)/bin
PORT  ?= 8000
export PORT

.PHONY: run test setup setup-test venv load check clean

run: setup load           ## set up, build the SpatiaLite database from data/, serve http://127.0.0.1:$(PORT)
	$(BIN)/zonemap serve

test: setup-test venv     ## set up, then the suite on SpatiaLite, on a throwaway PostGIS, and in Chromium
	bash scripts/test.sh

setup:
	bash scripts/system-deps.sh run
	$(MAKE) venv

setup-test:
	bash scripts/system-deps.sh test

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $$(bash scripts/python-for-venv.sh) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@$(BIN)/python -c 'import sqlite3,sys; sys.exit(0 if hasattr(sqlite3.connect(":memory:"),"enable_load_extension") else 1)' \
	  || $(BIN)/python -m pip install -q -e '.[test,sqlite-ext]'
	touch $@

load: venv
	$(BIN)/zonemap load

check: venv
	$(BIN)/zonemap check

clean:
	rm -rf $(VENV) var *.egg-info
