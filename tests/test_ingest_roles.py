"""Turns, then roles, then source details: ingest decides who asks from what the turns do."""

from __future__ import annotations

from askbot import ingest


def _pairs(text: str, fmt: str = "txt") -> list[tuple[str, str]]:
    return [(e.question, e.answer) for e in ingest.parse(text, fmt=fmt).entries]


def test_one_word_answers_are_answers() -> None:
    text = "Ten questions\n\nPaul: What drives you?\n\nMaria Lopez: Curiosity.\n\nPaul: Favourite tool?\n\n" \
           "Maria Lopez: Pencils.\n\nPaul: And the best advice you got?\n\nMaria Lopez: Sleep.\n"
    assert _pairs(text) == [
        ("What drives you?", "Curiosity."), ("Favourite tool?", "Pencils."), ("And the best advice you got?", "Sleep.")
    ]


def test_bold_question_mark_labels_on_a_page_ask() -> None:
    page = (
        "<html><body><article><h1>Talk with Ann Bell</h1><p><b>?</b>: Who are you and what do you do?</p>"
        "<p><b>AB</b>: I am a printer and I print books all day.</p><p><b>?</b>: Why printing?</p>"
        "<p><b>AB</b>: Because ink smells good to me.</p></article></body></html>"
    )
    parsed = ingest.parse(page, fmt="html")
    assert [(e.question, e.answer) for e in parsed.entries] == [
        ("Who are you and what do you do?", "I am a printer and I print books all day."),
        ("Why printing?", "Because ink smells good to me."),
    ]
    assert parsed.source.interviewee == "Ann Bell"  # "AB" resolved from the heading


def test_an_accordion_faq_keeps_the_questions_its_heading_buttons_hold() -> None:
    item = (
        '<h2 class="accordion__heading"><button class="accordion__button" aria-controls="{n}">{q}</button></h2>'
        '<div id="{n}" class="accordion__content"><p>{a}</p><button class="close">Close</button></div>'
    )
    faq = [("How do I sign up?", "Create an account on the site first."), ("Is it free?", "Yes, for agencies.")]
    items = "".join(item.format(n=n, q=q, a=a) for n, (q, a) in enumerate(faq))
    page = f"<html><body><main>{items}</main></body></html>"
    assert [(e.question, e.answer) for e in ingest.parse(page, fmt="html").entries] == faq


def test_a_hidden_or_share_button_in_a_heading_is_still_page_chrome() -> None:
    page = (
        "<html><body><main>"
        '<h2>How do I sign up?<button aria-hidden="true">Copy link</button></h2><p>Create an account first.</p>'
        '<h2>Is it free?<button class="share-button">Share</button></h2><p>Yes, for agencies.</p>'
        "<p>Questions? <button>Contact us</button></p></main></body></html>"
    )
    parsed = ingest.parse(page, fmt="html")
    assert [(e.question, e.answer) for e in parsed.entries] == [
        ("How do I sign up?", "Create an account first."),
        ("Is it free?", "Yes, for agencies.\n\nQuestions?"),
    ]


def test_page_heading_byline_date_and_source_url() -> None:
    page = (
        "<html><head><title>Journal - by Aleksey Dolya</title></head><body><article>"
        "<p>by Aleksey Dolya, 2003 July 29th</p><h1>Interview with Brian Kernighan</h1>"
        "<p>Source: https://example.org/article/7035</p><p><b>LJ</b>: Why C?</p>"
        "<p><b>BK</b>: Because it was there and small.</p><p><b>LJ</b>: What next?</p>"
        "<p><b>BK</b>: AWK, and then more books.</p></article></body></html>"
    )
    source = ingest.parse(page, fmt="html").source
    assert source.title == "Interview with Brian Kernighan"
    assert source.interviewee == "Brian Kernighan" and source.interviewers == ("Aleksey Dolya",)
    assert source.date == "2003-07-29" and source.url == "https://example.org/article/7035"


def test_front_matter_title_over_two_lines_is_whole_and_we_chatted_with_names_the_guest() -> None:
    text = (
        "---\ntitle: >\n  A conversation about learning\n  and teaching | Dr. Fei-Fei Li\nurl: https://example.org/a\n---\n\n"
        "This week we chatted with Talley Lambert.\n\n**Q: Why Python?**\n\nBecause.\n\n**Q: Why now?**\n\nTime.\n"
    )
    source = ingest.parse(text, fmt="md").source
    assert source.title == "A conversation about learning and teaching | Dr. Fei-Fei Li"
    assert source.interviewee == "Talley Lambert" and source.url == "https://example.org/a"


def test_attribution_lines_are_not_answer_text() -> None:
    text = "# AMA\n\n**What is your favourite editor?**\n\n*Asked by @rustfan*\n\nVim, always.\n\n" \
           "**Why Rust?**\n\n_Question from u/ferris_\n\nBecause it is safe.\n"
    assert _pairs(text, "md") == [
        ("What is your favourite editor?", "Vim, always."), ("Why Rust?", "Because it is safe.")
    ]


PODCAST = """The show

Jerod Santo: Today we're joined by both authors, Andy Hunt and Dave Thomas. Thanks for coming on the show.

Andy Hunt: Thanks for having us, it's great to be back here.

Jerod Santo: So what changed in the twenty years since the first edition came out?

Dave Thomas: Everything and nothing. Isn't that the way with books? People have not changed that much at all.

Andy Hunt: And the tools changed around them, which is why we rewrote a third of the book for this edition, \
from version control to the way teams test and ship their code every day.

Jerod Santo: Right.

Andy Hunt: The rest held up better than we expected, honestly, when we read it again last year together.

Jerod Santo: Why do a second edition at all, then?

Andy Hunt: Because the examples had aged badly, and readers kept writing to us about them every single week.
"""


def test_introduced_guests_answer_even_when_they_ask_and_each_gets_a_pair() -> None:
    parsed = ingest.parse(PODCAST)
    assert parsed.askers == ["Jerod Santo"]
    assert set(parsed.answerers) == {"Andy Hunt", "Dave Thomas"}
    entries = [(e.question, e.speaker, e.answer) for e in parsed.entries]
    question = "So what changed in the twenty years since the first edition came out?"
    assert entries[0][:2] == (question, "Dave Thomas")
    assert entries[1][:2] == (question, "Andy Hunt")
    assert entries[1][2].endswith("last year together.") and "Right." not in entries[1][2]  # the host's aside
    assert entries[2][:2] == ("Why do a second edition at all, then?", "Andy Hunt")


WITNESS = "That is how I see it after twenty years of building networks and data centres, and I would be glad to \
send the committee a longer written answer with the figures behind it."


def test_a_panel_of_questioners_sharing_a_title_all_ask() -> None:
    text = "Committee\n\n" + "".join(
        f"Senator {name}: Thank you, chair. {question}\n\nAA: {answer} {WITNESS}\n\n"
        for name, question, answer in [
            ("Greene", "What is the biggest risk to growth that you can see?", "Security of keys, mostly, today."),
            ("Black", "I am finding this fascinating and I am grateful you came all this way to see us. "
                      "I have a long preamble. Who regulates it?", "Nobody does, and that is by design, I think."),
            ("Greene", "And what would you advise us to do about it?", "Wait, watch, and learn before acting."),
            ("Moore", "Who are its largest users right now?", "Traders and people who send money home."),
        ]
    )
    parsed = ingest.parse(text)
    assert set(parsed.askers) == {"Senator Greene", "Senator Black", "Senator Moore"}
    assert len(parsed.entries) == 4


def test_a_guest_who_asks_another_guest_by_name_asks_a_question() -> None:
    text = (
        "Episode 9\n\nHost: Welcome. We have Liz Stark and Jack Dorsey with us today.\n\n"
        "Liz Stark: Thanks for having us, it's a pleasure to be here today.\n\n"
        "Host: Liz, what is Lightning, in a few words for our listeners?\n\n"
        "Liz Stark: A fast payment layer on top of Bitcoin, built by many teams around the world.\n\n"
        "Liz Stark: Jack, I'd love to hear how you found out about the torch, tell us?\n\n"
        "Jack Dorsey: A member of our team told me about it, and I decided to join in that day.\n"
    )
    questions = [(e.question, e.speaker) for e in ingest.parse(text).entries]
    assert questions[-1] == ("Jack, I'd love to hear how you found out about the torch, tell us?", "Jack Dorsey")


HANDOVER = """Lenny Rachitsky (00:00:00):
Today my guest is Dr. Fei-Fei Li. Fei-Fei, welcome to the podcast.

Fei-Fei Li (00:01:10):
Thank you, Lenny. I am excited to be here.

Lenny Rachitsky (00:01:20):
There is so much I want to cover, but I think it'd be really interesting to hear from you just the brief history of \
ImageNet.

Fei-Fei Li (00:01:50):
So ImageNet started in 2007 when I was at Princeton, and the idea was that data was the missing piece.

Fei-Fei Li (00:25:10):
And we labelled fifteen million images, 40X more than before, with crowd workers all over the world.

Lenny Rachitsky (00:26:00):
40X?

Fei-Fei Li (00:26:02):
Yes, 40X.

Lenny Rachitsky (00:27:00):
How did you decide to start World Labs?

Fei-Fei Li (00:27:10):
It came from a belief that spatial intelligence is the next frontier after language.
"""


def test_a_hand_over_without_a_question_mark_asks_and_an_echo_does_not() -> None:
    entries = ingest.parse(HANDOVER, fmt="md").entries
    assert [e.question for e in entries] == [
        "There is so much I want to cover, but I think it'd be really interesting to hear from you just the brief "
        "history of ImageNet.",
        "How did you decide to start World Labs?",
    ]
    assert entries[0].answer.startswith("So ImageNet started") and entries[0].answer.endswith("all over the world.")
    assert "00:25:10" not in entries[0].answer and "Yes, 40X." not in entries[0].answer


def test_one_question_answered_under_each_persons_heading() -> None:
    text = (
        "---\ntitle: Looking back\n---\n\nWe asked the team: “What did you learn this year?”\n\n"
        "## Ann Lee, Product Designer\n\nThat research takes longer than we plan for, and is worth it every time.\n\n"
        "## Bo Li, Engineer\n\nThat deleting code is the most productive thing I did all year, by far.\n"
    )
    parsed = ingest.parse(text, fmt="md")
    assert [(e.question, e.speaker) for e in parsed.entries] == [
        ("What did you learn this year?", "Ann Lee"), ("What did you learn this year?", "Bo Li")
    ]
    assert parsed.entries[1].answer == "That deleting code is the most productive thing I did all year, by far."


def test_an_answerer_asking_back_is_neither_question_nor_answer() -> None:
    text = (
        "Press gaggle\n\nQ: A colleague asks whether the United States will support waiving patent restrictions "
        "on vaccines?\n\nMS. PSAKI: So patent restrictions, are you talking about? Just to make sure.\n\n"
        "Q: Yes, patents.\n\nMS. PSAKI: We are looking at the most effective way to get vaccines out, and we will "
        "say more on that soon.\n\nQ: And on trade?\n\nMS. PSAKI: Nothing new on trade today, I am afraid, from here.\n"
    )
    entries = ingest.parse(text).entries
    assert entries[0].answer.startswith("We are looking at the most effective way")
    assert "are you talking about" not in entries[0].answer and len(entries) == 2


def test_an_answerers_backchannel_after_a_host_aside_is_not_answer_text() -> None:
    text = (
        "Go Time\n\nHost: You talked about Rust a little bit. Where do you see it going next, in the browser?\n\n"
        "Russ Cox: I think people are itching for something that's not JavaScript, and the browser is a computer.\n\n"
        "Host: It's picking up steam for sure.\n\nRuss Cox: Yeah!\n\n"
        "Host: And what about Go in the browser, will that happen too?\n\n"
        "Russ Cox: It already runs there through WebAssembly, slowly, and it will get faster.\n"
    )
    entries = ingest.parse(text).entries
    assert entries[0].answer == (
        "I think people are itching for something that's not JavaScript, and the browser is a computer."
    )


def test_a_call_for_attention_is_no_question_but_a_one_word_question_is() -> None:
    text = (
        "Hearing\n\nMR. LIMAN. Was it true what you testified at your deposition in May?\n\n"
        "MR. HAKIM. It was true as far as I knew then, and I have said so since, many times.\n\n"
        "MR. LIMAN. Mr. Hakim?\n\nMR. HAKIM. Yes, sir.\n\nMR. LIMAN. Why?\n\n"
        "MR. HAKIM. Because nobody told me otherwise.\n"
    )
    assert [e.question for e in ingest.parse(text).entries] == [
        "Was it true what you testified at your deposition in May?", "Why?"
    ]


def test_dashes_in_captions_without_names_mark_the_speakers() -> None:
    cues = [
        "- Welcome back. Today I'm talking with Tom Berg.", "- Thanks, Anna.", "- Why did you start making films?",
        "- I grew up near a cinema and\nspent every Saturday there.", "It felt like the only place stories were real.",
        "- What was your first film?\n- A short about my grandfather's boat.",
    ]
    srt = "".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\n{cue}\n\n" for n, cue in enumerate(cues, 1))
    parsed = ingest.read(srt.encode(), name="talk.srt")
    assert [(e.question, e.answer) for e in parsed.entries] == [
        ("Why did you start making films?",
         "I grew up near a cinema and spent every Saturday there. It felt like the only place stories were real."),
        ("What was your first film?", "A short about my grandfather's boat."),
    ]


def test_a_guest_named_in_full_in_the_opening_turns_is_the_interviewee() -> None:
    srt = (
        "1\n00:00:01,000 --> 00:00:04,000\nANNA: Welcome back. Today I'm talking with Tom Berg.\n\n"
        "2\n00:00:04,500 --> 00:00:06,000\nTOM: Thanks, Anna.\n\n"
        "3\n00:00:06,500 --> 00:00:09,000\nANNA: Why did you start making films?\n\n"
        "4\n00:00:09,500 --> 00:00:14,000\nTOM: I grew up near a cinema and spent every Saturday there.\n"
    )
    source = ingest.read(srt.encode(), name="talk.srt").source
    assert source.interviewee == "Tom Berg" and source.title == "Interview with Tom Berg"


def test_one_interviewer_prompting_without_a_question_mark_asks() -> None:
    text = (
        "User study, participant 6\n\nDan: Could you talk about your current approach to model explanations?\n\n"
        "Participant: We train a random forest, look at the feature importance and then plot the top features "
        "one by one to see what they mean for the predictions.\n\n"
        "Dan: Okay, so you use permutation importance to compute the feature importance then.\n\n"
        "Participant: For each feature we compute permutation importance, plot it on the graph and look at the "
        "top ten of them, mostly on the whole data set, because our server is powerful enough for that. Then we "
        "go back to the team lead with the plots and decide which features to look at more closely.\n"
    )
    assert [e.question for e in ingest.parse(text).entries] == [
        "Could you talk about your current approach to model explanations?",
        "Okay, so you use permutation importance to compute the feature importance then.",
    ]


def test_hosts_answering_heading_questions_each_get_a_pair() -> None:
    text = (
        "# Ask us anything\n\n**Mat Ryer:** Welcome. I'm joined by Johnny Boursiquot and Jon Calhoun.\n\n"
        "## How do you test HTTP handlers?\n\n**Mat Ryer:** I use httptest, every time, and I keep handlers small "
        "so they're easy to call from tests, which also keeps them easy to read later on.\n\n"
        "## What editor do you use?\n\n**Jon Calhoun:** VS Code with the Go extension, mostly because my students "
        "use it too and I want to see what they see when they get stuck.\n\n**Mat Ryer:** I'm on VS Code as well "
        "these days, after years of Sublime Text and a short affair with Vim that ended badly for both of us.\n"
    )
    assert [(e.question, e.speaker) for e in ingest.parse(text, fmt="md").entries] == [
        ("How do you test HTTP handlers?", "Mat Ryer"),
        ("What editor do you use?", "Jon Calhoun"),
        ("What editor do you use?", "Mat Ryer"),
    ]


def test_witnesses_and_counsel_who_are_all_mr_keep_their_roles() -> None:
    text = "Hearing\n\n" + "".join(
        f"Mr. {asker}. {question}\nMr. {witness}. {answer}\n"
        for asker, question, witness, answer in [
            ("LIMAN", "Mr. Secord, when did you first meet the colonel?", "SECORD",
             "In the spring of 1985, at a hotel in London, through a friend who knew us both."),
            ("LIMAN", "And what did you discuss at that meeting?", "HAKIM",
             "Mostly business in general, and working together on shipments later that year."),
            ("NIELDS", "Mr. Hakim, did you pay for anything?", "HAKIM",
             "Only the dinner, which was at a small place near the hotel that we both liked."),
        ]
    )
    parsed = ingest.parse(text)
    assert set(parsed.askers) == {"Mr. Liman", "Mr. Nields"}
    assert set(parsed.answerers) == {"Mr. Secord", "Mr. Hakim"}


def test_a_guest_naming_another_mid_answer_is_still_answering() -> None:
    text = (
        "Roundtable\n\nHost: What is the hardest part of maintaining Bitcoin Core today?\n\n"
        "Gloria Zhao: Review. There is never enough of it, and, Ava, you'd agree? Everyone wants features but few "
        "people want to read other people's code carefully for weeks at a time.\n\n"
        "Ava Chow: I would, and I think it is also the testing burden, which grows with every feature we add.\n"
    )
    entries = ingest.parse(text).entries
    assert [e.question for e in entries] == ["What is the hardest part of maintaining Bitcoin Core today?"]
    assert entries[0].answer.startswith("Review. There is never enough of it")


def test_a_re_prompt_puts_the_same_question_to_the_next_answerer() -> None:
    text = (
        "Go Time\n\nMat Ryer: Is anyone worried about us overusing generics, now that they are here?\n\n"
        "Sameer Ajmani: A little, yes, because every new feature gets overused in its first year, and this one "
        "more than most, since people have waited so long for it.\n\n"
        "Mat Ryer: Any other takers?\n\n"
        "Keith Randall: I worry less. The compiler work makes generic code fast enough that the temptation is "
        "about style, not speed, and style is something reviews can fix over time.\n\n"
        "Mat Ryer: What about error handling after generics, will that change at all?\n\n"
        "Sameer Ajmani: We tried the try proposal, and the community said no, so not soon.\n"
    )
    entries = ingest.parse(text).entries
    question = "Is anyone worried about us overusing generics, now that they are here?"
    assert [(e.question, e.speaker) for e in entries][:2] == [(question, "Sameer Ajmani"), (question, "Keith Randall")]


def test_faq_questions_without_a_question_mark_or_a_blank_line_after_them() -> None:
    bold = (
        "# FAQ\n\n**What is cloud.gov?**\n\nA platform for federal teams.\n\n**How much does it cost?**\n\n"
        "It depends on the package.\n\n**Tell me about security**\n\nEvery app runs in an isolated container.\n"
    )
    assert _pairs(bold, "md")[1:] == [
        ("How much does it cost?", "It depends on the package."),
        ("Tell me about security", "Every app runs in an isolated container."),
    ]
    plain = (
        "Frequently asked questions\n\nWhat is cloud.gov?\nA platform for federal teams.\n\n"
        "How much does it cost?\nIt depends on the package your agency buys.\n"
    )
    assert _pairs(plain) == [
        ("What is cloud.gov?", "A platform for federal teams."),
        ("How much does it cost?", "It depends on the package your agency buys."),
    ]


def test_a_host_aside_a_co_guest_agrees_with_does_not_end_the_answer() -> None:
    text = (
        "Episode 32\n\nAdam Jonas: How did the first users find the library, and who were they?\n\n"
        "Alekos Filini: A bunch of people slowly started to join. Justin was the first user who came and "
        "started contributing a little bit, and then Lloyd, who was building a wallet.\n\n"
        "Adam Jonas: Go up a number.\n\nDaniela Brozzoni: Yep, exactly.\n\n"
        "Alekos Filini: And with Lloyd and a few other people joining, it became a more mature project.\n\n"
        "Adam Jonas: And where is the project today, now that it has grown?\n\n"
        "Daniela Brozzoni: Today it works for most easy use cases, and we are rewriting the core for version one.\n"
    )
    entries = ingest.parse(text).entries
    assert [e.question for e in entries] == [
        "How did the first users find the library, and who were they?",
        "And where is the project today, now that it has grown?",
    ]
    assert entries[0].answer.startswith("A bunch of people")
    assert entries[0].answer.endswith("it became a more mature project.")
    assert "Go up a number" not in entries[0].answer and "Yep, exactly" not in entries[0].answer


def test_a_host_handing_over_by_name_without_a_question_mark_asks() -> None:
    text = (
        "Go Time 210\n\nMat Ryer: Hello and welcome. What does a product manager do for a language, Cameron?\n\n"
        "Cameron Balahan: I'm a product manager on the Go team, and I look after what developers need from "
        "the language, the tools and the documentation, and how we hear about it.\n\n"
        "Mat Ryer: Very interesting. We're also joined by Rob Findley. Rob, you do the tool side of things, "
        "particularly the generics, recently...\n\n"
        "Rob Findley: Correct, yeah. I'm on the Go Tools team at Google, and we work on gopls. Recently I have "
        "also been working on support for generics in the type checker and the parser.\n\n"
        "Mat Ryer: And what will generics change for the tools, Cameron?\n\n"
        "Cameron Balahan: Editors will understand type parameters, and the tools will suggest them for code "
        "that repeats itself for each type.\n\nMat Ryer: When does that ship?\n\n"
        "Rob Findley: In the next release of gopls, with the language release after it, early next year.\n"
    )
    entries = ingest.parse(text).entries
    assert len(entries) == 4
    assert entries[1].question.endswith("Rob, you do the tool side of things, particularly the generics, recently...")
    assert entries[1].answer.startswith("Correct, yeah. I'm on the Go Tools team")


def test_a_heading_that_thanks_then_requests_is_a_question() -> None:
    text = (
        "# Building capacity\n\nWe chatted with Bill about his work.\n\n"
        "### Thanks for taking the time to chat with us Bill. Let’s begin with your background before the project.\n\n"
        "I have been with the division for about 20 years, lately leading complaint intake.\n\n"
        "### What was your first reaction to the proposal?\n\nWide-eyed: it all seemed new.\n\n"
        "### How did your comfort with the practices change?\n\nWe showed value in small increments.\n"
    )
    assert _pairs(text, "md")[0] == (
        "Thanks for taking the time to chat with us Bill. Let’s begin with your background before the project.",
        "I have been with the division for about 20 years, lately leading complaint intake.",
    )


def test_a_hosts_closing_thanks_ends_the_answer_and_the_guests_thanks_are_no_answer() -> None:
    text = (
        "Bitcoin Magazine\n\nShinobi: What do you make of the new proposal to turn the old opcodes back on?\n\n"
        "Christian Decker: It is a sensible path, with a budget that keeps validation costs bounded for nodes.\n\n"
        "Shinobi: So overall, you are feeling positive about where things are going?\n\n"
        "Christian Decker: It feels very much like a breath of fresh air after years of infighting.\n\n"
        "Shinobi: All right, well, I'd like to thank you for sitting down with me, Christian.\n\n"
        "Christian Decker: Hey, thank you so much, Shinobi.\n"
    )
    entries = ingest.parse(text).entries
    assert entries[-1].answer == "It feels very much like a breath of fresh air after years of infighting."


def test_an_opening_answer_that_introduces_its_speaker_names_the_interviewee() -> None:
    text = (
        "# Jesse Thorn\n\n### Who are you, and what do you do?\n\nI'm Jesse Thorn. I host a radio show.\n\n"
        "### What hardware do you use?\n\nA desktop PC I bought at Costco.\n\n"
        "### And what software?\n\nAdobe Audition, to record and edit.\n"
    )
    source = ingest.parse(text, fmt="md").source
    assert source.title == "Jesse Thorn" and source.interviewee == "Jesse Thorn"


def test_front_matter_is_read_as_yaml_escaped_line_breaks_and_all() -> None:
    text = (
        '---\ndate: 2024-01-12\ntitle: "Press Gaggle by Deputy Press Secretary Andrew Bates and NSC Coordinator for\\\n'
        '  \\ Strategic Communications John Kirby En Route Allentown,\\_PA"\n---\n\n'
        "Q: What did the strikes hit?\n\nMR. KIRBY: Radar and missile sites.\n\n"
        "Q: Will there be more?\n\nMR. KIRBY: We will not rule it out.\n"
    )
    source = ingest.parse(text, fmt="md").source
    assert source.title == (
        "Press Gaggle by Deputy Press Secretary Andrew Bates and NSC Coordinator for Strategic Communications "
        "John Kirby En Route Allentown, PA"
    )
    assert source.date == "2024-01-12"
