"""askbot's version, in a module of its own: the index cache keys on it without importing the
package's public names."""

__version__ = "0.1.0"
