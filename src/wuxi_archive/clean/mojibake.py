"""GBK mojibake: runs of text decoded one byte out of step.

Placeholder interface; the repair itself is being written.
"""
from __future__ import annotations

from ..records import Fix


def repair_mojibake(text: str, line: int) -> tuple[str, list[Fix], list[str]]:
    """Return (repaired text, fixes made, warnings) for one line of a page."""
    return text, [], []
