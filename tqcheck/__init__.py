"""tqcheck: find machine-translation artifacts in translated text."""

__version__ = "0.1.0"
