# Single-node Elasticsearch for development and tests (see scripts/es-node.sh).
# Included by the top-level Makefile (`-include mk/*.mk`, or `include mk/es.mk`).
#
#   make es-up        start (idempotent); the URL is the last line printed
#   make es-down      stop and delete the node's data
#   make es-status    running / not running, and the URL
#   make es-url       print the URL
#
# ES_PORT, ES_HEAP and ES_VERSION, when set (make es-up ES_PORT=9201), are passed on as
# ARCHIVE_ES_PORT, ARCHIVE_ES_HEAP and ARCHIVE_ES_VERSION; every other ARCHIVE_ES_*
# variable in the environment reaches the script unchanged.

ES_MK_DIR := $(dir $(lastword $(MAKEFILE_LIST)))
ES_SCRIPT ?= $(ES_MK_DIR)../scripts/es-node.sh
ES_ENV = $(if $(ES_PORT),ARCHIVE_ES_PORT=$(ES_PORT)) \
         $(if $(ES_HEAP),ARCHIVE_ES_HEAP=$(ES_HEAP)) \
         $(if $(ES_VERSION),ARCHIVE_ES_VERSION=$(ES_VERSION))

.PHONY: es-up es-down es-status es-url

es-up:
	@$(ES_ENV) bash $(ES_SCRIPT) up

es-down:
	@$(ES_ENV) bash $(ES_SCRIPT) down

# The script exits 3 when the node is not running; that is an answer, not a failure.
es-status:
	@$(ES_ENV) bash $(ES_SCRIPT) status || test $$? -eq 3

es-url:
	@$(ES_ENV) bash $(ES_SCRIPT) url
