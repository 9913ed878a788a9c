"""The ``semantic`` extra with the real model from the installed package (all-MiniLM-L6-v2).

Skipped, with the reason, where the extra is not installed; ``.ci/run`` installs it in a second
venv (``.venv-semantic``) and runs these there. The tests that need no model (the switches, the
error without the extra) run everywhere.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from askbot import Matcher, load, semantic
from askbot.knowledge import cache
from conftest import DATA, SHIPPED, Run

np = pytest.importorskip("numpy") if semantic.installed() else None

needs_extra = pytest.mark.skipif(
    not semantic.installed(),
    reason="askbot[semantic] is not installed (pip install torch==2.13.0, then pip install -e '.[test,semantic]')",
)

# Paraphrases the lexical matcher answers with the wrong entry.
PARAPHRASES = [
    ("is the summit going to happen again next year", "more-summits"),
    ("what does hangzhou have going for it as a blockchain city", "hangzhou-advantages"),
]
# Issue 13's questions sharing almost no word with their entry: too far for the model to be sure
# (cosine under ``semantic_floor``), so askbot offers the right entry first instead of answering.
FAR_PARAPHRASES = [
    ("does the event come back?", "more-summits"),
    ("why set up a crypto business there?", "hangzhou-advantages"),
    ("explain DLT to a layman", "what-is-blockchain"),
]


class CountingEncoder:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, encoder: semantic.Encoder) -> None:
        self.name = encoder.name
        self._encoder = encoder
        self.texts = 0

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> Any:
        self.texts += len(texts)
        return self._encoder.encode(texts, progress=progress)


@pytest.fixture(scope="module")
def encoder() -> semantic.Encoder:
    return semantic.load_encoder()


@pytest.fixture
def matcher(encoder: semantic.Encoder, tmp_path: Path) -> Matcher:
    kb = load()
    return Matcher(kb, semantic=semantic.Semantic(kb, encoder))


@needs_extra
@pytest.mark.parametrize(("question", "expected"), PARAPHRASES, ids=[q for q, _ in PARAPHRASES])
def test_paraphrases_words_get_wrong_are_answered(matcher: Matcher, question: str, expected: str) -> None:
    lexical = Matcher(load()).match(question).entry
    assert lexical is None or lexical.id != expected
    match = matcher.match(question)
    assert match.entry is not None and match.entry.id == expected, (match.score, match.alternatives)


@needs_extra
@pytest.mark.parametrize(("question", "expected"), FAR_PARAPHRASES, ids=[q for q, _ in FAR_PARAPHRASES])
def test_far_paraphrases_are_the_first_suggestion(matcher: Matcher, question: str, expected: str) -> None:
    match = matcher.match(question)
    assert match.entry is None and match.alternatives[0].entry.id == expected


@needs_extra
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("waht r the advantges of hangzou", "hangzhou-advantages"),
        ("hangzhou talent policy", "talent-policy"),
    ],
    ids=["typos", "keywords"],
)
def test_typos_and_keywords_still_answered(matcher: Matcher, question: str, expected: str) -> None:
    match = matcher.match(question)
    assert match.entry is not None and match.entry.id == expected


@needs_extra
@pytest.mark.parametrize(
    "question",
    [
        "what is the price of bitcoin?",
        "what are the disadvantages of developing blockchain in hangzhou?",
        "who won the football world cup?",
    ],
    ids=["uncovered", "contradiction", "unrelated"],
)
def test_out_of_scope_still_refused(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).entry is None


@needs_extra
def test_embeddings_are_stored_and_read_back_whole(encoder: semantic.Encoder, tmp_path: Path) -> None:
    kb = load()
    store = cache.EmbeddingFile(str(tmp_path / "index" / "key.model.emb"))
    first = CountingEncoder(encoder)
    cold = semantic.Semantic(kb, first, store=store)
    texts, _ = semantic.phrasing_texts(kb)
    assert first.texts == cold.embedded == len(texts)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    second = CountingEncoder(encoder)
    warm = semantic.Semantic(kb, second, store=store)
    assert second.texts == warm.embedded == 0
    assert (warm.matrix == cold.matrix).all()
    assert (warm.cosines("why hangzhou?") == cold.cosines("why hangzhou?")).all()


def _flip_a_middle_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))


@needs_extra
@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not an array"),
        lambda p: p.write_bytes(p.read_bytes()[:-100]),
        _flip_a_middle_byte,
    ],
    ids=["foreign", "truncated", "one-byte"],
)
def test_a_damaged_embeddings_file_is_embedded_again(
    encoder: semantic.Encoder, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    kb = load()
    store = cache.EmbeddingFile(str(tmp_path / "index" / "key.model.emb"))
    expected = semantic.Semantic(kb, encoder, store=store).matrix
    damage(Path(store.path))
    again = semantic.Semantic(kb, CountingEncoder(encoder), store=store)
    assert again.embedded == len(semantic.phrasing_texts(kb)[0]) and (again.matrix == expected).all()
    assert semantic.Semantic(kb, CountingEncoder(encoder), store=store).embedded == 0  # and stored anew


@needs_extra
def test_embeddings_for_another_base_are_not_used(encoder: semantic.Encoder, tmp_path: Path) -> None:
    kb = load()
    store = cache.EmbeddingFile(str(tmp_path / "index" / "key.model.emb"))
    semantic.Semantic(kb, encoder, store=store)
    assert store.load(len(kb) + 1) is None and store.load(len(kb)) is not None


@needs_extra
def test_an_unwritable_cache_warns_and_still_answers(encoder: semantic.Encoder, tmp_path: Path) -> None:
    (tmp_path / "index").write_text("a file where the folder should be")
    store = cache.EmbeddingFile(str(tmp_path / "index" / "key.model.emb"))
    kb = load()
    side = semantic.Semantic(kb, encoder, store=store)
    assert store.warning is not None and "cannot write the embeddings" in store.warning
    assert Matcher(kb, semantic=side).match(PARAPHRASES[0][0]).entry is not None


@needs_extra
def test_one_interview_is_a_subset_of_the_rows(encoder: semantic.Encoder) -> None:
    kb = load([SHIPPED, DATA / "lena-hoffmann-2019.yaml"])
    whole = semantic.Semantic(kb, encoder)
    for source in kb.sources:
        narrowed = whole.only(kb, source)
        alone = semantic.Semantic(kb.only(source), encoder)
        question = "what does she think of the city?"
        assert narrowed.size == alone.size == len(kb.only(source)) < len(kb)
        assert np.allclose(narrowed.cosines(question), alone.cosines(question), atol=1e-5)


@needs_extra
def test_index_embeds_ahead_and_a_warm_ask_embeds_nothing(
    askbot: Run, monkeypatch: pytest.MonkeyPatch, private_home: Path
) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    env = {"HF_HUB_OFFLINE": "1"}
    built = askbot("index", env=env)
    assert built.returncode == 0, built.stderr
    phrasings = len(semantic.phrasing_texts(load())[0])
    assert f"embeddings by {semantic.DEFAULT_MODEL}: {phrasings} phrasings embedded" in built.stderr
    (stored,) = (private_home / "cache" / "askbot" / "index").glob("*.emb")
    before = stored.stat().st_mtime_ns
    again = askbot("index", env=env)
    assert f"embeddings by {semantic.DEFAULT_MODEL}: already current" in again.stderr, again.stderr
    answered = askbot("ask", "--json", PARAPHRASES[0][0], env=env)
    assert json.loads(answered.stdout)["id"] == PARAPHRASES[0][1] and answered.stderr == ""
    assert stored.stat().st_mtime_ns == before
    lexical = askbot("index", "--lexical", env=env)
    assert lexical.returncode == 0 and "embeddings" not in lexical.stderr


@needs_extra
def test_no_cache_stores_no_embeddings(askbot: Run, monkeypatch: pytest.MonkeyPatch, private_home: Path) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    proc = askbot("--no-cache", "ask", "--json", PARAPHRASES[0][0], env={"HF_HUB_OFFLINE": "1"})
    assert json.loads(proc.stdout)["matcher"] == "semantic"
    assert not list(private_home.rglob("*.emb"))


@needs_extra
def test_ask_one_interview_with_the_extra(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    shelf = ["--kb", str(SHIPPED), "--kb", str(DATA / "lena-hoffmann-2019.yaml")]
    proc = askbot(*shelf, "ask", "--interview", "wang", "--json", PARAPHRASES[0][0], env={"HF_HUB_OFFLINE": "1"})
    result = json.loads(proc.stdout)
    assert (result["matcher"], result["id"]) == ("semantic", PARAPHRASES[0][1]), proc.stderr


@needs_extra
def test_ask_uses_the_extra_by_default_offline_and_quietly(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    question = PARAPHRASES[0][0]
    proc = askbot("ask", "--json", question, env={"HF_HUB_OFFLINE": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    result = json.loads(proc.stdout)
    assert (result["matcher"], result["model"], result["id"]) == ("semantic", semantic.DEFAULT_MODEL, PARAPHRASES[0][1])


@needs_extra
@pytest.mark.parametrize(
    ("args", "env"), [(["--lexical"], {}), ([], {"ASKBOT_SEMANTIC": "0"})], ids=["--lexical", "ASKBOT_SEMANTIC=0"]
)
def test_lexical_switches_turn_the_extra_off(
    askbot: Run, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str]
) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    result = json.loads(askbot("ask", "--json", *args, "why hangzhou?", env=env).stdout)
    assert (result["matcher"], result["model"]) == ("lexical", None)


@needs_extra
def test_a_model_that_cannot_load_is_one_line_exit_2(
    askbot: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    proc = askbot("ask", "--model", str(tmp_path / "no-such-model"), "why?", env={"HF_HUB_OFFLINE": "1"})
    assert proc.returncode == 2
    assert proc.stderr.startswith("askbot: error: --model/ASKBOT_MODEL ") and proc.stderr.count("\n") == 1


@pytest.mark.skipif(semantic.installed(), reason="checks askbot without the semantic extra")
def test_naming_a_model_without_the_extra_is_one_line_exit_2(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    proc = askbot("ask", "--model", "all-MiniLM-L6-v2", "why?")
    assert proc.returncode == 2
    assert "pip install 'askbot[semantic]'" in proc.stderr and proc.stderr.count("\n") == 1


def test_without_the_extra_ask_is_lexical(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    result = json.loads(askbot("ask", "--json", "--lexical", "why hangzhou?").stdout)
    assert result["matcher"] == "lexical" and result["id"] == "hangzhou-advantages"


@pytest.mark.parametrize(
    ("lexical", "model", "env", "expected"),
    [
        (True, "m", {}, None),
        (False, None, {"ASKBOT_SEMANTIC": "0"}, None),
        (False, None, {"ASKBOT_SEMANTIC": "off", "ASKBOT_MODEL": "m"}, None),
        (False, None, {"ASKBOT_MODEL": "from-env"}, "from-env"),
        (False, "from-option", {"ASKBOT_MODEL": "from-env"}, "from-option"),
    ],
    ids=["--lexical", "env-0", "env-off-beats-model", "env-model", "option-beats-env"],
)
def test_which_model_is_wanted(lexical: bool, model: str | None, env: dict[str, str], expected: str | None) -> None:
    assert semantic.wanted(lexical=lexical, model=model, environ=env) == expected


def test_default_model_only_when_installed() -> None:
    expected = semantic.DEFAULT_MODEL if semantic.installed() else None
    assert semantic.wanted(lexical=False, model=None, environ={}) == expected


@needs_extra
def test_index_draws_a_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    monkeypatch.delenv("ASKBOT_SEMANTIC")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))  # rows, columns
    # stdout to a file, stderr to a real terminal: the bar is drawn on stderr.
    with (tmp_path / "out").open("wb") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "askbot", "index"], stdout=out, stderr=secondary, env=env, timeout=120
        )
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert proc.returncode == 0
    assert b"Batches: 100%" in shown and b"phrasings embedded" in shown
    elsewhere = {**env, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # embedded again, into a pipe
    piped = subprocess.run([sys.executable, "-m", "askbot", "index"], capture_output=True, env=elsewhere, timeout=120)
    assert b"phrasings embedded" in piped.stderr and b"Batches" not in piped.stderr


@needs_extra
def test_the_chat_upgraded_to_the_model_narrows_it_to_one_interview(encoder: semantic.Encoder) -> None:
    from askbot.conversation.session import Conversation

    kb = load([SHIPPED, DATA / "lena-hoffmann-2019.yaml"])
    conversation = Conversation(Matcher(kb))
    conversation.respond("/use wang")
    assert conversation.active.semantic is None
    conversation.upgrade(Matcher(kb, semantic=semantic.Semantic(kb, encoder)))
    narrowed = conversation.active
    assert narrowed.semantic is not None and narrowed.semantic.size == len(narrowed.knowledge) < len(kb)
    match = narrowed.match(PARAPHRASES[0][0])
    assert match.entry is not None and match.entry.id == PARAPHRASES[0][1]
