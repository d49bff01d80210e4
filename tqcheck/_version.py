"""The version, in a module of its own: every layer may name it (reports, baselines, the CLI)
without importing the package's ``__init__``, whose lazy API imports the pipeline."""

__version__ = "0.1.0"
