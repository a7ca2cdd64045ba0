# Benchmarks (issue 7): `make bench` runs the standard set in minutes: import (with its floors),
# in-process query latency and HTTP load on the embedded engine, plus the Elasticsearch import
# and query/HTTP runs when a node answers at ARCHIVE_ES_URL (`make es-up` starts one).
# `make bench-scale` adds the generated 31k/100k/300k corpus on both engines (long).
# Options pass through BENCH_ARGS, e.g. `make bench BENCH_ARGS="--limit 3000 --runs 3"`.
# Results: benchmarks/results/<name>-<timestamp>.json and latest.json; see benchmarks/README.md.
# SaudiNewsNet comes from ../shared (ARCHIVE_SHARED); without it the targets skip, saying why.

ARCHIVE_SHARED ?= $(abspath ../shared)
BENCH_CORPUS   := $(ARCHIVE_SHARED)/datasets/saudinewsnet
BENCH_ARGS     ?=

.PHONY: bench bench-scale bench-profile

bench: setup
	@if [ ! -d "$(BENCH_CORPUS)" ]; then \
	  echo "bench: skipped: $(BENCH_CORPUS) is absent (the shared SaudiNewsNet corpus; set ARCHIVE_SHARED)"; \
	else \
	  ARCHIVE_SHARED="$(ARCHIVE_SHARED)" $(BIN)/python -m benchmarks.bench $(BENCH_ARGS); \
	fi

bench-scale: setup
	@if [ ! -d "$(BENCH_CORPUS)" ]; then \
	  echo "bench-scale: skipped: $(BENCH_CORPUS) is absent (the shared SaudiNewsNet corpus; set ARCHIVE_SHARED)"; \
	else \
	  ARCHIVE_SHARED="$(ARCHIVE_SHARED)" $(BIN)/python -m benchmarks.bench --scale $(BENCH_ARGS); \
	fi

bench-profile: setup
	@if [ ! -d "$(BENCH_CORPUS)" ]; then \
	  echo "bench-profile: skipped: $(BENCH_CORPUS) is absent (the shared SaudiNewsNet corpus; set ARCHIVE_SHARED)"; \
	else \
	  ARCHIVE_SHARED="$(ARCHIVE_SHARED)" $(BIN)/python -m benchmarks.bench --profile $(BENCH_ARGS); \
	fi
