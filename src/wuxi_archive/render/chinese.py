"""The cleaning report's messages in Chinese, from the English the data keeps.

Removal reasons, date bases and warnings are English in articles.json, for
tools and for `clean` and `check`; an editor reads the report in Chinese.
The table is data/report_zh.yaml, keyed by each message's stable English
start (see its head for the format). A message no key fits is shown as it
is, in English: the cleaner gains reasons faster than the table, and an
English reason tells an editor more than none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..config import bundled_data

TABLE = "report_zh.yaml"
# How a message goes on after a key, and how the Chinese joins the rest.
_JOINS = {": ": ":", "; ": ";", ", ": "、"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# {reason} is a message itself; other values (numbers, dates, quoted text) are kept as they are.
_NESTED = "reason"
_NESTED_VALUE = ".+?"
_VALUE = "(?:(?!: |; ).)+?"      # a value never spans the separators a message's pieces are joined by


@dataclass(frozen=True)
class Translation:
    text: str          # Chinese where the table knows every piece, else the English as given
    complete: bool     # whether every piece of the message had a key


@dataclass(frozen=True)
class _Key:
    english: str
    chinese: str
    literal: str                # the English up to its first placeholder: what a message it fits opens with

    @property
    def whole(self) -> re.Pattern[str]:
        """The key is the whole message."""
        return _patterns(self.english)[0]

    @property
    def start(self) -> re.Pattern[str]:
        """The key opens the message, which goes on after a separator."""
        return _patterns(self.english)[1]


@lru_cache(maxsize=None)
def _patterns(english: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    # Compiled when a message first opens with the key's literal text: the whole table's
    # patterns took 0.8 s to compile, in every build that wrote the report index.
    parts, end = [], 0
    for m in _PLACEHOLDER.finditer(english):
        parts.append(re.escape(english[end:m.start()]))
        parts.append(f"(?P<{m[1]}>{_NESTED_VALUE if m[1] == _NESTED else _VALUE})")
        end = m.end()
    body = "".join(parts) + re.escape(english[end:])
    return (re.compile(body + r"\Z", re.S),
            re.compile(body + r"(?P<_sep>: |; |, | \()(?P<_rest>.*)\Z", re.S))


def _key(english: str, chinese: str) -> _Key:
    first = _PLACEHOLDER.search(english)
    return _Key(english, chinese, english[:first.start()] if first else english)


@lru_cache(maxsize=1)
def _keys() -> tuple[_Key, ...]:
    table = bundled_data(TABLE)
    # Longest literal text first: "after the article" before "after", a fixed key before a pattern.
    keys = [_key(str(k), str(v)) for k, v in table.items()]
    return tuple(sorted(keys, key=lambda k: (-len(_PLACEHOLDER.sub("", k.english)), k.english)))


def _fill(key: _Key, m: re.Match[str]) -> tuple[str, bool]:
    complete = True
    values = {}
    for name in _PLACEHOLDER.findall(key.english):
        value = m[name]
        if name == _NESTED:
            inner = translate(value)
            value, complete = inner.text, complete and inner.complete
        values[name] = value
    return _PLACEHOLDER.sub(lambda p: values.get(p[1], p[0]), key.chinese), complete


@lru_cache(maxsize=4096)      # a report shows the same few reasons on hundreds of lines
def translate(message: str) -> Translation:
    """The message in Chinese, piece by piece; the English message when a piece is unknown.

    A known key followed by an unknown explanation in brackets keeps the key's
    Chinese alone (incomplete: the tests want a key for it).
    """
    # Both patterns of a key open with its literal text: a message that does not cannot fit.
    keys = [key for key in _keys() if message.startswith(key.literal)]
    for key in keys:
        m = key.whole.match(message)
        if m:
            text, complete = _fill(key, m)
            return Translation(text, complete)
    for key in keys:
        m = key.start.match(message)
        if not m:
            continue
        head, head_complete = _fill(key, m)
        sep, rest = m["_sep"], m["_rest"]
        if sep == " (":
            close = _closing_bracket(rest)
            after = rest[close + 1:] if close is not None else None
            if after is None or (after and after[:2] not in _JOINS):
                continue
            inner = translate(rest[:close])
            if not inner.complete:
                return Translation(head, False)
            if not after:
                return Translation(f"{head}({inner.text})", head_complete)
            tail = translate(after[2:])     # `a (+3.0); b (+0.5)`: the list goes on
            if not tail.complete:
                continue
            return Translation(f"{head}({inner.text}){_JOINS[after[:2]]}{tail.text}", head_complete)
        tail = translate(rest)
        if not tail.complete:
            continue
        return Translation(head + _JOINS[sep] + tail.text, head_complete)
    return Translation(message, False)


def _closing_bracket(text: str) -> int | None:
    """Where the bracket opened just before `text` closes (brackets nest), or None."""
    depth = 1
    for k, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return k
    return None


def chinese(message: str) -> str:
    """What the report shows for a message: its Chinese, else the English (translate)."""
    return translate(message).text
