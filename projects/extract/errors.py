"""The one error type of ``zonemap extract`` / ``zonemap review``: a clear message for a person."""

from __future__ import annotations


class ExtractError(Exception):
    """Bad input or a refused operation; the message names the file and what was expected."""
