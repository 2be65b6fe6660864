"""eventnlp: conflict news to structured event data."""

__version__ = "0.1.0"

__all__ = ["__version__"]
