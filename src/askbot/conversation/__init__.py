"""The conversation: a reader's line and its state in, a reply and the new state out.

``intents`` tells what a line means before it is taken for a question, ``meta`` answers questions
about the interview itself, ``shelf`` tells several interviews apart, ``render`` turns verdicts
into text or JSON-ready values, ``turn`` decides one question's reply for every front end, and
``session`` keeps one reader's chat. No terminal here: ``askbot.app`` prints what this returns.
"""
