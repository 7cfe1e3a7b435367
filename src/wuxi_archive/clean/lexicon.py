"""The cleaner's word lists (data/chrome.yaml plus a user's config), ready to match."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, TypeVar

from ..config import Config
from ..words import alternation
from .memo import remember

T = TypeVar("T")
FIELD_KINDS = ("source", "date", "author", "photo", "editor", "tag", "title", "counter")


@dataclass(frozen=True)
class Lexicon:
    tail_openers: tuple[str, ...]
    legal: tuple[str, ...]
    widgets: tuple[str, ...]
    title_prefixes: tuple[str, ...]
    caption_markers: tuple[str, ...]
    not_names: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    ad_markers: tuple[str, ...]
    notices: tuple[str, ...]
    post_markers: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]    # (label, field kind), longest label first
    title_join_enders: tuple[str, ...] = ()    # a headline line ending in one goes on on the next line
    title_join_openers: tuple[str, ...] = ()   # ... or the next line opens with one
    byline_roles: tuple[str, ...] = ()         # 记者 / 通讯员 / 发言人 before names: a byline, not a headline
    byline_endings: tuple[str, ...] = ()       # a short line ending in one is a credit (综合报导)
    stamp_words: tuple[str, ...] = ()          # posting words beside a dateline's date (发布于, 原创)
    place_markers: tuple[str, ...] = ()        # a token opening with one is a place (来自北京市)
    ip_places: tuple[str, ...] = ()            # a poster's place printed after 发布于
    account_suffixes: tuple[str, ...] = ()     # ends of a platform account's name (官方账号)
    source_prefixes: tuple[str, ...] = ()      # attribution words before a source's name (据)
    name_buttons: tuple[str, ...] = ()         # buttons printed after an account's name (关注)

    @property
    def label_pattern(self) -> re.Pattern[str]:
        return _label_pattern(self.labels)

    @property
    def legal_lower(self) -> tuple[str, ...]:
        """The legal-footer words, lower-cased (matched against a lower-cased line)."""
        return _lowered(self.legal)

    @cached_property
    def legal_re(self) -> re.Pattern[str]:
        """Finds any legal-footer word in a lower-cased line (most lines have none)."""
        return alternation(self.legal_lower)

    @property
    def widgets_lower(self) -> tuple[str, ...]:
        return _lowered(self.widgets)

    @property
    def stamp_words_lower(self) -> tuple[str, ...]:
        return _lowered(self.stamp_words)

    @property
    def notices_lower(self) -> tuple[str, ...]:
        return _lowered(self.notices)

    @cached_property
    def fields_memo(self) -> dict:
        """(line, original) -> its fields, for metadata.read_fields: every stage of
        cleaning asks about the same short lines."""
        return {}

    @cached_property
    def line_memo(self) -> dict:
        """rule -> {line (or line and more arguments) -> the rule's answer}, for rules
        that are pure functions of a line and this lexicon (see `remembered`): the same
        chrome lines recur on every page of a site, and each stage asks about them again."""
        return {}

    @cached_property
    def widgets_re(self) -> re.Pattern[str]:
        """Finds any widget word in a lower-cased line."""
        return alternation(self.widgets_lower)

    @cached_property
    def notices_re(self) -> re.Pattern[str]:
        """Finds any notice word in a lower-cased line (most lines have none)."""
        return alternation(self.notices_lower)

    @property
    def label_kinds(self) -> dict[str, str]:
        """Lower-cased label -> field kind (shared: read it, never change it)."""
        return _label_kinds(self.labels)


LINE_MEMO_SIZE = 100_000   # answers remembered per rule (some thousand pages' worth); then forgotten at once


def remembered(rule: Callable[..., T]) -> Callable[..., T]:
    """A pure rule `rule(text, lexicon, *more)` answered once per (text, *more) and lexicon.

    The answer must be immutable (a bool, a str, a tuple of str): callers share it.
    Each rule has a table of its own keyed by the text alone when it takes no
    more: keys of strings and tuples of strings are not tracked by the garbage
    collector, whose full passes would otherwise walk every remembered answer."""
    @functools.wraps(rule)
    def ask(text: str, lexicon: Lexicon, *more):
        tables = lexicon.line_memo
        table = tables.get(rule)
        if table is None:
            table = tables[rule] = {}
        key = (text, *more) if more else text
        try:
            return table[key]
        except KeyError:
            return remember(table, key, rule(text, lexicon, *more), LINE_MEMO_SIZE)
    ask.unremembered = rule     # the rule itself, for the tests that compare the two
    return ask


# The last word lists and their lexicon: every page asks, and comparing the lists
# costs a tenth of building the lexicon again (extract/lexicon.py keeps its own too).
_LAST: list[tuple[dict[str, tuple], Lexicon]] = []


def lexicon_from(config: Config) -> Lexicon:
    """Collect the word lists the cleaner needs from the configuration."""
    lists = {key: tuple(words) for key, words in config.chrome.items()}
    if _LAST and _LAST[0][0] == lists:
        return _LAST[0][1]
    lexicon = _build_lexicon(config.chrome)
    _LAST[:] = [(lists, lexicon)]
    return lexicon


def _build_lexicon(chrome: dict[str, list[str]]) -> Lexicon:

    def words(key: str) -> tuple[str, ...]:
        return tuple(str(w) for w in chrome.get(key, []) if str(w))

    labels = [(w, kind) for kind in FIELD_KINDS for w in words(f"{kind}_labels")]
    labels.sort(key=lambda pair: (-len(pair[0]), pair[0]))
    title_words = dict(title_join_enders=words("title_join_enders"), title_join_openers=words("title_join_openers"),
                       byline_roles=words("byline_roles"), byline_endings=words("byline_endings"))
    credit_words = {key: words(key) for key in
                    ("stamp_words", "place_markers", "ip_places", "account_suffixes", "source_prefixes",
                     "name_buttons")}
    return Lexicon(
        **title_words, **credit_words,
        tail_openers=words("tail_openers"), legal=words("legal"), widgets=words("widgets"),
        title_prefixes=words("title_prefixes"), caption_markers=words("caption_markers"),
        not_names=words("not_names"), unit_suffixes=words("unit_suffixes"), ad_markers=words("ad_markers"), notices=words("notices"), post_markers=words("post_markers"), labels=tuple(labels),
    )


@lru_cache(maxsize=16)
def _lowered(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.lower() for w in words)


@lru_cache(maxsize=16)
def _label_kinds(labels: tuple[tuple[str, str], ...]) -> dict[str, str]:
    # Built once, not per line read: rebuilding it was a tenth of cleaning.
    return {label.lower(): kind for label, kind in labels}


@lru_cache(maxsize=16)
def _label_pattern(labels: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    # A label opens the line or follows a space/bracket/semicolon, and is
    # followed by a colon or a slash: 来源:, 【编辑：, 摄影/ .
    alternatives = "|".join(re.escape(label) for label, _ in labels) or r"(?!)"
    return re.compile(rf"(?:^|(?<=[\s【\[(（;；|]))({alternatives})\s*[:：/]", re.IGNORECASE)
