# Two commands on a fresh machine with Python 3.10+: `make chat` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: chat test bench clean

$(BIN)/askbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

chat: $(BIN)/askbot
	$(BIN)/askbot

test: $(BIN)/askbot
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy --strict src/askbot
	$(BIN)/python -m pytest -q

bench: $(BIN)/askbot
	$(BIN)/python benchmarks/devset.py
	$(BIN)/python benchmarks/devset.py --strip-alternates
	$(BIN)/python benchmarks/clinc150.py ../shared/bench/clinc150
	$(BIN)/python benchmarks/banking77.py ../shared/bench/banking77
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/hostile.py
	$(BIN)/python benchmarks/chat_turns.py
	$(BIN)/python benchmarks/meta_questions.py --clinc150 ../shared/bench/clinc150 --banking77 ../shared/bench/banking77

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
