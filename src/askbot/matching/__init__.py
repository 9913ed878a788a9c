"""Matching: a reader's question -> a verdict on one knowledge base, with no files and no terminal.

``text`` and ``lexicon`` are what the matcher knows of words and of English, ``english`` the word
list it consults before correcting a typo, ``index`` compiles a knowledge base once, ``query``
analyses a question against it, ``scoring`` scores the candidates, and ``matcher`` gives the
verdict. ``sentences`` is the interface an optional sentence model (``askbot.semantic``) plugs
into; nothing here imports one.
"""
