"""Video captions (WebVTT, SubRip) -> a speaker-labelled transcript.

A cue's speaker comes from a voice tag (``<v Jane Doe>``) or a ``NAME:`` label at its start;
consecutive cues of one speaker are one turn, written as ``Name: text`` so the text parser
assigns roles as it does for any labelled transcript. Timings, cue numbers, ``NOTE``/``STYLE``
blocks and inline markup are dropped (and counted).
"""

from __future__ import annotations

import re

from .report import Report

_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d\d[.,]\d{1,3}\s*-->")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_LABEL = re.compile(r"^(?:-\s*)?(?P<label>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})\s*:\s+(?P<rest>\S.*)$")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


def to_transcript(text: str, report: Report) -> str:
    """The captions' words as ``Speaker: text`` turns, one paragraph each."""
    turns: list[tuple[str | None, list[str]]] = []
    for cue in _cues(text, report):
        speaker, words = _speaker(cue)
        if turns and (speaker is None or speaker == turns[-1][0]):
            turns[-1][1].append(words)
        else:
            turns.append((speaker, [words]))
    return "\n\n".join((f"{speaker}: " if speaker else "") + " ".join(words) for speaker, words in turns) + "\n"


def _cues(text: str, report: Report) -> list[str]:
    """Each cue's text lines joined, in order; headers, notes and styles skipped."""
    cues = []
    for block in re.split(r"\n\s*\n", text.lstrip("\ufeff")):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        timing = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing is None:
            if lines and not lines[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
                report.drop("caption block without a timing", lines[0])
            continue
        words = " ".join(lines[timing + 1 :])
        if words:
            cues.append(words)
    return cues


def _speaker(cue: str) -> tuple[str | None, str]:
    voice = _VOICE.search(cue)
    speaker = voice[1].strip() if voice else None
    if speaker and not speaker[0].isalpha():
        speaker = f"Speaker {speaker}"  # <v 0>, <v 1>: anonymous voices
    words = _TAG.sub("", cue)
    for entity, char in _ENTITIES.items():
        words = words.replace(entity, char)
    words = " ".join(words.split())
    if speaker is None:
        label = _LABEL.match(words)
        if label:
            return label["label"], label["rest"]
    return speaker, words
