"""``askbot ingest`` on PDF and Word files, hostile ones, URLs, source details and the report."""

from __future__ import annotations

import http.server
import io
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import yaml

from askbot import ingest
from askbot.settings import Limits
from conftest import Run, write
from ingest_documents import docx, docx_bomb, docx_paragraph, flate_of_zeros, pdf

HEARING = [
    ["Committee on Things", "Hearing of March 3, 2020", "MR. SMITH. Why did you go to the meeting?",
     "MS. DOE. Because I was asked to go there by the staff.", "MR. SMITH. What did you see?",
     "MS. DOE. I saw the report on the table.", "Page 1 of 2"],
    ["Committee on Things", "MR. SMITH. Who wrote it?", "MS. DOE. The committee staff wrote it.", "Page 2 of 2"],
]


def _ingest(askbot: Run, source: Path, *extra: str) -> tuple[dict, str]:
    out = source.with_suffix(".yaml")
    proc = askbot("ingest", str(source), "-o", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(out.read_text(encoding="utf-8")), proc.stderr


def test_pdf_hearing_becomes_pairs_without_page_furniture(askbot: Run, tmp_path: Path) -> None:
    made, stderr = _ingest(askbot, write_bytes(tmp_path / "hearing.pdf", pdf(HEARING)))
    assert [(e["question"], e["answer"]) for e in made["entries"]] == [
        ("Why did you go to the meeting?", "Because I was asked to go there by the staff."),
        ("What did you see?", "I saw the report on the table."),
        ("Who wrote it?", "The committee staff wrote it."),
    ]
    assert made["source"]["interviewee"] == "Ms. Doe" and made["source"]["interviewers"] == ["Mr. Smith"]
    assert "pdf" in stderr and "page header, footer or number" in stderr


def test_pdf_margin_line_numbers_stay_out_of_answers() -> None:
    numbered = [[f"{n} {line}" for n, line in enumerate(page, 1)] for page in HEARING]
    entries = ingest.read(pdf(numbered), name="numbered.pdf").entries
    assert [e.answer for e in entries][0] == "Because I was asked to go there by the staff."


def test_a_sentence_over_a_page_break_stays_one_paragraph() -> None:
    """A running header set off by lines of a space (as the Fed's transcripts print it) leaves
    them at the page's top once removed; the answer read on over the break has no blank line."""
    pages = [
        ["Committee on Things", " ", "Page 1 of 2", " ", "MR. SMITH. Why did you go to the meeting?",
         "MS. DOE. Because I was asked to go there by"],
        ["Committee on Things", " ", "Page 2 of 2", " ", "the staff, and I went.", "MR. SMITH. Who wrote it?",
         "MS. DOE. The committee staff wrote it."],
    ]
    entries = ingest.read(pdf(pages), name="hearing.pdf").entries
    assert [e.answer for e in entries] == ["Because I was asked to go there by\nthe staff, and I went.",
                                           "The committee staff wrote it."]
    only_header = ["Committee on Things", " ", "Page 2 of 3", " "]
    over_a_blank_page = [pages[0], only_header, [*pages[1][:2], "Page 3 of 3", *pages[1][3:]]]
    assert [e.answer for e in ingest.read(pdf(over_a_blank_page), name="hearing.pdf").entries] == [
        e.answer for e in entries
    ]


def test_a_paragraph_break_at_a_page_break_is_kept_after_a_sentence_end() -> None:
    """Paragraphs set apart by blank lines (a document saved as PDF from a word processor): a
    question opening the next page after an answer that ends the last stays a question."""
    header = ["Talk with Ann", " "]
    pages = [
        [*header, "Page 1 of 2", " ", "Why did you start?", " ", "Because I liked it.", " ",
         "What did your parents do?", " ", "My father fished and my mother kept the shop.", " "],
        [*header, "Page 2 of 2", " ", "When did you leave home?", " ", "At eighteen, for the city."],
    ]
    entries = ingest.read(pdf(pages), name="ann.pdf").entries
    assert [(e.question, e.answer) for e in entries] == [
        ("Why did you start?", "Because I liked it."),
        ("What did your parents do?", "My father fished and my mother kept the shop."),
        ("When did you leave home?", "At eighteen, for the city."),
    ]


def test_word_document_headings_and_bold_questions(askbot: Run, tmp_path: Path) -> None:
    document = docx([
        docx_paragraph("A conversation about static sites", style="Heading1"),
        docx_paragraph("Why did you start?", bold=True),
        docx_paragraph("Because it was fun."),
        docx_paragraph("What comes next?", bold=True),
        docx_paragraph("More of the same, and soon."),
    ])
    made, _ = _ingest(askbot, write_bytes(tmp_path / "talk.docx", document))
    assert made["source"]["title"] == "A conversation about static sites"
    assert [(e["question"], e["answer"]) for e in made["entries"]] == [
        ("Why did you start?", "Because it was fun."),
        ("What comes next?", "More of the same, and soon."),
    ]


HOSTILE = {
    "pdf-bomb": lambda: pdf([["x"]], filtered={0: flate_of_zeros(200 << 20)}),
    "pdf-page-tree-loop": lambda: pdf([["Q: a?", "A: b"]], pages_tree=b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"),
    "docx-zip-bomb": lambda: docx_bomb(64 << 20),
    "docx-entity-bomb": lambda: docx([], document=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
                                                  b'<!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'),
    "encrypted-office": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048),
    "encrypted-pdf": lambda: _encrypted(pdf(HEARING), "secret"),
    # A download cut short: pypdf logs what it repairs ("EOF marker not found"), never on stderr.
    "pdf-cut-short": lambda: pdf(HEARING)[: len(pdf(HEARING)) // 2],
}
EXPECTED = {
    "pdf-bomb": "past a safety limit",
    "pdf-page-tree-loop": "cyclic page references",
    "docx-zip-bomb": "inflates to 67,108,864 bytes",
    "docx-entity-bomb": "declares entities",
    "encrypted-office": "encrypted Office file",
    "encrypted-pdf": "encrypted PDF that needs a password",
    "pdf-cut-short": "a damaged PDF",
}


def _encrypted(data: bytes, password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_document_is_one_error_line_in_bounded_time_and_memory(kind: str, tmp_path: Path) -> None:
    source = write_bytes(tmp_path / ("doc.pdf" if "pdf" in kind else "doc.docx"), HOSTILE[kind]())
    started = time.perf_counter()
    proc = _measured_ingest(source)
    assert time.perf_counter() - started < 20
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"askbot: error: {source}: "), proc.stderr
    assert EXPECTED[kind] in lines[0]
    assert int(lines[1]) < 400_000  # peak RSS in kB: the bomb was never inflated whole


def test_pdf_with_an_empty_user_password_is_read() -> None:
    assert len(ingest.read(_encrypted(pdf(HEARING), ""), name="open.pdf").entries) == 3


def test_fifty_megabyte_pdf_in_bounded_memory(tmp_path: Path) -> None:
    image = b"<< /Length %d >>\nstream\n" % (50 << 20) + bytes(50 << 20) + b"\nendstream"
    source = write_bytes(tmp_path / "big.pdf", pdf(HEARING, extra=[image]))
    assert source.stat().st_size > 50 << 20
    proc = _measured_ingest(source, "-o", str(tmp_path / "big.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stderr.strip().splitlines()[-1]) < 400_000


def _measured_ingest(source: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``askbot ingest`` in a child whose last stderr line is its peak memory (kB): the high-water
    mark of its own memory (``VmHWM``), not ``ru_maxrss``, which Linux keeps across ``exec`` from
    the forking process (this test process, large once a sentence model is loaded)."""
    code = (
        "import resource, sys\n"
        "from askbot.app.cli import main\n"
        "def peak():\n"
        "    try:\n"
        "        with open('/proc/self/status') as status:\n"
        "            return next(int(line.split()[1]) for line in status if line.startswith('VmHWM:'))\n"
        "    except (OSError, StopIteration):\n"
        "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    status = main(sys.argv[1:])\n"
        "finally:\n    print(peak(), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, "ingest", str(source), *extra], capture_output=True, text=True, timeout=120
    )


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- source details -------------------------------------------------------------------------------


def test_source_details_given_on_the_command_line_win(askbot: Run, tmp_path: Path) -> None:
    made, _ = _ingest(
        askbot,
        write_bytes(tmp_path / "hearing.pdf", pdf(HEARING)),
        "--title", "Hearing on things, day 2", "--interviewee", "Jane Doe", "--interviewers", "Al Smith, Bo Li",
        "--date", "2020-03-04", "--url", "https://example.org/hearing",
    )
    assert made["source"]["title"] == "Hearing on things, day 2"
    assert made["source"]["interviewee"] == "Jane Doe"
    assert made["source"]["interviewers"] == ["Al Smith", "Bo Li"]
    assert str(made["source"]["date"]) == "2020-03-04"
    assert made["source"]["url"] == "https://example.org/hearing"


# -- URLs -----------------------------------------------------------------------------------------

PAGE = (
    b"<!DOCTYPE html><html><head><title>Talk</title></head><body><nav>Home | About</nav><article>"
    b"<h1>A talk with Jane Doe</h1><p><strong>Why did you start?</strong></p><p>Because it was fun.</p>"
    b"<p><strong>What next?</strong></p><p>More of the same.</p></article></body></html>"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 -- http.server's name
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(40):  # trickles: one byte every 0.1 s
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
            return
        body = PAGE if self.path == "/talk" else b"x" * 5000 if self.path == "/big" else None
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if self.path != "/big":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_ingest_fetches_a_url(askbot: Run, tmp_path: Path, server: str) -> None:
    out = tmp_path / "talk.yaml"
    proc = askbot("ingest", f"{server}/talk", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    made = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [e["question"] for e in made["entries"]] == ["Why did you start?", "What next?"]
    assert made["source"]["url"] == f"{server}/talk"
    missing = askbot("ingest", f"{server}/gone")
    assert missing.returncode == 2
    assert missing.stderr == f"askbot: error: {server}/gone: the server answered 404 Not Found\n"


def test_fetch_stops_at_the_size_and_time_limits(server: str) -> None:
    with pytest.raises(ingest.FetchError, match="over the limit of 1,000 bytes"):
        ingest.fetch(f"{server}/big", limits=Limits(max_document_bytes=1000))
    started = time.perf_counter()
    with pytest.raises(ingest.FetchError, match="not fetched within 0.5 s"):
        ingest.fetch(f"{server}/slow", limits=Limits(fetch_seconds=0.5))
    assert time.perf_counter() - started < 2


# -- the report and check ---------------------------------------------------------------------------

PODCAST = """Episode 12

Host: Welcome to the show. Today we're joined by Ann Lee.

Ann Lee: Thanks for having me.

Host: So tell me, how did the project start?

Ann Lee: It started in a garage with two friends and one old laptop, and we kept at it for years.

Host: Right.

Ann Lee: Then we moved to an office and hired our first people, which changed everything for us.

Host: I have always liked garages, they smell of oil and old paint and of summer afternoons spent there.

Ann Lee: Ha, they do, and our garage smelled of coffee and solder and of the cat that lived in it too, honestly.
"""


def test_report_counts_kept_and_dropped_words_and_is_loud_past_a_tenth(askbot: Run, tmp_path: Path) -> None:
    made, stderr = _ingest(askbot, write(tmp_path / "podcast.txt", PODCAST))
    assert [e["question"] for e in made["entries"]] == ["So tell me, how did the project start?"]
    answer = made["entries"][0]["answer"]
    assert answer.startswith("It started in a garage") and answer.endswith("changed everything for us.")
    assert "Right." not in answer
    assert re.search(r"turns: asking kept 1 \(\d+% of words\), asking dropped 3", stderr), stderr
    assert "WARNING: " in stderr and "of what the answerers said is in no answer" in stderr
    assert "dropped interviewer interjection x1" in stderr


PANEL = """Episode 40

**Jerod Santo:** Welcome back. We're joined by Ann Lee and Bo Diaz from the browser team.

**Ann Lee:** Thanks for having us.

**Jerod Santo:** So what shipped this year?

**Ann Lee:** Extensions, mostly: a whole new way to build them, and a store that reviews each one
before it goes out to people.

**Adam Stacoviak:** How long did that take?

**Ann Lee:** Two years, and most of it went into the review tools rather than the browser itself.

**Adam Stacoviak:** I tried to look up what your mission was, and it reads like marketing to me, honestly.

**Bo Diaz:** It gets simpler than that. We build the browser we want to use ourselves, and we care
about battery life and privacy before speed, every single time we add anything at all. A new web
feature has to earn its place: if it costs an hour of battery or lets a page follow you around, it
waits until we find a way to do it without that.

**Jerod Santo:** And what comes next?

**Bo Diaz:** Faster tabs, and tools that tell a developer what each page costs in battery.
"""


def test_comments_keeps_a_reply_to_a_hosts_remark_which_the_warning_names(askbot: Run, tmp_path: Path) -> None:
    source = write(tmp_path / "panel.md", PANEL)
    made, stderr = _ingest(askbot, source)
    asked = [e["question"] for e in made["entries"]]
    assert asked == ["So what shipped this year?", "How long did that take?", "And what comes next?"]
    assert "WARNING: " in stderr and "--comments keeps what answers a host's remark" in stderr
    kept, stderr = _ingest(askbot, source, "--comments", "--force")
    remark = next(e for e in kept["entries"] if e["question"].startswith("I tried to look up"))
    assert remark["answer"].startswith("It gets simpler than that.") and remark["speaker"] == "Bo Diaz"
    assert len(kept["entries"]) == 4 and "--comments keeps" not in stderr
    short = PANEL.split(" A new web\n")[0] + "\n\n" + PANEL.split("without that.\n")[1]
    _, stderr = _ingest(askbot, write(tmp_path / "short.md", short))
    assert "WARNING: " in stderr and "--comments" not in stderr, "a reply it would not keep either: no hint"


def test_check_warns_about_wordless_duplicate_and_glued_entries(askbot: Run, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", (
        "source:\n  title: T\n  interviewee: Ann Lee\n"
        "entries:\n"
        "  - {id: a, question: '?', answer: 'Yes.'}\n"
        "  - {id: b, question: Why?, answer: Because.}\n"
        "  - {id: c, question: Why?, answer: Again.}\n"
        "  - {id: d, question: How?, answer: \"Like this.\\n**AB**: And what then?\"}\n"
    ))
    proc = askbot("check", str(bad))
    assert proc.returncode == 1
    assert "question '?' has no words" in proc.stdout
    assert "question 'Why?' is also asked at line" in proc.stdout
    assert "answer holds a speaker's label '**AB**:'" in proc.stdout


def test_kb_given_a_transcript_suggests_ingest(askbot: Run, tmp_path: Path) -> None:
    transcript = write(tmp_path / "interview.md", "# Talk\n\nQ: Why: now?\nA: Because.\n")
    proc = askbot("--kb", str(transcript), "ask", "why")
    assert proc.returncode == 2
    assert f"askbot ingest {transcript}" in proc.stderr and "YAML" not in proc.stderr
    document = write_bytes(tmp_path / "hearing.pdf", pdf(HEARING))
    proc = askbot("--kb", str(document), "ask", "why")
    assert proc.returncode == 2 and f"askbot ingest {document}" in proc.stderr
