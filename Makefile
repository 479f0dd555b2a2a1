# Downhill: the two commands are `make serve` (set up, then serve the book at
# http://127.0.0.1:8000) and `make test` (set up, then run every test).
# Set-up is incremental: with nothing changed it takes a second or two.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test test-gpu setup browser bench clean run zensical offline offline-site pdf

# --dirty: a save re-renders only the pages it changes (and those whose snippets'
# runs changed), in a second or two; Material keeps the whole search index.
serve: setup
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

# The book to take away, in dist/ (the Pages workflow publishes both beside the site, and a later `make build`
# places them in site/downloads/): the offline edition, the site built to be read from disk, zipped (unzip it, open
# downhill/index.html); and the PDF, the offline site's pages in reading order, printed by Chromium (bookbuild.pdf).
# `make offline pdf` builds the site once for both.
OFFLINE_SITE := build/offline/site
offline-site: setup
	DOWNHILL_OFFLINE=true $(BIN)/mkdocs build --strict --site-dir $(OFFLINE_SITE)

offline: offline-site
	$(BIN)/python -m bookbuild zip --site $(OFFLINE_SITE) --out dist/downhill-offline.zip

pdf: offline-site browser
	$(BIN)/python -m bookbuild pdf --site $(OFFLINE_SITE) --out dist/downhill.pdf

# The build without a site engine: run the snippets, write the manifest and notebooks.
run: setup
	$(BIN)/python -m bookbuild run

# The book under Zensical, MkDocs' successor, which has no plugin API: bookbuild
# stages the docs with every directive expanded, Zensical builds them into
# build/staged/site, and the site check confirms every chapter shows its code,
# outputs and values.
ZVENV := .venv-zensical
zensical: setup $(ZVENV)/.installed
	$(BIN)/python -m bookbuild stage
	cd build/staged && PYTHONPATH=$(CURDIR) $(CURDIR)/$(ZVENV)/bin/zensical build --strict
	$(BIN)/python -m bookbuild.sitecheck build/staged/site

$(ZVENV)/.installed: requirements-zensical.txt
	test -x $(ZVENV)/bin/python || $(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	touch $@

test: setup browser
	env -u DOWNHILL_TEST_CACHE $(BIN)/python -m pytest

test-gpu: setup
	$(BIN)/python -m pytest -m cuda -rs

bench: setup
	$(BIN)/python -m lessonlib.book.bench optim

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests and the PDF, and poppler-utils (pdftotext) for the PDF's tests; installed
# where we can (as root with apt-get), otherwise the tests say loudly that they did not run.
browser:
	@sh tools/ensure-chromium.sh
	@sh tools/ensure-poppler.sh

clean:
	rm -rf site .cache build dist
