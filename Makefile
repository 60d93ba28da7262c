# Minsheng Ledger — everyday commands. `make serve` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# Material 9.8 prints a banner on every `mkdocs` command (its end of life, Zensical, ProperDocs); it says
# nothing about our site. content/about/dependencies.md says where the project stands on each.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: help venv validate schema site pages canaries recover-site serve draft review bench-draft test test-fast lint bench bench-search lock clean

help:
	@echo "make serve     set up .venv, validate data, build and serve http://127.0.0.1:8000 (PORT=… for another port)"
	@echo "make test      run the code checks and all tests (unit, golden, build, browser)"
	@echo "make validate  check data/ and print every problem as file:line:col"
	@echo "make site      build the site into site/ (strict; invalid data stops the build; SHARDS=N: in N parts of cities at once)"
	@echo "make pages     write the docs tree any mkdocs.yml builder can build into build/pages/ (see content/about/dependencies.md)"
	@echo "make canaries  build build/pages/ with Zensical and ProperDocs too (their sites: build/canary-*/)"
	@echo "make bench     benchmark load/generate/build at growing data sizes"
	@echo "make bench-search   search recall, precision, speed and bytes in Chromium (SIZES=300 VERBOSE=1)"
	@echo "make draft CITY=qingdao YEAR=2024 FROM=list.txt [URL=https://…]   draft data/<city>/<year>.yml from an official text, page, PDF, .docx or table (URL= alone: downloaded)"
	@echo "make review CITY=qingdao YEAR=2024   a page showing each item beside its source passage, what is left to decide marked"
	@echo "make bench-draft   decisions left and fields differing from the hand-made data, per seed document (CONTRIBUTING.md)"

$(STAMP): requirements.txt pyproject.toml
	@echo "Setting up $(VENV) with the pinned packages (first run, or after requirements change)…"
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --editable .
	@touch $(STAMP)

venv: $(STAMP)

validate: $(STAMP)
	@$(BIN)/python -m generator validate

schema: $(STAMP)
	$(BIN)/python -m generator schema --out schema

# Build into a fresh folder and swap it in only on success: a failing build leaves site/ intact.
# The swap ignores Ctrl-C (it takes milliseconds), and a swap cut short anyway (power, kill -9)
# is repaired first thing on the next run: site/ is never left missing. One build at a time:
# a second `make site` waits for the first (flock on .site.lock) instead of swapping under it.
RECOVER_SITE = if [ ! -d site ] && [ -d site.old ]; then mv site.old site && echo "site/: put back the previous site (an earlier make site was interrupted)"; fi
site: recover-site validate
	@touch .site.lock 2>/dev/null || { echo "Cannot write in $(CURDIR) (a read-only folder, or a full disk): nothing was built; site/ is unchanged."; exit 1; }; \
	exec 9>.site.lock; \
	if ! flock -n 9; then echo "Another make site is building in this folder; waiting for it to finish…"; flock 9; fi; \
	$(RECOVER_SITE); \
	rm -rf site.new; \
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) $(BIN)/python -m $(if $(SHARDS),generator.site.shards build $(SHARDS),generator.site.build --strict) --site-dir site.new \
		|| { rm -rf site.new; echo "mkdocs build --strict failed (see above); site/ is unchanged."; exit 1; }; \
	trap '' INT TERM HUP; rm -rf site.old; if [ -d site ]; then mv site site.old; fi; mv site.new site; rm -rf site.old; \
	echo "Built site/ — open site/index.html or run make serve"

# The generated site as plain files, for builders other than our plugin (generator/site/stage.py).
pages: validate
	@$(BIN)/python -m generator pages build/pages

# The canary builders, each in its own venv pinned by canaries/<name>.txt (tests/test_canaries.py).
CANARY_STAMPS := .canary/zensical/.installed .canary/properdocs/.installed
.canary/%/.installed: canaries/%.txt
	@echo "Setting up .canary/$* (the $* canary build, pinned by canaries/$*.txt)…"
	@rm -rf .canary/$* && $(PYTHON) -m venv .canary/$*
	@.canary/$*/bin/pip install --quiet --disable-pip-version-check -r canaries/$*.txt
	@touch $@

canaries: pages $(CANARY_STAMPS)
	@.canary/zensical/bin/zensical build -f build/pages/mkdocs.yml >/dev/null && rm -rf build/canary-zensical && mv build/pages/site build/canary-zensical
	@.canary/properdocs/bin/properdocs build -q -f build/pages/mkdocs.yml -d $(CURDIR)/build/canary-properdocs
	@echo "Built build/canary-zensical/ and build/canary-properdocs/ from build/pages/"

# (before validate, so a broken swap is repaired even when the data is invalid; skipped while
# another build holds the lock: that one may be mid-swap)
recover-site:
	@if [ -w . ]; then exec 9>.site.lock; if flock -n 9; then $(RECOVER_SITE); fi; fi

# PORT=8001 when 8000 is taken. Dated like make site (the last commit), so the preview judges
# the age of every status as the published site will.
serve: validate
	@$(BIN)/python -c "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $(PORT))) == 0)" \
		|| { echo "Port $(PORT) is already in use (another make serve?). Choose another: make serve PORT=8001"; exit 1; }
	@echo "Serving the site at http://127.0.0.1:$(PORT)/ — edits to data/ show up after a few seconds; Ctrl-C stops."
	@SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || date +%s) $(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT) --livereload

test: lint $(CANARY_STAMPS)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test-fast: lint
	$(BIN)/python -m pytest -q -m "not browser"

# ruff (errors, imports, bugbear) and mypy (types) over the code; settings in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check generator benchmarks tests
	$(BIN)/mypy

draft: $(STAMP) ; @$(BIN)/python -m generator draft $(CITY) $(YEAR) $(if $(FROM),"$(FROM)") $(if $(URL),--url "$(URL)")

review: $(STAMP) ; @$(BIN)/python -m generator review $(CITY) $(YEAR)

# Issue #25's measure: each seed document drafted from its raw capture, compared with data/ (figures: CONTRIBUTING.md).
bench-draft: $(STAMP) ; $(BIN)/python -m benchmarks.bench_draft

# SIZES=300,3000 to choose the item counts (default 300, 3,000, 10,000), each against the plain-Material
# floor (benchmarks/floor.py) built in the same run; figures: README.md.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench $(if $(SIZES),--sizes $(SIZES))

# Issue #14's search benchmark: queries sampled from synthetic data, typed into the built site's
# search page in headless Chromium. SIZES=300,3000 · VERBOSE=1 prints every query's ground
# truth. Figures: README.md; every query: .bench/search-<size>.json.
bench-search: $(STAMP)
	$(BIN)/python -m benchmarks.bench_search $(if $(SIZES),--sizes $(SIZES)) $(if $(VERBOSE),--verbose)

lock: $(STAMP)
	(echo "# Pinned lock of requirements.in, generated with: make lock"; $(BIN)/pip freeze --exclude-editable) > requirements.txt

clean:
	rm -rf site site.new site.old .site.lock build .canary .pytest_cache .cache .mypy_cache .ruff_cache
