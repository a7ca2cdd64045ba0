# The two commands a newcomer needs: `make run` and `make test`. `make setup` is the
# idempotent install step both call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup native run serve test lint format lock clean

setup: $(STAMP) native

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,native]'
	touch $(STAMP)

# The entity extractor compiled by mypyc into build/native (scripts/build_native.py); used only
# while it matches the sources. Without a C compiler the pure-Python modules run, as before.
native: $(STAMP)
	@$(BIN)/python scripts/build_native.py || \
	  echo "native build failed: the pure-Python entity modules run instead (slower import)"

run: setup
	$(BIN)/archive import seeds/
	$(BIN)/archive serve --host $(HOST) --port $(PORT)

# Everything the tests need: the Python packages, a real Elasticsearch node (started when not
# running; mk/es.mk), Debian's Chromium and the npm files the browser tests serve (mk/browser.mk).
# Inside `make test` a missing node or browser fails the run instead of skipping tests.
test: setup browser-deps
	$(BIN)/ruff check archive tests benchmarks scripts
	$(BIN)/ruff format --check archive tests benchmarks scripts
	@out="$$(bash scripts/es-node.sh up)" && url="$$(printf '%s\n' "$$out" | tail -n 1)" && \
	  echo "Elasticsearch for the tests: $$url" && \
	  ARCHIVE_ES_URL="$$url" ARCHIVE_REQUIRE_ES=1 ARCHIVE_REQUIRE_BROWSER=1 $(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check archive tests benchmarks scripts
	$(BIN)/ruff format --check archive tests benchmarks scripts

format: setup
	$(BIN)/ruff format archive tests benchmarks scripts

# Refresh the lock of every transitive version from a clean environment.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[test,train,native]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build

-include mk/*.mk
