# The three ways to use the book: `make book` (static site), `make lab` (JupyterLab), `make test` (CI).
# Everything runs inside .venv, created on first use from the pinned requirements.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `jupyter-book build` with Sphinx reading (and MyST-NB executing) the notebooks on both cores.
BUILD  := $(BIN)/python scripts/build_book.py build . --all -W -n --keep-going

# The book's matrices are small: one BLAS thread per process is faster than two threads fighting
# over two cores (the tests and the build run two processes at once).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

# Rounding environments: floating-point results differ between processors (numpy picks SIMD
# kernels at run time, OpenBLAS picks kernels per core type), so every claim of the book is also
# checked under another machine's rounding. `make notebooks` runs the notebooks under ROUNDING
# (default: sse); `make book` builds under the native numerics. Choose with ROUNDING=native|sse|avx|avx2.
#   sse: numpy without its AVX2/AVX-512 kernels, OpenBLAS's Nehalem (SSE) kernels, 1 BLAS thread
#   avx: numpy native, OpenBLAS's Sandy Bridge (AVX) kernels, 2 BLAS threads
#   avx2: numpy without its AVX-512 kernels, OpenBLAS's Haswell (AVX2) kernels, 1 BLAS thread
#         (on an AVX-512 processor: the rounding of an AVX2 one)
ROUNDING ?= sse
NPY_SIMD := X86_V3 X86_V4 AVX512_ICL AVX512_SPR
ifeq ($(shell uname -m),x86_64)
ROUNDING_sse := NPY_DISABLE_CPU_FEATURES="$(NPY_SIMD)" OPENBLAS_CORETYPE=Nehalem OPENBLAS_NUM_THREADS=1
ROUNDING_avx := OPENBLAS_CORETYPE=SandyBridge OPENBLAS_NUM_THREADS=2
ROUNDING_avx2 := NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR" OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1
else
ROUNDING_sse := OPENBLAS_NUM_THREADS=1
ROUNDING_avx := OPENBLAS_NUM_THREADS=2
ROUNDING_avx2 := OPENBLAS_NUM_THREADS=1
endif
ROUNDING_native :=
ROUNDING_ENV = $(ROUNDING_$(ROUNDING))

.PHONY: book test lab lab-test clean lint format unit notebooks site hygiene rounding

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

# nbval's plugin is loaded only where notebooks are tested: it imports nbformat, whose JSON-schema
# validator compiles an IRI grammar for about 2 s in every test process.
NO_NBVAL := -p no:nbval

hygiene: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider $(NO_NBVAL) tests/test_repository.py

LINTED := gradlib tests benchmarks chapters appendices _ext scripts conftest.py

## lint: ruff's rules and its formatter (88 columns, notebooks included), as .pre-commit-config.yaml.
lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

## format: apply the formatter.
format: $(STAMP)
	$(BIN)/ruff format $(LINTED)

unit: $(STAMP)
	$(BIN)/pytest -q $(NO_NBVAL) -n 2 --cov=gradlib --cov-report=term --cov-fail-under=95 \
		--ignore=tests/test_repository.py --ignore=tests/site tests gradlib

notebooks: $(STAMP)
	@echo "notebooks under ROUNDING=$(ROUNDING): $(or $(ROUNDING_ENV),native numerics)"
	env $(ROUNDING_ENV) $(BIN)/python -m pytest -q -p no:cacheprovider -p tests.no_iri_grammar \
		-p tests.ipc_kernels --nbval-lax --nbval-current-env -n 2 \
		--dist loadscope --no-cov -o addopts="" chapters appendices

## rounding: the notebooks under every rounding environment (native, sse, avx, avx2), one after another.
rounding: $(STAMP)
	$(MAKE) notebooks ROUNDING=native
	$(MAKE) notebooks ROUNDING=sse
	$(MAKE) notebooks ROUNDING=avx
	$(MAKE) notebooks ROUNDING=avx2

# The site checks in two processes: the JupyterLab tests in one (one server), the pages one at a
# time in whichever process is free (units of work: site_scope in tests/site/conftest.py).
site: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider $(NO_NBVAL) -o addopts="" -n 2 --dist loadscope tests/site

## lab: JupyterLab on the chapters, with the same environment (jupyterlab-myst renders the prose).
lab: $(STAMP)
	$(BIN)/jupyter lab chapters

## lab-test: read every chapter in JupyterLab (make test reads the first), and move every explorer.
lab-test: $(STAMP)
	SITE_LAB_ALL=1 $(BIN)/pytest -q -p no:cacheprovider $(NO_NBVAL) -o addopts="" tests/site/test_jupyterlab.py

## clean: remove the build output and caches (keeps .venv).
clean:
	rm -rf _build .pytest_cache .hypothesis .coverage .ruff_cache htmlcov benchmarks/results
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +
