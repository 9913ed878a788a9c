"""The programs: ``cli`` (the ``askbot`` command), ``chat`` (the terminal chat, the only importer
of prompt_toolkit) and ``stdio`` (streams and signals). Nothing else in askbot imports these."""
