"""Knowledge on disk: YAML knowledge files in and out (``files``), the compiled index stored in one
SQLite file (``indexfile``), and the cache that keeps both between runs (``cache``).

Everything here reads or writes files; what the matcher makes of the knowledge is ``matching``'s.
"""
