"""Build progress: a bar on a terminal, a few plain lines in CI or a log."""
from __future__ import annotations

import os
import sys
import time
from typing import TextIO

BAR_WIDTH = 30
MIN_ITEMS_FOR_PROGRESS = 50     # a short build needs no progress report, only its summary


def wants_bar(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """A live bar only on an interactive terminal outside CI."""
    env = os.environ if environ is None else environ
    if env.get("CI", "").lower() in ("1", "true", "yes"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)()) and env.get("TERM") != "dumb"


class Progress:
    """Counts finished items of one stage; redraws a bar or prints a line per quarter."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, bar: bool | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.bar = wants_bar(self.stream) if bar is None else bar
        self.enabled = total >= MIN_ITEMS_FOR_PROGRESS
        self.started = time.perf_counter()
        self._next_line = 0.25

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        share = self.done / self.total
        if self.bar:
            filled = int(BAR_WIDTH * share)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total}")
            self.stream.flush()
        elif share >= self._next_line or self.done == self.total:
            self.stream.write(f"{self.label}: {self.done}/{self.total}\n")
            self.stream.flush()
            while self._next_line <= share:
                self._next_line += 0.25

    def close(self) -> None:
        if self.enabled and self.bar:
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"\r{self.label}: {self.done}/{self.total} in {elapsed:.1f}s{' ' * BAR_WIDTH}\n")
            self.stream.flush()


class NoProgress(Progress):
    """For library callers and tests: count, print nothing."""

    def __init__(self, label: str = "", total: int = 0) -> None:
        super().__init__(label, total, stream=sys.stderr, bar=False)
        self.enabled = False
