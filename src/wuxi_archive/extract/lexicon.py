"""The extractor's word lists, compiled once per configuration.

The lists live in data/entities.yaml (config.entities) and the alias table
in data/aliases.yaml (config.aliases); this module only turns them into
sets, longest-first tuples and regular expressions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..config import Config
from ..words import alternation
from .trie import trie_regex


def _longest_first(words: Any) -> tuple[str, ...]:
    # An empty word would match at every position (and `find("")` never advances): never one.
    return tuple(sorted({str(w) for w in words or [] if str(w)}, key=lambda w: (-len(w), w)))


def _word_set(words: Any) -> frozenset[str]:
    """A word list of the YAML as a set of strings (absent: empty)."""
    return frozenset(str(w) for w in words or [])


@dataclass(frozen=True)
class Lexicon:
    legal_suffixes: tuple[str, ...]
    medium_suffixes: tuple[str, ...]
    weak_suffixes: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    org_suffix_re: re.Pattern[str]
    party_organs: tuple[str, ...]
    suffix_blockers: tuple[str, ...]
    suffix_exclusions: tuple[str, ...]
    category_names: tuple[str, ...]
    venue_endings: tuple[str, ...]
    venue_words: tuple[str, ...]
    generic_words: tuple[str, ...]
    determiners: tuple[str, ...]
    reference_endings: tuple[str, ...]
    known_orgs: tuple[str, ...]
    protected_compounds: tuple[str, ...]
    place_names: frozenset[str]
    place_prefixes: tuple[str, ...]
    place_head_re: re.Pattern[str]
    not_places: frozenset[str]
    stop_singles: frozenset[str]
    conjunctions: frozenset[str]
    stop_verbs: tuple[str, ...]
    aliases: dict[str, str]
    role_words: tuple[str, ...]
    role_re: re.Pattern[str]
    titles_after: tuple[str, ...]
    followers: tuple[str, ...]
    follower_chars: frozenset[str]
    surnames: frozenset[str]
    compound_surnames: tuple[str, ...]
    not_names: frozenset[str]
    not_given: frozenset[str]
    event_endings: tuple[str, ...]
    event_ending_re: re.Pattern[str]
    event_ending_blockers: tuple[str, ...]
    event_generic_heads: frozenset[str]
    held_verbs: tuple[str, ...]
    held_verb_re: re.Pattern[str]
    future_markers: tuple[str, ...]
    event_left_stops: tuple[str, ...]
    longest_place: int = 0                 # characters of the longest of place_names
    fixed_heads: tuple[str, ...] = ()      # known organisations, then aliases and their names, longest first
    suffix_followers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    short_suffixes: dict[str, int] = field(default_factory=dict)
    after_name_words: tuple[str, ...] = ()
    name_openers: tuple[str, ...] = ()
    appositive_heads: tuple[str, ...] = ()
    company_heads: tuple[str, ...] = ()
    subject_verbs: tuple[str, ...] = ()
    list_closers: tuple[str, ...] = ()
    list_leaders: tuple[str, ...] = ()
    latin_not_names: frozenset[str] = frozenset()
    org_roles: tuple[str, ...] = ()
    role_prefixes: tuple[str, ...] = ()
    transliteration: frozenset[str] = frozenset()

    @cached_property
    def heads_by_declared(self) -> dict[tuple[tuple[str, str], ...], tuple[str, ...]]:
        """organisations._fixed_heads's memo: the sorted heads per set of declared aliases."""
        return {}

    @cached_property
    def appositive_re(self) -> re.Pattern[str]:
        return alternation(self.appositive_heads)

    @cached_property
    def company_subject_re(self) -> re.Pattern[str]:
        """A company head followed by what shows it ends a subject: a colon, a
        reporting verb or an officer's role (当升科技:…, 猎豹移动董事长…)."""
        context = trie_regex((":", "：") + self.subject_verbs + self.org_roles + self.role_prefixes)
        return re.compile(f"(?:{trie_regex(self.company_heads)})(?= ?(?:{context}))")

    @cached_property
    def org_role_re(self) -> re.Pattern[str]:
        return alternation(self.org_roles)

    @cached_property
    def generic_vocabulary(self) -> tuple[frozenset[str], tuple[int, ...]]:
        """The generic words as a set, and their distinct lengths (names.all_generic)."""
        return frozenset(self.generic_words), tuple(sorted({len(w) for w in self.generic_words}))

    @cached_property
    def long_generic_words(self) -> tuple[str, ...]:
        """The generic words of two or more characters (names.starts_generic)."""
        return tuple(w for w in self.generic_words if len(w) > 1)

    @cached_property
    def after_name_re(self) -> re.Pattern[str]:
        """The longest of after_name_words (a role or verb after a suffix)."""
        return re.compile(trie_regex(self.after_name_words))

    @cached_property
    def plain_stops(self) -> frozenset[str]:
        """The single-character stops that are no conjunction."""
        return self.stop_singles - self.conjunctions

    @cached_property
    def short_name_stops(self) -> tuple[str, ...]:
        """What a short name (short_names.py) never runs back over: verbs,
        list leaders (如) and category nouns (巨头), longest first."""
        return tuple(sorted(set(self.stop_verbs + self.list_leaders + self.appositive_heads), key=lambda w: (-len(w), w)))

    @cached_property
    def suffix_tiers(self) -> dict[str, str]:
        """Each organisation suffix's tier: legal, medium, weak or place."""
        tiers = {s: "legal" for s in self.legal_suffixes}
        tiers.update({s: "medium" for s in self.medium_suffixes})
        tiers.update({s: "weak" for s in self.weak_suffixes})
        tiers.update({s: "place" for s in self.place_suffixes})
        return tiers

    @cached_property
    def suffix_blockers_all(self) -> tuple[str, ...]:
        """What after a suffix shows the name goes on: the blockers and a legal form."""
        return self.suffix_blockers + self.legal_suffixes

    @cached_property
    def all_org_suffixes(self) -> tuple[str, ...]:
        return self.legal_suffixes + self.medium_suffixes + self.weak_suffixes + self.place_suffixes

    @cached_property
    def national_categories(self) -> tuple[str, ...]:
        """The category names that hold 国家 (国家高新区): a name ending in one names many bodies."""
        return tuple(c for c in self.category_names if "国家" in c)

    @cached_property
    def venue_word_re(self) -> re.Pattern[str]:
        """Any of venue_words inside a name, found by one search."""
        return re.compile("" if "" in self.venue_words else trie_regex(self.venue_words))

    @cached_property
    def this_event_heads(self) -> tuple[str, ...]:
        """The generic heads pointing back to an event (此次, 本次): no name opens with one."""
        return tuple(g for g in self.event_generic_heads if len(g) > 1 and g in ("此次", "本次", "这次", "该次"))

    @cached_property
    def conjunction_re(self) -> re.Pattern[str]:
        """One conjunction character (与, 和 …)."""
        chars = "".join(re.escape(c) for c in sorted(self.conjunctions) if len(c) == 1)
        return re.compile(f"[{chars}]" if chars else "(?!)")

    @cached_property
    def alias_words(self) -> tuple[str, ...]:
        """The aliases of the alias table, longest first (as a tuple: text.word_positions)."""
        return tuple(sorted(self.aliases, key=lambda a: (-len(a), a)))

    @cached_property
    def role_word_set(self) -> frozenset[str]:
        return frozenset(self.role_words)

    @cached_property
    def role_word_lengths(self) -> tuple[int, ...]:
        """The role words' distinct lengths, longest first (people._last_role_word)."""
        return tuple(sorted({len(w) for w in self.role_words if w}, reverse=True))

    # Concatenations of lists the extractors test together, made once, not per call.
    @cached_property
    def name_enders(self) -> tuple[str, ...]:
        """What may follow a person's name: a follower (介绍, 参加 …) or a title (教授)."""
        return self.followers + self.titles_after

    @cached_property
    def subject_context(self) -> tuple[str, ...]:
        """What after a short name shows it is a subject: a reporting verb or an officer's role."""
        return self.subject_verbs + self.org_roles + self.role_prefixes

    @cached_property
    def named_suffixes(self) -> frozenset[str]:
        """The suffixes that make a name on their own or nearly so: the legal and medium ones."""
        return frozenset(self.medium_suffixes + self.legal_suffixes)

    # As tuples, for str.startswith and endswith: one test in C instead of one per word.
    @cached_property
    def not_name_words(self) -> tuple[str, ...]:
        return tuple(sorted(self.not_names))

    @cached_property
    def not_place_words(self) -> tuple[str, ...]:
        return tuple(sorted(self.not_places))


_CACHE: dict[str, Lexicon] = {}
# The last configuration asked about, with the word lists it was given and
# its lexicon: fingerprinting the whole configuration for every article cost
# more than some extraction steps. A new Config, or new word lists on it,
# is fingerprinted again.
_LAST: list[tuple[Config, Any, Any, Lexicon]] = []


def lexicon_for(config: Config) -> Lexicon:
    """The compiled word lists of `config` (built once per distinct configuration)."""
    if _LAST:
        last, entities, aliases, lexicon = _LAST[0]
        if last is config and entities is config.entities and aliases is config.aliases:
            return lexicon
    key = config.fingerprint()
    if key not in _CACHE:
        _CACHE[key] = build_lexicon(config.entities, config.aliases)
    _LAST[:] = [(config, config.entities, config.aliases, _CACHE[key])]
    return _CACHE[key]


def build_lexicon(entities: dict[str, Any], aliases: dict[str, str]) -> Lexicon:
    """Compile the entity word lists (see data/entities.yaml for what each means)."""
    org = entities.get("organisations", {})
    places = entities.get("places", {})
    stops = entities.get("left_stops", {})
    people = entities.get("people", {})
    events = entities.get("events", {})
    legal = _longest_first(org.get("legal_suffixes"))
    medium = _longest_first(org.get("medium_suffixes"))
    weak = _longest_first(org.get("weak_suffixes"))
    place_only = _longest_first(org.get("place_suffixes"))
    place_names = frozenset(
        str(p) for group in ("regions", "provinces", "cities", "countries") for p in places.get(group, []) or []
    )
    endings = "".join(sorted({str(e) for e in places.get("endings", [])}))
    roles = _longest_first(people.get("role_words"))
    event_endings = _longest_first(events.get("endings"))
    held = _longest_first(events.get("held_verbs"))
    return Lexicon(
        legal_suffixes=legal,
        medium_suffixes=medium,
        weak_suffixes=weak,
        place_suffixes=place_only,
        org_suffix_re=re.compile(trie_regex(legal + medium + weak + place_only)),
        party_organs=_longest_first(org.get("party_organs")),
        suffix_blockers=_longest_first(org.get("suffix_blockers")),
        suffix_exclusions=_longest_first(org.get("suffix_exclusions")),
        category_names=_longest_first(org.get("category_names")),
        venue_endings=_longest_first(org.get("venue_endings")),
        venue_words=_longest_first(org.get("venue_words")),
        generic_words=_longest_first(org.get("generic_words")),
        determiners=_longest_first(org.get("determiners")),
        reference_endings=_longest_first(org.get("reference_endings")),
        known_orgs=_longest_first(org.get("known")),
        protected_compounds=_longest_first(org.get("protected_compounds")),
        place_names=place_names,
        place_prefixes=_longest_first(place_names),
        place_head_re=re.compile(rf"^[\u4e00-\u9fff]{{1,4}}?[{re.escape(endings)}]") if endings else re.compile(r"(?!)"),
        not_places=_word_set(places.get("not_places")),
        stop_singles=_word_set(stops.get("single")),
        conjunctions=_word_set(stops.get("conjunctions")),
        stop_verbs=_longest_first(stops.get("verbs")),
        aliases={str(k): str(v) for k, v in (aliases or {}).items() if str(k) and str(v)},
        role_words=roles,
        role_re=re.compile(trie_regex(roles)),
        titles_after=_longest_first(people.get("titles_after")),
        followers=_longest_first(people.get("followers")),
        follower_chars=_word_set(people.get("follower_chars")),
        surnames=_word_set(people.get("surnames")),
        compound_surnames=_longest_first(people.get("compound_surnames")),
        not_names=_word_set(people.get("not_names")),
        not_given=_word_set(people.get("not_given")),
        event_endings=event_endings,
        event_ending_re=re.compile(trie_regex(event_endings)),
        event_ending_blockers=_longest_first(events.get("ending_blockers")),
        event_generic_heads=_word_set(events.get("generic_heads")),
        held_verbs=held,
        held_verb_re=re.compile(trie_regex(held)),
        future_markers=_longest_first(events.get("future_markers")),
        event_left_stops=_longest_first(events.get("left_stops")),
        longest_place=max(map(len, place_names), default=0),
        suffix_followers={str(k): _longest_first(v) for k, v in (org.get("suffix_followers") or {}).items()},
        short_suffixes={str(k): int(v) for k, v in (org.get("short_suffixes") or {}).items()},
        after_name_words=_longest_first(list(org.get("after_name_words") or []) + list(roles)),
        name_openers=_longest_first(org.get("name_openers")),
        appositive_heads=_longest_first(org.get("appositive_heads")),
        company_heads=_longest_first(org.get("company_heads")),
        subject_verbs=_longest_first(org.get("subject_verbs")),
        list_closers=_longest_first(org.get("list_closers")),
        list_leaders=_longest_first(org.get("list_leaders")),
        latin_not_names=_word_set(org.get("latin_not_names")),
        org_roles=_longest_first(people.get("org_roles")),
        role_prefixes=_longest_first(people.get("role_prefixes")),
        transliteration=_word_set(people.get("transliteration")),
        fixed_heads=_longest_first(org.get("known")) + tuple(
            sorted(({str(k) for k in aliases or {}} | {str(v) for v in (aliases or {}).values()}) - {""},
                   key=lambda a: (-len(a), a))),
    )
