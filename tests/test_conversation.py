"""The chat's turn logic as plain calls: a shelf of two interviews, picks, context, meta, small talk."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from askbot import DEFAULT_SETTINGS, Entry, KnowledgeBase, Matcher, Source, load
from askbot.conversation.intents import pick_number
from askbot.conversation.meta import People, kind_of
from askbot.conversation.session import COMMANDS, Conversation
from conftest import DATA, SHIPPED

SECOND = DATA / "lena-hoffmann-2019.yaml"
WANG_SOURCE_LINE = "- Wang Yuejian, Director of the Hangzhou Financial Office"


@pytest.fixture(scope="module")
def shelf_matcher() -> Matcher:
    return Matcher(load([SHIPPED, SECOND]))


@pytest.fixture
def shelf(shelf_matcher: Matcher) -> Conversation:
    """A conversation over the bundled interview and Lena Hoffmann's."""
    return Conversation(shelf_matcher)


@pytest.fixture
def single() -> Conversation:
    return Conversation(Matcher(load()))


@pytest.fixture
def unsure() -> Conversation:
    """A conversation whose matcher answers nothing (a threshold no score reaches), so a
    question it would answer is a "did you mean" instead."""
    return Conversation(Matcher(load(), settings=DEFAULT_SETTINGS.replace(threshold=99.9)))


def _numbered(text: str) -> list[str]:
    return re.findall(r"^ +\d+\. (.*)$", text, flags=re.MULTILINE)


def _answered(text: str, entry: Entry) -> bool:
    """Whether a reply gives ``entry``'s answer, headed by the question it answers."""
    return f"Q: {entry.question}\n{entry.answer.splitlines()[0]}" in text


# -- interviews as first-class ------------------------------------------------------------------


def test_greeting_names_each_interview(shelf: Conversation) -> None:
    text = shelf.greeting().text
    assert "2 interviews, 14 questions" in text
    assert "Wang Yuejian: The Future Of Blockchain" in text and "2018-03-26, 9 questions" in text
    assert "Lena Hoffmann: Ledgers Are Boring" in text and "2019-06-12, 5 questions" in text


def test_greeting_names_the_interviewee_once() -> None:
    base = load()
    for title, interviewee, date, shown in [
        (
            "Interview with Andy Hunt, Dave Thomas",
            "Andy Hunt, Dave Thomas",
            None,
            "Interview with Andy Hunt, Dave Thomas",
        ),
        (
            "Interview with Andy Hunt and Dave Thomas",
            "Andy Hunt, Dave Thomas",
            "2019-09-02",
            "Interview with Andy Hunt and Dave Thomas (2019-09-02)",
        ),
        ("Wang Yuejian: The Future", "Wang Yuejian", "2018-03-26", "Wang Yuejian: The Future (interview, 2018-03-26)"),
        ("Blockchain in Hangzhou", "Wang Yuejian", None, "Blockchain in Hangzhou (interview with Wang Yuejian)"),
        ("Annual report", "Ann", None, "Annual report (interview with Ann)"),
    ]:
        source = base.sources[0]._replace(title=title, interviewee=interviewee, date=date)
        kb = KnowledgeBase(tuple(e._replace(source=source) for e in base))
        assert Conversation(Matcher(kb)).greeting().text.startswith(f"askbot: {shown}, 9 questions."), title


def test_greeting_counts_many_interviews() -> None:
    base = load()
    entries = []
    for n in range(7):
        source = base.sources[0]._replace(interviewee=f"Guest {n}", title=f"Talk {n}")
        entries += [e._replace(id=f"g{n}-{e.id}", source=source, follow_ups=()) for e in base]
    text = Conversation(Matcher(KnowledgeBase(tuple(entries)))).greeting().text
    assert "7 interviews, 63 questions" in text and "Guest 3" not in text


def test_question_both_interviews_answer_asks_whose(shelf: Conversation) -> None:
    reply = shelf.respond("what is blockchain?")
    assert reply.text.startswith("Whose answer — Wang Yuejian's or Lena Hoffmann's?")
    assert _numbered(reply.text) == ["What is “blockchain”? — Wang Yuejian", "What is blockchain? — Lena Hoffmann"]
    assert "Blockchain is a technology" not in reply.text, "no answer picked silently"


def test_two_interviews_answering_alike_ask_whose_though_the_matcher_alone_would_answer(shelf: Conversation) -> None:
    assert shelf.matcher.match("what is blockchain?").entry is not None, "the matcher alone would answer"
    assert "Whose answer" in shelf.respond("what is blockchain?").text


@pytest.mark.parametrize(
    ("reply", "expected"),
    [("2", ["A shared ledger"]), ("lena", ["A shared ledger"]), ("Wang Yuejian", ["Blockchain is a technology"])]
    + [("both", ["Blockchain is a technology", "A shared ledger"])],
    ids=["number", "name", "full-name", "both"],
)
def test_whose_answer_takes_a_number_a_name_or_both(shelf: Conversation, reply: str, expected: list[str]) -> None:
    shelf.respond("what is blockchain?")
    text = shelf.respond(reply).text
    positions = [text.index(answer) for answer in expected]
    assert positions == sorted(positions) and "Whose answer" not in text


def test_both_lists_related_questions_once_and_numbers_pick_from_it(shelf: Conversation) -> None:
    shelf.respond("what is blockchain?")
    text = shelf.respond("both").text
    assert text.count("Related questions:") == 1 and text.index("A shared ledger") > text.index("Blockchain is a")
    assert "question 2 of 5" in shelf.respond("1").text


def test_answers_options_and_list_carry_the_interviewee(shelf: Conversation) -> None:
    answer = shelf.respond("how do you hire engineers?").text
    assert (
        "- Lena Hoffmann, Head of Research at Baltic Ledger Lab · Ledger Weekly, 2019-06-12 · question 3 of 5" in answer
    )
    assert all(option.endswith(" — Lena Hoffmann") for option in _numbered(answer))
    listing = shelf.respond("/list").text
    assert "Wang Yuejian: The Future Of Blockchain In Hangzhou Is Bright\n" in listing
    assert "Lena Hoffmann: Ledgers Are Boring, and That Is the Point\n" in listing
    assert "  14. What would you tell a student" in listing
    assert "question 5 of 5" in shelf.respond("14").text


def test_source_line_does_not_repeat_the_title(shelf: Conversation) -> None:
    text = shelf.respond("why did you open the lab in tallinn?").text
    source_line = next(line for line in text.splitlines() if line.startswith("- "))
    assert "Ledgers Are Boring" not in source_line and source_line.count("Lena Hoffmann") == 1, source_line


def test_one_interview_has_no_labels(single: Conversation) -> None:
    text = single.respond("why hangzhou?").text
    assert " — Wang Yuejian" not in text and _numbered(text)


def test_related_questions_come_from_the_same_interview_first(shelf: Conversation) -> None:
    for line in ("why hangzhou?", "how do you hire engineers?", "isn't proof of work a waste of energy?"):
        reply = shelf.respond(line)
        assert shelf.last is not None
        sources = [entry.source for entry in shelf.listed]
        same = [source == shelf.last.source for source in sources]
        assert same == sorted(same, reverse=True), (line, reply.text)


def test_use_narrows_to_one_interview_and_all_widens(shelf: Conversation) -> None:
    assert "Asking only Lena Hoffmann's interview" in shelf.respond("/use hoffman").text
    assert shelf.respond("what is blockchain?").text.startswith("Q: What is blockchain?\nA shared ledger")
    assert "question 1 of 9" not in shelf.respond("/list").text and len(_numbered(shelf.respond("/list").text)) == 5
    assert "Asking all 2 interviews" in shelf.respond("/use all").text
    assert "Whose answer" in shelf.respond("what is blockchain?").text


def test_follow_ups_after_use_lean_on_the_chosen_interview(shelf: Conversation) -> None:
    shelf.respond("why hangzhou?")
    shelf.respond("/use lena")
    assert "I don't know: the interview does not cover that" in shelf.respond("why?").text, "no answer to lean on"
    for line in ("more", "and the energy?", "why?"):
        shelf.respond(line)
        assert shelf.last is not None and shelf.last.source.interviewee == "Lena Hoffmann", line
    shelf.respond("/use all")
    before = shelf.last
    reply = shelf.respond("more")
    assert shelf.last is not None and shelf.last != before and shelf.last.answer.splitlines()[0] in reply.text


def test_use_an_unknown_name_lists_the_interviews(shelf: Conversation) -> None:
    text = shelf.respond("/use zzzz").text
    assert "No interview matches 'zzzz'" in text and "Lena Hoffmann" in text and "Wang Yuejian" in text
    assert shelf.current is None


def test_conversation_can_start_narrowed(shelf_matcher: Matcher) -> None:
    lena = next(s for s in shelf_matcher.knowledge.sources if s.interviewee == "Lena Hoffmann")
    conversation = Conversation(shelf_matcher, interview=lena)
    assert conversation.respond("what is blockchain?").text.startswith("Q: What is blockchain?\nA shared ledger")
    assert "Lena Hoffmann" in conversation.toolbar() and "Wang" not in conversation.toolbar()


# -- questions about the interview itself -------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who was interviewed?", "Wang Yuejian, Director of the Hangzhou Financial Office, was interviewed"),
        ("who interviewed him?", "interviewed by Jia Xiaobie and Yang Jialun"),
        ("When was the interview?", "is dated 2018-03-26"),
        ("where was it published?", "published by 8BTC Asks"),
        ("at what event?", "at the Second Global Blockchain (Hangzhou) Summit"),
        ("how many questions are there?", "has 9 questions"),
        ("can you tell me who did the interview", "interviewed by Jia Xiaobie"),
        ("who are jia xiaobie and yang jialun", "interviewed by Jia Xiaobie and Yang Jialun"),
        ("which website ran this interview", "published by 8BTC Asks"),
        ("how long is the interview", "has 9 questions"),
        ("what is the title of this interview", "is titled “Wang Yuejian: The Future Of Blockchain"),
        ("who are the guests?", "Wang Yuejian, Director of the Hangzhou Financial Office, was interviewed"),
    ],
    ids=["interviewee", "interviewers", "date", "publisher", "event", "count", "lead-in"]
    + ["interviewers-by-name", "website", "how-long", "title", "guests"],
)
def test_questions_about_the_interview_come_from_its_source(single: Conversation, question: str, expected: str) -> None:
    text = single.respond(question).text
    assert expected in text
    assert "from the source details, not an answer given in the interview" in text
    assert "question " not in text.replace("questions", ""), "no source line pretending it is an answer"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Will there be more blockchain summits?", "more-summits"),
        ("When will Hangzhou become a fintech center?", "fintech-center-timetable"),
        ("how has the industry developed since the first summit?", "industry-progress"),
    ],
)
def test_interview_questions_are_not_taken_for_meta_questions(
    single: Conversation, question: str, entry_id: str
) -> None:
    entry = single.matcher.knowledge.get(entry_id)
    assert entry is not None
    text = single.respond(question).text
    assert _answered(text, entry) and "source details" not in text


def test_an_interview_that_asks_a_meta_shaped_question_answers_it_itself(tmp_path) -> None:
    (tmp_path / "author.yaml").write_text(
        "source: {title: On her novel, interviewee: Ann Smith, date: '2021-02-03'}\n"
        "entries:\n"
        "  - id: published\n    question: When was it published?\n    answer: In the spring of 1999.\n"
        "  - id: plot\n    question: What is the novel about?\n    answer: A lighthouse.\n",
        encoding="utf-8",
    )
    conversation = Conversation(Matcher(load([tmp_path])))
    assert "Q: When was it published?\nIn the spring of 1999." in conversation.respond("when was it published?").text
    assert "is dated 2021-02-03" in conversation.respond("when was the interview?").text


def test_source_details_without_the_answer_give_way_to_the_interviews_own(tmp_path) -> None:
    (tmp_path / "guest.yaml").write_text(
        "source: {title: Meet the host, interviewee: Rachel White}\n"
        "entries:\n"
        "  - id: job\n    question: Tell us about your job.\n    answer: I work at Microsoft as a tech evangelist.\n"
        "  - id: robots\n    question: What do you build for fun?\n    answer: Robots, and a cat feeder.\n",
        encoding="utf-8",
    )
    conversation = Conversation(Matcher(load([tmp_path])))
    job = conversation.respond("what is her job?")
    assert [e.id for e in job.answers] == ["job"] and "tech evangelist" in job.text
    assert "gives no date" in conversation.respond("when was the interview?").text
    # An answer that only mentions a job is no answer to it: the source details' "no" stands.
    (tmp_path / "guest.yaml").write_text(
        "source: {title: Meet the host, interviewee: Rachel White}\n"
        "entries:\n"
        "  - id: robots\n    question: What do you build for fun?\n"
        "    answer: Robots, after my job, which is a job I love; the job pays for the robots.\n",
        encoding="utf-8",
    )
    mentioned = Conversation(Matcher(load([tmp_path]))).respond("what is her job?")
    assert not mentioned.answers and "does not give Rachel White's role" in mentioned.text


def test_what_do_you_do_is_the_interviews_question_when_it_asks_it(tmp_path, single: Conversation) -> None:
    (tmp_path / "uses.yaml").write_text(
        "source: {title: Uses, interviewee: Jesse Thorn}\n"
        "entries:\n"
        "  - id: intro\n    question: What do you do?\n    answer: I host a radio show.\n"
        "  - id: gear\n    question: What hardware do you use?\n    answer: A desktop PC.\n",
        encoding="utf-8",
    )
    uses = Conversation(Matcher(load([tmp_path])))
    assert [e.id for e in uses.respond("what do you do?").answers] == ["intro"]
    assert "I'm askbot" in uses.respond("who are you?").text, "not asked there: a question to askbot"
    assert "I'm askbot" in single.respond("what do you do?").text


def test_no_question_or_alternate_of_either_interview_is_a_meta_question(shelf_matcher: Matcher) -> None:
    kb = shelf_matcher.knowledge
    people = People.of(kb.sources)
    phrasings = [text for entry in kb for text in (entry.question, *entry.alternates)]
    assert [p for p in phrasings if kind_of(p, people) is not None] == []


@pytest.mark.parametrize(
    "question", ["what time is it?", "what is it?", "why?", "when?", "who are they hiring?", "what day is it today"]
)
def test_everyday_questions_are_not_meta_questions(question: str) -> None:
    assert kind_of(question, People(frozenset({"wang", "yuejian"}))) is None


def test_meta_question_on_a_shelf_follows_the_name_or_the_last_answer(shelf: Conversation) -> None:
    assert "Tom Reyes" in shelf.respond("who interviewed Lena Hoffmann?").text
    both = shelf.respond("when was the interview?").text
    assert "2018-03-26" in both and "2019-06-12" in both, "no answer read yet: both interviews"
    shelf.respond("why did you open the lab in tallinn?")
    after = shelf.respond("who interviewed her?").text
    assert "Tom Reyes" in after and "Jia Xiaobie" not in after


# -- context ------------------------------------------------------------------------------------


def test_why_after_an_answer_stays_on_it_and_serves_nothing_else(single: Conversation) -> None:
    single.respond("why would a startup pick hangzhou?")
    reply = single.respond("why?")
    assert reply.text.startswith("I find nothing more on that than Wang Yuejian's answer just above (question 4 of 9)")
    assert "does not cover" not in reply.text and reply.answers == (), "no other entry served in its place"
    assert single.last is not None and single.last.id == "hangzhou-advantages"


def test_and_the_policy_does_not_repeat_the_policy_answer(single: Conversation) -> None:
    single.respond("what is special about hangzhou's talent policy?")
    assert single.last is not None and single.last.id == "talent-policy"
    text = single.respond("and the policy?").text
    assert "Although it is important to attract talented people" not in text


def test_what_about_talks_about_its_own_topic(single: Conversation) -> None:
    single.respond("why hangzhou?")
    single.respond("what about talent?")
    assert single.last is not None and single.last.id.startswith("talent")


def test_asking_the_answer_just_read_again_says_so(single: Conversation) -> None:
    single.respond("what is blockchain?")
    text = single.respond("what is blockchain?").text
    assert "answer just above" in text and "question 1 of 9" not in text.split("\n", 1)[1]


def test_asking_the_answer_just_read_for_what_it_does_not_say_finds_nothing_more(single: Conversation) -> None:
    single.respond("what is the timetable for the fintech center?")
    again = single.respond("what is the timetable for the fintech center, really?")
    assert "That is" in again.text and [e.id for e in again.answers] == ["fintech-center-timetable"]
    beyond = single.respond("what is the timetable for the fintech center's opening party?")
    assert "I find nothing more on that than" in beyond.text and not beyond.answers
    assert single.last is not None and single.last.id == "fintech-center-timetable"


@pytest.mark.parametrize("line", ["2", "2.", "#2", "the second one", "option 2", "second", "no. 2"])
def test_numbers_and_ordinals_pick_from_the_list_on_screen(single: Conversation, line: str) -> None:
    listed = _numbered(single.respond("why would a startup pick hangzhou?").text)
    single.respond(line)
    assert single.last is not None and single.last.question == listed[1]


def test_a_number_not_on_the_list_is_a_question(single: Conversation) -> None:
    single.respond("why hangzhou?")
    assert "by 2030" in single.respond("2030").text
    assert "Pick a number from 1 to 3" in single.respond("#7").text


def test_pick_number_reads_only_picks() -> None:
    assert [pick_number(s, listed=3) for s in ("3", "4", "the last one", "third question")] == [3, None, 3, 3]
    assert pick_number("what is blockchain", listed=3) is None


@pytest.mark.parametrize("line", ["yes", "yeah", "sure", "ok", "yes please", "more"])
def test_yes_after_did_you_mean_takes_the_first_choice(unsure: Conversation, line: str) -> None:
    choices = _numbered(unsure.respond("why hangzhou?").text)
    assert choices
    unsure.respond(line)
    assert unsure.last is not None and unsure.last.question == choices[0]


def test_no_after_did_you_mean_offers_other_questions(unsure: Conversation) -> None:
    choices = _numbered(unsure.respond("why hangzhou?").text)
    assert choices
    text = unsure.respond("no").text
    assert "what else I can answer" in text
    assert not set(_numbered(text)) & set(choices) and unsure.last is None


# -- small talk ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected", "done"),
    [
        ("hi askbot", "Hello! Ask me anything about the interview with Wang Yuejian", False),
        ("good morning!", "Hello!", False),
        ("ok cool", "Anything else?", False),
        ("thanks!", "You're welcome", False),
        ("thanks, bye", "Goodbye", True),
        ("see you later", "Goodbye", True),
        ("that's all", "Goodbye", True),
    ],
)
def test_small_talk_gets_a_short_human_reply(single: Conversation, line: str, expected: str, done: bool) -> None:
    reply = single.respond(line)
    assert expected in reply.text and reply.done is done and "does not cover" not in reply.text


def test_who_are_you_says_what_askbot_is_and_holds(shelf: Conversation) -> None:
    text = shelf.respond("who are you?").text
    assert text.startswith("I'm askbot") and "Wang Yuejian" in text and "Lena Hoffmann" in text


def test_small_talk_words_inside_a_question_do_not_stop_it(single: Conversation) -> None:
    assert "Blockchain is a technology" in single.respond("hi, what is blockchain?").text


# -- commands -----------------------------------------------------------------------------------


def test_every_command_row_is_dispatched_to_its_handler_and_listed_in_help(single: Conversation) -> None:
    help_text = single.respond("/help").text
    for command in COMMANDS:
        assert command.name in help_text and command.help in help_text
        for name in (command.name, *command.aliases):
            reply = Conversation(single.matcher).respond(name)
            assert reply.done is (command.name == "/quit"), name
            assert "Unknown command" not in reply.text


def test_command_rows_cannot_be_changed() -> None:
    with pytest.raises(AttributeError):
        COMMANDS[0].name = "/x"  # type: ignore[misc]


def test_narrowed_to_one_interview_a_question_another_answers_says_whose(shelf: Conversation) -> None:
    shelf.respond("/use hoffmann")
    missed = shelf.respond("why would a startup pick hangzhou?")
    assert not missed.answers and "Wang Yuejian's interview answers it: /use all." in missed.text
    assert "answers it: /use all" not in shelf.respond("what is the price of gold?").text
    shelf.respond("/use all")
    assert "answers it: /use all" not in shelf.respond("why would a startup pick hangzhou?").text


def test_source_details_per_interview(shelf: Conversation) -> None:
    text = shelf.respond("/source").text
    assert "interviewers: Jia Xiaobie, Yang Jialun" in text and "interviewers: Tom Reyes" in text


def test_meta_answers_need_no_interviewee() -> None:
    source = Source("An untitled talk")
    kb = load()
    entries = tuple(e._replace(source=source) for e in kb)
    conversation = Conversation(Matcher(KnowledgeBase(entries)))
    assert "does not name its interviewers" in conversation.respond("who interviewed him?").text


TYPICAL_LINES = [
    "what is blockchain?",
    "both",
    "lena",
    "2",
    "#7",
    "the second one",
    "yes",
    "no",
    "more",
    "why?",
    "and the policy?",
    "what about talent?",
    "tell me more about that",
    "when was the interview?",
    "who interviewed him?",
    "how many questions?",
    "hi askbot",
    "ok cool",
    "who are you?",
    "2030",
    "hangzhou",
    "/list",
    "/use lena",
    "/use wang",
    "/use all",
    "/use",
    "/source",
    "/history",
    "/help",
    "how do you hire engineers?",
    "what is the price of bitcoin?",
    "first",
    "the last one",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TYPICAL_LINES), st.text(max_size=40)), max_size=12))
def test_any_sequence_of_lines_gets_a_reply_and_never_raises(shelf_matcher: Matcher, lines: list[str]) -> None:
    conversation = Conversation(shelf_matcher)
    for line in lines:
        reply = conversation.respond(line)
        assert reply.text.strip() or not line.strip()
        if reply.done:
            break


def test_source_details_of_several_interviewees_read_in_the_plural(tmp_path) -> None:
    (tmp_path / "gaggle.yaml").write_text(
        "source: {title: Press Gaggle, interviewee: 'Mr. Bates, Mr. Kirby', interviewers: [Reporters]}\n"
        "entries:\n"
        "  - id: strikes\n    question: What did the strikes hit?\n    answer: Radar and missile sites.\n",
        encoding="utf-8",
    )
    asked = Conversation(Matcher(load([tmp_path]))).respond
    assert "Mr. Bates and Mr. Kirby were interviewed in “Press Gaggle”." in asked("who was interviewed?").text
    assert "Mr. Bates and Mr. Kirby were interviewed by Reporters." in asked("who interviewed them?").text
    assert "does not give their role" in asked("what is their job?").text
