"""``askbot ingest``: the real scraped transcript and the other common transcript styles."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from askbot import ingest
from askbot.ingest import noise
from askbot.settings import DEFAULT_LIMITS
from conftest import DATA, SHIPPED, TRANSCRIPT, Run, write


def test_ingest_reproduces_shipped_questions_and_answers(askbot: Run, tmp_path) -> None:
    out = tmp_path / "out.yaml"
    proc = askbot("ingest", str(TRANSCRIPT), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    made = yaml.safe_load(out.read_text(encoding="utf-8"))
    shipped = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert [(e["question"], e["answer"]) for e in made["entries"]] == [
        (e["question"], e["answer"]) for e in shipped["entries"]
    ]
    assert made["source"]["title"] == shipped["source"]["title"]
    assert made["source"]["date"] == "2018-03-26"
    assert made["source"]["interviewee"] == "Wang Yuejian"
    assert made["source"]["interviewers"] == ["Jia Xiaobie", "Yang Jialun"]
    assert "Hot search keywords" in proc.stderr and "Please sign in first" in proc.stderr
    assert askbot("check", str(out)).returncode == 0


def test_ingest_never_overwrites_without_force(askbot: Run, tmp_path) -> None:
    out = write(tmp_path / "out.yaml", "precious\n")
    proc = askbot("ingest", str(TRANSCRIPT), "-o", str(out))
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert out.read_text() == "precious\n"
    assert askbot("ingest", str(TRANSCRIPT), "-o", str(out), "--force").returncode == 0
    assert "entries:" in out.read_text()


def test_ingest_to_stdout_and_bad_input(askbot: Run, tmp_path) -> None:
    proc = askbot("ingest", str(TRANSCRIPT))
    assert proc.returncode == 0 and yaml.safe_load(proc.stdout)["entries"]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Q: caf\xe9?\nA: yes\n".encode("latin-1"))
    bad = askbot("ingest", str(latin))
    assert bad.returncode == 2 and bad.stderr == f"askbot: error: {latin}:1:7: not UTF-8 text\n"
    endless = askbot("ingest", "/dev/zero")
    assert endless.returncode == 2 and "/dev/zero: file is over the limit" in endless.stderr
    folder = askbot("ingest", str(tmp_path))
    assert folder.returncode == 2 and f"{tmp_path}: cannot read: Is a directory" in folder.stderr
    empty = askbot("ingest", str(write(tmp_path / "e.txt", "just prose\n")))
    assert empty.returncode == 2 and "found no interview" in empty.stderr


STYLES = {
    "q-dot": "Talk\n\nQ. Why cats?\nA. They purr.\n\nQ. Why dogs?\nA. They fetch.\n",
    "question-answer": (
        "Talk\n\nQuestion: Why cats?\nAnswer: They purr.\n\nQuestion: Why dogs?\nAnswer: They fetch.\n"
    ),
    "markdown": "# Talk\n\n**Q:** Why cats?\n\n**A:** They purr.\n\n**Q: Why dogs?**\n\n**A:** They fetch.\n",
    "speakers": (
        "Talk\n\nInterviewer: Why cats?\nJANE DOE: They purr.\n\nInterviewer: Why dogs?\nJANE DOE: They fetch.\n"
    ),
}


@pytest.mark.parametrize("text", STYLES.values(), ids=STYLES.keys())
def test_transcript_styles(text: str) -> None:
    parsed = ingest.parse(text)
    assert [(e.question, e.answer) for e in parsed.entries] == [
        ("Why cats?", "They purr."),
        ("Why dogs?", "They fetch."),
    ]
    assert parsed.source.title == "Talk"


def test_speaker_style_names_interviewee() -> None:
    assert ingest.parse(STYLES["speakers"]).source.interviewee == "Jane Doe"


INGEST = DATA / "ingest"
# fixture -> (first question, last question, one answer's exact text, asked by, answered by)
FIXTURES = {
    "headings.md": ("Which editor do you use?", "What would you tell a new engineer?",
                    "Vim, for twenty years now. I tried the others:\n\n- Emacs, for a year;\n- VS Code, for a month."
                    "\n\nNone of them stuck.", [], []),
    "bold.md": ("Why did you leave the bank?", "Tell us about your first company.",
                "Two steps, every evening:\n\na) follow the cards;\nb) repeat the cards.\n\n"
                "That is all there is to it.",
                [], []),
    "news.txt": ("How bad was last year's storm season?", "Will prices for shipping go up?",
                 "We rebuilt the drainage along the eastern quay and doubled the night crews.", [], []),
    "press.txt": ("Will the talks resume next week?", "Has the Secretary spoken to his counterpart?",
                  "In Geneva, as before.", [], ["Mr. Smith"]),
    "numbered.txt": ("Why did you start in politics?", "Will you run again?", "Ask me next spring.", [], []),
    "podcast.txt": ("So, Jane, how did it start?", "Why did you keep going after that?",
                    "A label printer driver. It sold forty copies.\n\nIt paid the rent for one month.",
                    ["Omar Haddad", "Kim Lee"], ["Jane Doe"]),
    "rev.txt": ("Our guests today are Raj Patel and Mia Chen. Raj, what does a farm look like in 2040?",
                "Raj, is water the real limit?",
                "Water and soil. Question: how many farms measure either? Almost none.",
                ["Anna Green"], ["Raj Patel", "Mia Chen"]),
    "pipes.txt": ("Luca, why open source?", "And how do you pay for it?", "Support contracts. Boring, and it works.",
                  ["Anna"], ["Luca Moretti"]),
    "captions.vtt": ("What made you write the book?", "How long did it take to write?",
                     "My grandmother's letters. I found two hundred of them in a box. They covered forty years.",
                     ["Priya Raman"], ["Ben Ortiz"]),
    "captions.srt": ("What made you write the book?", "How long did it take to write?",
                     "My grandmother's letters. I found two hundred of them in a box.", ["Host"], ["Ben Ortiz"]),
    "page-cp1252.html": ("Why did you open a café?", "Will you ever close?",
                         "- Coffee, naïvely strong;\n- crêpes on Sundays.", [], []),
    "page-gb18030.html": ("问：什么是区块链？", "问：杭州有什么优势？", "人才和生态。", [], []),
    "ama.md": ("Will the borrow checker get smarter?", "How long do builds take for you?",
               "Too long, honestly. About ten minutes.", [], ["Niko", "Esteban"]),
    "labels.html": ("How did you get into robotics?", "What is hard about warehouses?",
                    "By accident. I fixed a broken arm on a factory line.\n\nThen I never stopped.",
                    ["Interviewer"], ["Sam Porter"]),
    "record.txt": ("Where were you on the night of March 3?", "Who else was there?",
                   "Nobody. The cleaners had gone home.", ["Mr. Ortiz"], ["Ms. Lang"]),
    "italic.html": ("Why sourdough?", "What flour do you use?", "Rye, mostly. Some spelt.", [], []),
    "otter.txt": ("Welcome back. Today I'm with the captain of the night ferry, Tom Vega. Tom, how long have you "
                  "run this route?", "What is the hardest night you remember?",
                  "The January storm of 2019. We turned back twice.\nNobody on board slept.", ["Lena Ortiz"],
                  ["Tom Vega"]),
    "news-page.html": ("The Ledger: Food prices rose 12 percent last year. Will yours?", "What keeps you up at night?",
                       "By cutting what customers never see:\n\n1. fewer warehouses;\n2. shorter contracts.", [],
                       ["Dana Cole"]),
    "faq-details.html": ("How do I join?", "Is it free?", "Yes, for students.", [], []),
    "faq-dl.html": ("How do I reset my password?", "Can I change my username?", "No. Usernames are permanent.",
                    [], []),
}


@pytest.mark.parametrize("name", FIXTURES, ids=FIXTURES.keys())
def test_every_style_is_read(name: str) -> None:
    first, last, answer, askers, answerers = FIXTURES[name]
    parsed = ingest.read((INGEST / name).read_bytes(), name=name)
    questions = [e.question for e in parsed.entries]
    assert questions[0] == first and questions[-1] == last
    assert answer in [e.answer for e in parsed.entries]
    if askers:
        assert parsed.askers == askers
    if answerers:
        assert parsed.answerers == answerers


def test_page_furniture_never_reaches_an_answer() -> None:
    parsed = ingest.read((INGEST / "page-cp1252.html").read_bytes(), name="page.html")
    text = "\n".join(e.question + "\n" + e.answer for e in parsed.entries)
    for furniture in ("script", "Share on Facebook", "Home", "Great interview", "Related", "Photo", "©", "red"):
        assert furniture not in text
    assert parsed.source.title == "Café owner Renée Dupré: “We never close”"
    assert (parsed.source.publisher, parsed.source.date) == ("The Daily Page", "2020-02-11")
    assert parsed.source.url == "https://example.org/renee-dupre"
    kinds = " ".join(parsed.report.dropped)
    assert "caption" in kinds and "furniture" in kinds and "iframe" in kinds


def test_metadata_from_front_matter_and_byline() -> None:
    md = ingest.read((INGEST / "headings.md").read_bytes(), name="headings.md").source
    assert (md.title, md.date, md.interviewee, md.interviewers) == (
        "Five questions for Ada Byron", "2021-06-14", "Ada Byron", ("Sam Reed",)
    )
    news = ingest.read((INGEST / "news.txt").read_bytes(), name="news.txt").source
    assert (news.interviewers, news.date) == (("Lee Kim",), "2010-04-03")


def test_noise_only_at_edges_and_every_removal_reported() -> None:
    parsed = ingest.read((INGEST / "podcast.txt").read_bytes(), name="podcast.txt")
    assert "12m 40s" not in "".join(e.answer for e in parsed.entries)
    assert parsed.entries[1].answer.startswith("A label printer")
    lines = "\n".join(parsed.report.lines())
    for kind in ("timestamp line", "interviewer interjection", "inline timestamp", "greeting"):
        assert kind in lines
    bold = ingest.read((INGEST / "bold.md").read_bytes(), name="bold.md")
    assert bold.entries[-1].answer.endswith("anything since.")
    assert len(bold.report.dropped["share/ad/navigation line"]) == 2


def test_question_line_inside_an_answer_is_not_a_marker() -> None:
    parsed = ingest.read((INGEST / "rev.txt").read_bytes(), name="rev.txt")
    assert len(parsed.entries) == 3 and {e.speaker for e in parsed.entries} == {"Raj Patel", "Mia Chen"}


def test_ids_of_two_interviews_never_collide(askbot: Run, tmp_path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    text = "T\n\nQ: Why blockchain?\nA: {}.\n\nQ: Why now?\nA: Time.\n"
    write(tmp_path / "a.md", "# Ann Lee: on chains\n\n" + text.format("Trust"))
    write(tmp_path / "b.md", "# Bob Ray: on chains\n\n" + text.format("Speed"))
    assert askbot("ingest", str(tmp_path / "a.md"), "-o", str(one)).returncode == 0
    assert askbot("ingest", str(tmp_path / "b.md"), "-o", str(two)).returncode == 0
    assert askbot("check", str(one), str(two)).returncode == 0
    # No title and no interviewee in either, or the same person twice: still apart.
    write(tmp_path / "c.txt", text.format("Trust"))
    write(tmp_path / "d.txt", text.format("Speed").replace("Why now?", "Why here?"))
    three, four = tmp_path / "three.yaml", tmp_path / "four.yaml"
    assert askbot("ingest", str(tmp_path / "c.txt"), "-o", str(three)).returncode == 0
    assert askbot("ingest", str(tmp_path / "d.txt"), "-o", str(four)).returncode == 0
    assert askbot("check", str(three), str(four)).returncode == 0, askbot("check", str(three), str(four)).stdout


@pytest.mark.parametrize("kind", ["folder", "symlink", "fifo"])
def test_ingest_never_replaces_what_is_not_a_regular_file(askbot: Run, tmp_path, kind: str) -> None:
    target = tmp_path / "out.yaml"
    if kind == "folder":
        target.mkdir()
    elif kind == "symlink":
        target.symlink_to(tmp_path / "nowhere")
    else:
        os.mkfifo(target)
    proc = askbot("ingest", str(TRANSCRIPT), "-o", str(target), "--force")
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert (target.is_symlink() if kind == "symlink" else not target.is_file())


E2E = {
    "headings.md": "what editor does she use",
    "page-cp1252.html": "why open a cafe",
    "captions.vtt": "why did he write the book",
    "captions.srt": "how long to write the book",
    "podcast.txt": "what did you ship first",
    "press.txt": "where are the talks held",
}


@pytest.mark.parametrize("name", E2E, ids=E2E.keys())
def test_end_to_end_ingest_check_ask(askbot: Run, tmp_path, name: str) -> None:
    out = tmp_path / "kb.yaml"
    made = askbot("ingest", str(INGEST / name), "-o", str(out))
    assert made.returncode == 0, made.stderr
    assert askbot("check", str(out)).returncode == 0
    asked = askbot("ask", "--kb", str(out), "--json", E2E[name])
    assert asked.returncode == 0, asked.stdout
    answer = json.loads(asked.stdout)["answer"]
    assert answer in [e["answer"] for e in yaml.safe_load(out.read_text(encoding="utf-8"))["entries"]]


def test_stdin_to_stdout_with_format(askbot: Run) -> None:
    proc = askbot("ingest", "-", "-o", "-", "--format", "vtt", input=(INGEST / "captions.vtt").read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(proc.stdout)["entries"][0]["question"] == "What made you write the book?"
    assert "2 questions (vtt" in proc.stderr


def test_bad_documents_are_one_line_and_write_nothing(askbot: Run, tmp_path) -> None:
    out = tmp_path / "out.yaml"
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    page = write(tmp_path / "p.html", "<html><body><nav>Home</nav><p>Just a story.</p></body></html>")
    for path, message in ((binary, "binary file"), (page, "found no interview")):
        proc = askbot("ingest", str(path), "-o", str(out))
        assert proc.returncode == 2 and message in proc.stderr and proc.stderr.count("\n") == 1
        assert not out.exists()


def test_entry_limit_stops_while_parsing() -> None:
    text = "Q: Why?\nA: Because.\n" * (DEFAULT_LIMITS.max_entries + 1)
    with pytest.raises(ingest.IngestError, match="more than 100,000 questions"):
        ingest.parse(text)


def test_a_page_nested_beyond_any_real_one_is_refused_before_parsing() -> None:
    page = "<html><body>" + "<div>" * 100_000 + "<p><b>Why?</b></p><p>So.</p>" + "</div>" * 100_000 + "</body></html>"
    with pytest.raises(ingest.IngestError, match="nested more than 5,000 deep"):
        ingest.read(page.encode(), name="deep.html")


def test_verbose_lists_every_dropped_thing(askbot: Run) -> None:
    short = askbot("ingest", str(INGEST / "bold.md"))
    full = askbot("ingest", str(INGEST / "bold.md"), "--verbose")
    assert "dropped share/ad/navigation line x2, first at line 22: 'Share'" in short.stderr
    assert "at line 22: 'Share'" in full.stderr and "at line 24: 'Advertisement'" in full.stderr


@pytest.mark.parametrize("name", ["profile.md", "profile.txt"])
def test_a_lead_paragraph_is_reported_not_dropped_silently(askbot: Run, tmp_path, name: str) -> None:
    """The writer's lead before the first question is no answer; the report says it is left out,
    and neither the title nor the byline is counted with it."""
    lead = "Mark joined the Census team in March, after ten years building data pipelines."
    pairs = [("Why did you join?", "Because it matters."), ("What next?", "More of it.")]
    if name.endswith(".md"):
        asked = "".join(f"**{question}**\n\n{answer}\n\n" for question, answer in pairs)
    else:
        asked = "".join(f"Q: {question}\nA: {answer}\n" for question, answer in pairs)
    source = write(tmp_path / name, f"Meet Mark\n\nBy Ann Lee\n\n{lead}\n\n{asked}")
    made = askbot("ingest", str(source), "-o", str(tmp_path / "out.yaml"), "--verbose")
    assert made.returncode == 0, made.stderr
    reported = [line for line in made.stderr.splitlines() if "preamble before the first question" in line]
    assert reported == [f"askbot ingest: {source}: dropped {ingest.metadata.PREAMBLE} at line 5: {lead!r}"]
    entries = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))["entries"]
    assert [(e["question"], e["answer"]) for e in entries] == pairs


def test_link_definitions_after_the_last_answer_are_no_answer_words_lost(askbot: Run, tmp_path) -> None:
    """A uses-this page defines its links once, after the last answer: the block is markup, each
    line reported, and no cause for the warning that answerers' words went into no answer."""
    links = "".join(f"[tool{n}]: https://example.org/tool{n} \"Tool number {n}, a fine tool.\"\n" for n in range(30))
    page = (
        "# Meet Ann\n\n### Who are you, and what do you do?\n\nI write software with [tool1] and [tool2].\n\n"
        f"### What hardware do you use?\n\nA laptop and a desk.\n\n{links}"
    )
    made = askbot("ingest", str(write(tmp_path / "ann.md", page)), "-o", str(tmp_path / "ann.yaml"))
    assert made.returncode == 0, made.stderr
    assert "WARNING" not in made.stderr
    assert "dropped markup line (tag, image, link) x30, first at line 11" in made.stderr
    answers = [e["answer"] for e in yaml.safe_load((tmp_path / "ann.yaml").read_text(encoding="utf-8"))["entries"]]
    assert answers == ["I write software with [tool1] and [tool2].", "A laptop and a desk."]


def test_a_turn_of_noise_alone_changes_no_one_s_answer(tmp_path) -> None:
    """Bob's "[laughter]" before Ann answers is reported, and neither makes Bob the answerer nor
    counts as words an answerer said."""
    transcript = (
        "Panel on tools\n\nHost: Why do you build your own tools?\n\nBob: [laughter]\n\n"
        "Ann: Because nothing on the market fits the way our lab works, and we like to know every part.\n\n"
        "Host: And what about tests, Ann?\n\n"
        "Ann: We write them first, always, since the lab's data is precious and mistakes cost us weeks.\n\n"
        "Host: Bob, what do you use for notes?\n\n"
        "Bob: Paper notebooks, mostly, and a scanner on Fridays so the team can search them later.\n"
    )
    parsed = ingest.read(transcript.encode(), name="panel.txt")
    assert [(e.question, e.speaker) for e in parsed.entries] == [
        ("Why do you build your own tools?", "Ann"),
        ("And what about tests, Ann?", "Ann"),
        ("Bob, what do you use for notes?", "Bob"),
    ]
    assert [text for _, text in parsed.report.dropped["stage direction or marker"]] == ["[laughter]"]
    assert parsed.report.answer_share_dropped() == 0.0


def test_speaker_is_kept_shown_and_validated(askbot: Run, tmp_path) -> None:
    out = tmp_path / "panel.yaml"
    assert askbot("ingest", str(INGEST / "rev.txt"), "-o", str(out)).returncode == 0
    assert askbot("check", str(out)).returncode == 0
    asked = askbot("ask", "--kb", str(out), "--json", "where does the money come from")
    assert json.loads(asked.stdout)["source"]["speaker"] == "Mia Chen"
    text = askbot("ask", "--kb", str(out), "where does the money come from")
    assert "- Mia Chen · Panel: the future of farming" in text.stdout
    entry = "{id: a, question: Q?, answer: A., speaker: [x]}"
    bad = write(tmp_path / "bad.yaml", f"source: {{title: T}}\nentries:\n  - {entry}\n")
    checked = askbot("check", str(bad))
    assert checked.returncode == 1 and f"{bad}:3:48: 'speaker' must be text" in checked.stdout


def test_cli_offers_exactly_the_formats_ingest_reads() -> None:
    from askbot.app import cli

    assert cli.INGEST_FORMATS == ingest.FORMATS


def test_a_long_article_with_a_share_class_is_kept_and_its_share_bar_dropped() -> None:
    page = (
        '<html><body><div class="entry-content has-share-buttons"><p><strong>Why bees?</strong></p>'
        f"<p>{'They matter. ' * 300}</p><p><strong>Why now?</strong></p><p>Because spring.</p>"
        '<div class="share-bar">Share this</div></div><div id="comments"><p>Why not wasps?</p></div></body></html>'
    )
    parsed = ingest.read(page.encode(), name="wp.html")
    assert [e.question for e in parsed.entries] == ["Why bees?", "Why now?"]
    assert parsed.entries[1].answer == "Because spring."


def test_teaser_articles_are_not_taken_for_the_article() -> None:
    page = (
        '<html><body><div class="post"><h1>Talk</h1><p><strong>Why bees?</strong></p>'
        f"<p>{'They matter. ' * 100}</p><p><strong>Why now?</strong></p><p>Because spring.</p></div>"
        "<div><article><p>Teaser one.</p></article><article><p>Teaser two.</p></article></div></body></html>"
    )
    parsed = ingest.read(page.encode(), name="teaser.html")
    assert [e.question for e in parsed.entries][:2] == ["Why bees?", "Why now?"]


def test_utf16_text_and_an_undeclared_cp1252_page_are_read() -> None:
    text = "Q: Why?\nA: Because.\n\nQ: Café?\nA: Yes.\n"
    assert ingest.read(text.encode("utf-16"), name="u16.txt").entries[1].question == "Café?"
    page = "<html><body><p><b>Why?</b></p><p>Crêpes.</p><p><b>How?</b></p><p>So.</p></body></html>"
    assert ingest.read(page.encode("cp1252"), name="p.html").entries[0].answer == "Crêpes."


def test_guests_named_by_the_document_are_not_taken_for_hosts() -> None:
    from askbot.ingest import roles

    turns = [
        ("Ann", "Wiz and Simon, welcome to the show, it is great to have you both here today."),
        ("Simon", "Thank you."),
        ("Wiz", "Thanks for having us."),
        ("Ann", "So Wiz, people know you already. Simon, tell us about yourself and your work."),
        ("Simon", "I grew up in Sweden and worked as a developer for many years before I left to travel the world. "
                  "Do you travel much, Ann?"),
        ("Wiz", "I am from Hawaii and quit school young to work at an internet provider, then I moved to Japan and "
                "started building things for bitcoin full time since."),
        ("Ann", "How did the project start?"),
        ("Simon", "It started as a hobby project in 2019, built on weekends with a few friends. "
                  "Why do people still ask?"),
        ("Wiz", "And it grew because people trusted it, and they could run it at home themselves without asking "
                "anybody for permission at all, which matters a great deal to us."),
    ]
    assert roles.cast(turns).askers == {"Ann", "Simon"}  # by turns alone, Simon seems to host too
    assert roles.cast(turns, interviewees=["Wiz", "Simon"]).askers == {"Ann"}


@pytest.mark.parametrize(
    "block",
    ["    $ make test", "\t$ make test", "```\n$ make test\n```", "```\n$ make test"],
    ids=["indented", "tab", "fenced", "fence-unclosed"],
)
def test_a_code_block_closing_the_last_answer_is_kept_and_a_footer_is_not(block: str) -> None:
    text = (
        "# Talk with Ann\n\n**What is your setup?**\n\nA laptop, and this command:\n\n    $ make build\n\n"
        f"**What do you run last?**\n\nThe tests, with:\n\n{block}\n\nFollow us on Mastodon\n"
    )
    last = ingest.parse(text, fmt="md").entries[-1]
    assert last.answer == f"The tests, with:\n\n{block}"


def test_link_definitions_an_answer_uses_stay_in_it_and_others_go_reported() -> None:
    definitions = '[rg]: https://github.com/BurntSushi/ripgrep\n[FD]: https://github.com/sharkdp/fd "fd"'
    text = (
        "# Talk with Ann\n\n**What tools do you use?**\n\nI use [ripgrep][rg], [fd][] and [jq] daily.\n\n"
        f"{definitions}\n\n**What next?**\n\nA parser, [the  tool], and `a[i]` code.\n\n"
        "[The tool]: https://example.org/tool\n\n[i]: https://example.org/i\n"
    )
    parsed = ingest.parse(text, fmt="md")
    first, last = parsed.entries
    assert first.answer == f"I use [ripgrep][rg], [fd][] and [jq] daily.\n\n{definitions}"
    assert last.answer == "A parser, [the  tool], and `a[i]` code.\n\n[The tool]: https://example.org/tool"
    dropped = {kind: [text for _, text in found] for kind, found in parsed.report.dropped.items()}
    assert dropped == {"markup line (tag, image, link)": ["[i]: https://example.org/i"]}


@pytest.mark.parametrize(
    "line", ["[Ann]: yes indeed", "[rg]: https://example.org/rg"], ids=["not-a-definition", "inline-link-only"]
)
def test_what_is_no_definition_of_a_link_used_is_not_kept_as_one(line: str) -> None:
    assert not noise.defines_a_link_used(line, ["Ask [Ann]. See [ripgrep](https://example.org) or [rg](x)."])


def test_a_stamp_opening_a_later_paragraph_of_an_answer_is_taken_off_and_one_inside_a_sentence_stays() -> None:
    text = (
        "**Jerod Santo:** What else do you build?\n\n**Ann Lee:** Robots, mostly.\n\n"
        "\\[00:11:50.11\\] Let me see, what else... a chip reader, wired up at 10:30 every night.\n\n"
        "**Jerod Santo:** And next?\n\n**Ann Lee:** A cat feeder.\n"
    )
    first = ingest.parse(text, fmt="md").entries[0]
    assert first.answer == "Robots, mostly.\n\nLet me see, what else... a chip reader, wired up at 10:30 every night."


def test_only_a_bare_stamp_opening_a_paragraph_goes_not_a_verse_a_time_or_code() -> None:
    kept = [
        "(John 3:16) For God so loved the world.",
        "(at 10:30) we met.",
        "```\n\n[00:01:02] started\n```",
        "    [00:01:02] x",
    ]
    answer = "Robots, mostly.\n\n" + "\n\n".join(kept)
    text = (
        f"**Jerod Santo:** What else?\n\n**Ann Lee:** {answer}\n\n"
        "**Jerod Santo:** And next?\n\n**Ann Lee:** A cat feeder.\n"
    )
    assert ingest.parse(text, fmt="md").entries[0].answer == answer


def test_in_plain_text_an_indented_sign_off_after_the_last_answer_is_still_page_text() -> None:
    text = "Q: Why boats?\nA: Because water.\n\nQ: Why now?\nA: Spring.\n\n        The Weekly Interview\n"
    assert ingest.parse(text, fmt="txt").entries[-1].answer == "Spring."


def test_a_break_label_ends_the_answer_and_is_nobody() -> None:
    text = (
        "**Jerod Santo:** Why did you start the company?\n\n**Ann Lee:** To fix invoices. They were a mess.\n\n"
        "**Break:** \\[24:40\\]\n\nThis episode is brought to you by Acme.\n\n"
        "**Jerod Santo:** \\[25:10\\] What came next?\n\n**Ann Lee:** Payroll, two years later.\n"
    )
    parsed = ingest.parse(text, fmt="md")
    assert [(e.question, e.answer) for e in parsed.entries] == [
        ("Why did you start the company?", "To fix invoices. They were a mess."),
        ("What came next?", "Payroll, two years later."),
    ]
    assert parsed.answerers == ["Ann Lee"]


def test_an_interviewer_label_opening_one_question_is_not_its_text() -> None:
    parsed = ingest.parse("# Talk\n\n**Interviewer: Why boats?**\n\nBecause water.\n\n**Why now?**\n\nSpring.\n")
    assert [e.question for e in parsed.entries] == ["Why boats?", "Why now?"]
