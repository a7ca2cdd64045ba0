# The real-browser tests' dependencies: Debian's Chromium and the npm packages the tests
# serve to it (htmx, the same file the page pins from the CDN; axe-core). Idempotent and fast
# when done: chromium is installed only when missing, npm ci runs only when the lock changed.
CHROMIUM     ?= /usr/bin/chromium
BROWSER_DIR  := tests/browser
BROWSER_NPM  := $(BROWSER_DIR)/node_modules/.package-lock.json

.PHONY: browser-deps browser-chromium browser-npm test-browser

browser-deps: browser-chromium browser-npm

browser-chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
	  exit 0; \
	elif [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else \
	  echo "browser-deps: $(CHROMIUM) is missing and installing it needs root (or sudo):"; \
	  echo "  apt-get install -y --no-install-recommends chromium"; \
	  echo "  the browser tests skip without it (and fail when ARCHIVE_REQUIRE_BROWSER=1)."; \
	  exit 0; \
	fi; \
	if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then \
	  echo "browser-deps: apt-get update"; \
	  $$SUDO apt-get update -qq || exit 1; \
	fi; \
	echo "browser-deps: installing Debian's chromium"; \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium \
	  || { echo "browser-deps: could not install chromium"; exit 1; }

browser-npm: $(BROWSER_NPM)

$(BROWSER_NPM): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "browser-deps: npm is missing (apt-get install -y npm); the browser tests need"; \
	  echo "  $(BROWSER_DIR)/node_modules (htmx.org, axe-core) and will skip or fail without it."; \
	  exit 0; }; \
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.package-lock.json

# Just the browser suite (screenshots land in test-artifacts/screenshots/).
test-browser: setup browser-deps
	ARCHIVE_REQUIRE_BROWSER=1 $(BIN)/pytest -q tests/browser
