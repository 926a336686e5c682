# Two entry points for a fresh machine: `make run` (set up, index, chat) and `make test` (set up, lint, test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 7860
# The eval gates in CI: the pass rates on eval/cases.yaml and on the shared multi-company set (its cases
# over its ten companies' articles plus corpus/) may not fall below these (raise them as answers improve).
EVAL_FAIL_UNDER ?= 0.95
MIXED_FAIL_UNDER ?= 0.92
# Issue 23's sets: articles rewritten from real public pages (eval/real-pages) and a generated consumer-help
# site of 320 organisations in colliding families (eval/sitegen.py, seed 7); gated at issue 23's target and a
# little under today's figures (91.6 % and 98.0 %; the mixed set 95.5 %).
REAL_FAIL_UNDER ?= 0.90
SITE_FAIL_UNDER ?= 0.95
OTHER_STORES := ../shared/corpora/other-stores

.PHONY: install run index test test-fast test-llm lint format eval bench soak clean browser office

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: pip then keeps the CPU wheel that lies on disk instead of pulling a CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

index: install
	$(BIN)/python -m ingest

run: index
	$(BIN)/python app.py --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The browser test drives Debian's Chromium; install it when missing and apt is at hand (root, Debian).
# It injects axe-core (npm, pinned in package-lock.json) to check the page's accessibility.
browser: node_modules/.installed
	@command -v chromium >/dev/null || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility check of the browser test is skipped"; fi

# The format tests make DOCX and PDF articles with LibreOffice; install its writer when missing and apt is at hand.
office:
	@command -v soffice >/dev/null || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null; }

# One pytest-xdist worker per core, each test file whole in one worker (its module fixtures, a page server,
# start once). Its figures on 2 cores: docs/design.md, "The test suite".
test: lint browser office
	$(BIN)/python -m pytest -n auto --dist loadfile

# The unit specs alone (no model, no server, no subprocess): seconds, for the edit-test loop.
test-fast: install
	$(BIN)/python -m pytest -m "not slow and not model and not llm" -q

# The LLM integration test: a real llama.cpp OpenAI-compatible server with a small model from PyPI.
# llama.cpp is built for plain AVX2: its native build (AVX-512, AMX) crashed on this CPU in decode.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLM_STAMP := $(VENV)/.installed-llm

$(LLM_STAMP): pyproject.toml $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[dev,llm,llm-server]'
	touch $@

test-llm: $(LLM_STAMP)
	$(BIN)/python -m pytest -m llm

eval: index
	$(BIN)/python -m eval --fail-under $(EVAL_FAIL_UNDER)
	@if [ -d $(OTHER_STORES) ]; then \
	  rm -rf data/mixed-corpus && mkdir -p data/mixed-corpus && \
	  cp corpus/*.md $(OTHER_STORES)/*-*.md data/mixed-corpus/ && \
	  $(BIN)/python -m eval --cases $(OTHER_STORES)/cases.yaml --corpus data/mixed-corpus --out eval/out/mixed \
	    --fail-under $(MIXED_FAIL_UNDER); \
	else echo "$(OTHER_STORES) not found: the multi-company evaluation is skipped"; fi
	$(BIN)/python -m eval --cases eval/real-pages/cases.yaml --corpus eval/real-pages/corpus --out eval/out/real-pages \
	  --fail-under $(REAL_FAIL_UNDER)
	$(BIN)/python -m eval.sitegen --out data/site --seed 7 --organizations 320
	$(BIN)/python -m eval --cases data/site/cases.yaml --corpus data/site/corpus --out eval/out/site \
	  --fail-under $(SITE_FAIL_UNDER)

bench: install browser
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/encoder.py
	$(BIN)/python bench/answer.py
	$(BIN)/python bench/retrieval.py --sets ours,holdout,mixed,blind
	$(BIN)/python bench/load.py --seconds 10
	$(BIN)/python bench/page.py --seconds 10

# 16 users ask while ingests run, in both modes; exits 1 on any error or wrong answer.
soak: install
	$(BIN)/python bench/soak.py --seconds 60 --mode embedded
	$(BIN)/python bench/soak.py --seconds 60 --mode server

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache *.egg-info
