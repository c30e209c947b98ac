# The three ways to use the book: `make book` (static site), `make lab` (JupyterLab), `make test` (CI).
# Everything runs inside .venv, created on first use from the pinned requirements.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD  := $(BIN)/jupyter-book build . --all -W -n --keep-going

# The book's matrices are small: one BLAS thread per process is faster than two threads fighting
# over two cores (the tests and the build run two processes at once).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: book test lab clean lint unit notebooks site hygiene

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## book: build the static site into _build/html, executing every notebook.
book: $(STAMP)
	$(BUILD)

## test: everything that proves the book; stops at the first failing stage.
test: $(STAMP) hygiene lint unit notebooks
	$(BUILD)
	$(MAKE) site

hygiene: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider tests/test_repository.py

lint: $(STAMP)
	$(BIN)/ruff check gradlib tests benchmarks chapters appendices _ext

unit: $(STAMP)
	$(BIN)/pytest -q -n 2 --cov=gradlib --cov-report=term --cov-fail-under=95 \
		--ignore=tests/test_repository.py --ignore=tests/site tests gradlib

notebooks: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env -n 2 --dist loadscope \
		--no-cov -o addopts="" chapters appendices

site: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider -o addopts="" tests/site

## lab: JupyterLab on the chapters, with the same environment.
lab: $(STAMP)
	$(BIN)/jupyter lab chapters

## clean: remove the build output and caches (keeps .venv).
clean:
	rm -rf _build .pytest_cache .hypothesis .coverage .ruff_cache htmlcov benchmarks/results
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +
