# Quick start: `make demo` trains and evaluates a reacher; `make test` runs the test suite; `make docs`
# builds the docs site into site/.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
DEMO_STEPS ?= 8000
# PyTorch's CPU wheels; an extra index, so installs still work where it cannot be reached
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu

.PHONY: venv demo test lint bench docs mutation clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU build of torch first, from PyTorch's CPU index or a local wheel (pip's find-links), never from
	# PyPI, whose Linux torch is a multi-GB CUDA build; its dependencies come with robo2d's below.
	$(PIP) install --quiet --no-deps "torch==2.13.0" --index-url $(TORCH_INDEX) || { \
	  echo "No CPU build of torch 2.13.0 from $(TORCH_INDEX) or a local wheel: point TORCH_INDEX= at an"; \
	  echo "index that has one (or PIP_FIND_LINKS= at a folder with the wheel) and run make again."; exit 1; }
	$(PIP) install --quiet -e ".[train,test,sweep,jax,datasets]"
	# TorchRL for the client tests, without its dependencies: they would replace the CPU torch above
	$(PIP) install --quiet --no-deps "torchrl==0.14.1" "tensordict==0.15.3" "pyvers==0.2.3" "hoptorch==0.1.4"
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/robo2d train Robo2DReacher-v0 --timesteps $(DEMO_STEPS) --run-dir runs/demo --force
	$(VENV)/bin/robo2d evaluate runs/demo --episodes 20
	$(VENV)/bin/robo2d record runs/demo --episodes 2 --out runs/demo/reacher.gif
	@echo "Run folder: runs/demo (model, config, evaluations, learning_curve.png, reacher.gif)"

test: $(STAMP)
	$(VENV)/bin/ruff check robo2d tests examples tools
	$(VENV)/bin/ruff format --check robo2d tests examples tools
	# one pytest worker per CPU (pytest-xdist); `$(PY) -m pytest -q` runs the same tests in one process
	$(PY) -m pytest -q -n auto

bench: $(STAMP)
	$(PIP) install --quiet -e ".[bench]"
	$(VENV)/bin/robo2d bench --reference

# The docs site, strict (a warning fails it): the generated pages written first, then mkdocs into site/
docs: $(STAMP)
	$(PIP) install --quiet -e ".[docs]"
	$(PY) -m tools.docs_pages
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

# Mutation testing of the env code and the run layer (hours on 2 cores; not part of `make test`; stopped,
# it resumes where it was): scores per package in docs/results/mutation
mutation: $(STAMP)
	$(PIP) install --quiet -e ".[mutation]"
	# a module changed since its mutants were made: drop its copy and results, so that the line coverage
	# that picks its mutants is measured on the module itself (a kept copy is the old mutated file, whose
	# line numbers are not the module's) and its mutants are all checked again
	find robo2d -name '*.py' | while read -r f; do m="mutants/$$f"; \
		if [ -f "$$m" ] && [ "$$f" -nt "$$m" ]; then rm -f "$$m" "$$m.meta" "$$m.spans"; fi; done
	# a fresh checkout: each mutant made gets the stored result of the same code (tools/mutation_cache.py)
	$(PY) -m tools.mutation_scores --restore
	$(PY) -m tools.mutation_scores --started
	# each mutant's tests import the mutated robo2d afresh (12 MB of source): with bytecode cached that
	# takes 1 s, compiled anew each time 3 s, so a PYTHONDONTWRITEBYTECODE from outside is dropped here
	env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/mutmut run --max-children $(or $(MUTATION_JOBS),2) || true
	$(PY) -m tools.mutation_scores

clean:
	rm -rf $(VENV) build dist *.egg-info runs mutants site .cache
