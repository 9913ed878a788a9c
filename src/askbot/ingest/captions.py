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
_DASH = re.compile(r"^\s*[-–‐]\s+\S")
_DASH_SPLIT = re.compile(r"(?:^|\s)[-–‐]\s+(?=\S)")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


def to_transcript(text: str, report: Report) -> str:
    """The captions' words as ``Speaker: text`` turns, one paragraph each.

    Captions without names often mark a change of speaker with a leading dash ("- Why?" /
    "- Because."); when no cue names anyone, each dash starts the other speaker's turn
    ("Speaker A", "Speaker B"), so who asks can still be decided from what the turns say.
    """
    cues = _cues(text, report)
    named = any(_speaker(cue)[0] for cue in cues)
    turns: list[tuple[str | None, list[str]]] = []
    for cue in cues if named else _dash_turns(cues):
        speaker, words = _speaker(cue)
        if turns and (speaker is None or speaker == turns[-1][0]):
            turns[-1][1].append(words)
        else:
            turns.append((speaker, [words]))
    return "\n\n".join((f"{speaker}: " if speaker else "") + " ".join(words) for speaker, words in turns) + "\n"


def _dash_turns(cues: list[str]) -> list[str]:
    """Cues re-cut at each leading dash, labelled with alternating anonymous speakers."""
    if sum(1 for cue in cues if _DASH.match(cue)) < 2:
        return cues
    out: list[str] = []
    speaker = 1
    for cue in cues:
        parts = [part for part in _DASH_SPLIT.split(cue) if part.strip()]
        for index, part in enumerate(parts):
            dashed = index > 0 or bool(_DASH.match(cue))
            if dashed and out:
                speaker = 3 - speaker
            out.append(f"Speaker {'AB'[speaker - 1]}: {part.strip()}")
    return out


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
