"""Organisation names: found by their suffix, bounded on the left by context.

A name ends in a suffix (有限公司, 大学, 中心 …). Its left edge is the last
punctuation mark, function word (与/和/在/由 …) or verb (调研, 联合 …)
before the suffix. How much evidence a name needs depends on its suffix:
a legal form is enough on its own, 大学/学院/研究院 need a specific part,
and common-noun endings (中心, 园区, 局) need a place, a known
organisation or an alias at the head. A name that starts with another
found name is a sub-unit of it (某某大学化学学院).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import Lexicon
from .short_names import short_name_spans
from .names import all_generic, ends_with_any, headed_by, is_reference, place_head, starts_generic
from .text import CLOSE_BRACKETS, occurrences, span_start, stop_end, successive, word_positions


@dataclass
class Candidate:
    surface: str                   # the name as the text writes it
    start: int
    end: int
    suffix: str
    tier: str                      # "legal", "medium", "weak" or "known"


@dataclass
class OrgMention:
    canonical: str
    start: int
    end: int


@dataclass
class FoundOrganisation:
    name: str
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None
    first: int = 0


def suffix_candidates(text: str, lex: Lexicon) -> list[Candidate]:
    """Every stretch of text ending in an organisation suffix, left edge trimmed."""
    tiers = lex.suffix_tiers
    found: list[Candidate] = []
    suffix_ends: list[int] = []   # where each suffix seen so far ends
    blockers = lex.suffix_blockers_all
    for match in lex.org_suffix_re.finditer(text):
        s, e = match.span()
        suffix = match.group(0)
        after = text[e:e + 8]
        suffix_ends.append(e)
        if after.startswith(blockers) or after.startswith(lex.suffix_followers.get(suffix, ())):
            continue  # 局长, 中心组, 研发中心有限公司, 社会: the name goes on
        if text.endswith(lex.suffix_exclusions, max(0, e - 6), e):   # (the lists hold no empty word)
            continue
        if tiers[suffix] in ("legal", "medium") and text[e:e + 1] in "(（":
            e = _past_bracketed_place(text, e, lex)
        start = _after_named_role(text, span_start(text, s), s, suffix_ends, lex)
        start = left_edge(text, start, s, e, lex)
        if text[start:start + 1] in "12" or text.startswith(lex.name_openers, start):
            start = past_openers(text, start, s, lex)
        if start < s:
            c = Candidate(text[start:e], start, e, suffix, tiers[suffix])
            found.append(_past_appositive(text, c, lex) if lex.appositive_re.search(text, start, s) else c)
    return found


def _after_named_role(text: str, start: int, stop: int, suffix_ends: list[int], lex: Lexicon) -> int:
    """国家监察委员会主任提请…: where an earlier suffix inside the run is right
    followed by a role or verb, the name starts after that word."""
    for k in range(len(suffix_ends) - 2, -1, -1):   # the earlier suffixes, nearest first (no copy of the list)
        end = suffix_ends[k]
        if end <= start:
            break
        word = lex.after_name_re.match(text, end)
        if word and word.end() <= stop:
            return max(start, word.end())
    return start


_YEAR_OPENER = re.compile(r"(?:19|20)\d\d年(?!度)")
_BRACKETED = re.compile(r"[(（]([\u4e00-\u9fff]{2,4})[)）]")


def past_openers(text: str, start: int, stop: int, lex: Lexicon) -> int:
    """Skip what opens a clause and never a name: 据无锡市科技局 is 无锡市科技局,
    2024年中国科学院… is 中国科学院…."""
    while start < stop:
        opener = next((w for w in lex.name_openers if text.startswith(w, start)), "") \
            if text.startswith(lex.name_openers, start) else ""
        year = _YEAR_OPENER.match(text, start, stop) if text[start] in "12" else None
        step = len(opener) or (year.end() - start if year else 0)
        if not step:
            return start
        start += step
    return start


def _past_bracketed_place(text: str, end: int, lex: Lexicon) -> int:
    """三菱东京日联银行(中国): a place in brackets right after a company's or
    bank's suffix is part of the name (its arm in that country); after a zone
    (无锡高新区(新吴区)) it is another name of the same place."""
    match = _BRACKETED.match(text, end)
    if match and (match.group(1) in lex.place_names or place_head(match.group(1), lex) == match.group(1)):
        return match.end()
    return end


def _past_appositive(text: str, c: Candidate, lex: Lexicon) -> Candidate:
    """养老机构泰康之家上海分公司 is 泰康之家上海分公司: a category noun before
    the name is apposition, when what follows it is a name on its own."""
    body = c.surface[:c.surface.rfind(c.suffix)]
    found = lex.appositive_re.findall(body)
    if not found:
        return c
    cut = max(body.rfind(w) + len(w) for w in set(found))
    if cut <= 0 or cut >= len(body):
        return c
    trimmed = Candidate(c.surface[cut:], c.start + cut, c.end, c.suffix, c.tier)
    return trimmed if acceptable(trimmed, lex.fixed_heads, lex) else c


def left_edge(text: str, start: int, suffix_start: int, end: int, lex: Lexicon) -> int:
    """Move `start` past the last stop before the suffix (与, 在, 调研 …).

    A conjunction stays inside the name when what precedes it is the head
    of this name and what follows is not a name of its own
    (重庆师范大学地理与旅游学院; 工业和信息化部 is protected).
    """
    segment = text[start:suffix_start]
    cut, mask = stop_end(segment, lex.stop_verbs, lex.plain_stops, lex.protected_compounds, text[start:end])
    for conjunction in lex.conjunction_re.finditer(segment, cut):
        i = conjunction.start()
        if mask is None or not mask[i]:
            left, right = segment[cut:i], text[start + i + 1:end]
            ends_name = left.endswith(lex.all_org_suffixes)
            left_headed = place_head(left, lex) or headed_by(left, lex.fixed_heads) or _holds_name(left, lex)
            right_headed = place_head(right, lex) or headed_by(right, lex.fixed_heads)
            if not left or ends_name or not left_headed or right_headed:
                cut = i + 1
    return start + cut


def _holds_name(words: str, lex: Lexicon) -> bool:
    """江南大学信息化建设: words that open with a name ending in a suffix and go on
    (a unit of it follows), so a conjunction after them is inside the unit's name."""
    match = lex.org_suffix_re.search(words, 2)
    return bool(match) and match.end() < len(words) and match.group(0) in lex.named_suffixes


def acceptable(c: Candidate, heads: tuple[str, ...], lex: Lexicon) -> bool:
    """Whether a candidate has enough evidence to be an organisation."""
    name = c.surface
    specific = name[:name.rfind(c.suffix)]   # 银行(中国): the bracket follows the suffix
    if len(specific) < 2 or is_reference(name, lex) or all_generic(specific, lex):
        return False
    if len(specific) > lex.short_suffixes.get(c.suffix, len(specific)):
        return False  # 沸地笙歌赛社: a clause ending in 社, not 路透社
    if ends_with_any(name, lex.venue_endings):
        return False
    if name.endswith(lex.national_categories):
        return False  # 长三角国家高新区: the zones of a region, not one body
    if c.tier != "legal" and lex.venue_word_re.search(name):
        return False
    if c.tier == "place":
        return bool(place_head(name, lex))
    if c.tier == "legal":
        return True
    # A head (a place, a known or accepted name) is looked for only where it decides.
    if c.tier == "medium" and not (starts_generic(specific, lex) or ends_with_any(specific, lex.reference_endings)):
        return True
    return bool(place_head(name, lex) or headed_by(name, heads))


def declared_aliases(text: str, candidates: list[Candidate]) -> dict[str, str]:
    """`X(以下简称“Y”)` and `X,简称Y`: alias Y -> the name X ending at the bracket."""
    pattern = re.compile(r"[(（,，]\s*(?:以下简称|以下称|下称|简称)\s*[:：]?\s*[“\"「‘']?([^”\"」’')）,，。]{1,15}?)[”\"」’']?\s*(?=[)）,，。])")
    by_end = {c.end: c for c in candidates}
    declared: dict[str, str] = {}
    for match in pattern.finditer(text):
        owner = by_end.get(match.start())
        if owner is not None and match.group(1) != owner.surface:
            declared[match.group(1)] = owner.surface
    return declared


def find_organisations(text: str, lex: Lexicon) -> tuple[list[FoundOrganisation], list[OrgMention]]:
    """The organisations `text` names, in order of first mention, and every mention."""
    candidates = suffix_candidates(text, lex)
    declared = declared_aliases(text, candidates)
    aliases = {**lex.aliases, **declared}
    canonical_of = dict(aliases)
    fixed_heads = _fixed_heads(lex, tuple(sorted(declared.items())))

    accepted: dict[str, Candidate] = {}
    heads = fixed_heads
    declared_names = set(declared.values())
    for c in sorted(candidates, key=lambda c: (len(c.surface), c.start)):
        if c.surface in accepted or c.surface in declared_names or acceptable(c, heads, lex):
            if c.surface not in accepted:
                accepted[c.surface] = c
                # acceptable asks only whether some head opens a name, so the
                # order of the heads is no matter: appended, not sorted again.
                heads += (c.surface,)
    mentions = [c for c in candidates if c.surface in accepted]
    mentions += known_mentions(text, lex.known_orgs, mentions)
    mentions += short_mentions(text, lex, mentions)
    mentions += alias_mentions(text, aliases, mentions, lex)
    return assemble(mentions, canonical_of, lex)


def _fixed_heads(lex: Lexicon, declared: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Known organisations, aliases, then the names they stand for, each longest
    first: sorted once per lexicon and set of declared aliases (most articles
    declare none), not once per article."""
    cache = lex.heads_by_declared
    if declared not in cache:
        if len(cache) > 256:
            cache.clear()
        aliases = {**lex.aliases, **dict(declared)}
        cache[declared] = (lex.known_orgs + tuple(sorted(aliases, key=lambda a: (-len(a), a)))
                           + tuple(sorted(set(aliases.values()), key=lambda a: (-len(a), a))))
    return cache[declared]


def short_mentions(text: str, lex: Lexicon, taken: list[Candidate]) -> list[Candidate]:
    """Organisations named without a suffix (short_names.py), at every place
    the text names them once one of them is shown to be a name."""
    names = {text[s:e] for s, e in short_name_spans(text, lex, {c.surface for c in taken})
             if not _inside(s, e, taken, strict=False)}
    found: list[Candidate] = []
    for name in sorted(names, key=lambda n: (-len(n), n)):
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not _inside(start, end, taken + found, strict=False):
                found.append(Candidate(name, start, end, "", "short"))
            start = text.find(name, end)
    return found


def known_mentions(text: str, known: tuple[str, ...], taken: list[Candidate]) -> list[Candidate]:
    """Mentions of organisations from the known list (工业和信息化部)."""
    found: list[Candidate] = []
    positions = word_positions(text, known)
    for name in known:
        for start in successive(positions.get(name, []), len(name)):
            end = start + len(name)
            if not _inside(start, end, taken + found, strict=True):
                found.append(Candidate(name, start, end, "", "known"))
    return found


def alias_mentions(text: str, aliases: dict[str, str], taken: list[Candidate], lex: Lexicon) -> list[Candidate]:
    """Mentions of an alias standing on its own (西安交大, 西浦), not inside a longer name."""
    found: list[Candidate] = []
    table = word_positions(text, lex.alias_words)   # the alias table's, by one scan; a declared alias by find
    for alias in sorted(aliases, key=lambda a: (-len(a), a)):
        for start in successive(table.get(alias, []) if alias in lex.aliases else occurrences(text, alias), len(alias)):
            end = start + len(alias)
            blocked = text.startswith(lex.suffix_blockers, end)
            # 王清华 is a person, not 清华: a surname right before the alias
            # (that is no function word, as 和 in 和清华) joins it to a name.
            before = text[start - 1:start]
            blocked = blocked or (len(alias) == 2 and before in lex.surnames and before not in lex.stop_singles)
            if not blocked and not _inside(start, end, taken + found, strict=False):
                found.append(Candidate(alias, start, end, "", "alias"))
    return found


def _inside(start: int, end: int, spans: list[Candidate], strict: bool) -> bool:
    for c in spans:
        if c.start <= start and end <= c.end and (c.end - c.start > end - start or not strict):
            if c.tier != "alias" or (c.start, c.end) != (start, end):
                return True
    return False


def assemble(mentions: list[Candidate], canonical_of: dict[str, str], lex: Lexicon) -> tuple[list[FoundOrganisation], list[OrgMention]]:
    """Canonical names, aliases, parents and sub-units from the raw mentions."""
    surfaces = {m.surface for m in mentions}
    known_names = surfaces | set(canonical_of) | set(lex.known_orgs)
    orgs: dict[str, FoundOrganisation] = {}
    out: list[OrgMention] = []

    def add(name: str, surface: str, pos: int) -> FoundOrganisation:
        org = orgs.get(name)
        if org is None:   # not setdefault: that built a record for every mention
            org = orgs[name] = FoundOrganisation(name=name, first=pos)
        org.first = min(org.first, pos)
        if surface != name and surface not in org.aliases:
            org.aliases.append(surface)
        return org

    short_forms = _short_forms(surfaces, known_names, lex)
    short_forms.update(_alias_led_forms(surfaces, canonical_of))
    readings: dict[str, tuple[str, str, str, bool]] = {}   # read once per surface, not per mention
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        surface = m.surface
        if surface not in readings:
            readings[surface] = _reading(surface, canonical_of, short_forms, known_names, lex)
        name, parent_surface, parent, party_organ = readings[surface]
        if parent_surface:
            add(parent, parent_surface, m.start)
            if party_organ:
                out.append(OrgMention(parent, m.start, m.end))
                continue  # 某学院党委 is the college itself
            add(name, surface, m.start).parent = parent
        else:
            add(name, surface, m.start)
        out.append(OrgMention(name, m.start, m.end))
    ordered = sorted(orgs.values(), key=lambda o: (o.first, o.name))
    return ordered, out


def _reading(surface: str, canonical_of: dict[str, str], short_forms: dict[str, str], known_names: set[str],
             lex: Lexicon) -> tuple[str, str, str, bool]:
    """The name a surface stands for, the surface of its parent ('' when none)
    and the parent's name, and whether the surface is the parent's party organ."""
    name = canonical_of.get(surface, surface)
    if surface in short_forms:
        name = short_forms[surface]
    parent_surface = _parent(surface, known_names)
    if parent_surface and canonical_of.get(parent_surface, parent_surface) == name:
        parent_surface = ""  # 清华大学 starts with its own alias 清华
    if not parent_surface:
        return name, "", "", False
    parent = canonical_of.get(parent_surface, parent_surface)
    party_organ = (surface[len(parent_surface):].lstrip("(（").strip() in lex.party_organs
                   or _is_party_organ(surface, parent_surface, lex))
    return name, parent_surface, parent, party_organ


def _is_party_organ(surface: str, parent: str, lex: Lexicon) -> bool:
    rest = surface[len(parent):]
    if rest[:1] in "(（":
        close = next((i for i, ch in enumerate(rest) if ch in CLOSE_BRACKETS), -1)
        rest = rest[close + 1:] if close >= 0 else rest
    return rest in lex.party_organs


def _parent(surface: str, known_names: set[str]) -> str:
    """The longest other found or known name that `surface` starts with (and goes
    at least two characters beyond)."""
    # Its prefixes looked up, longest first: a startswith per known name was
    # the costliest step of assembling an article's organisations.
    for length in range(len(surface) - 2, 0, -1):
        if surface[:length] in known_names:
            return surface[:length]
    return ""


def _alias_led_forms(surfaces: set[str], canonical_of: dict[str, str]) -> dict[str, str]:
    """中科院地理科学与资源研究所 is 中国科学院地理科学与资源研究所 when both are named."""
    forms = {}
    aliases = tuple(canonical_of)
    for surface in surfaces:
        if not surface.startswith(aliases):     # one test in C rules out most surfaces
            continue
        for alias, canonical in canonical_of.items():
            if surface.startswith(alias) and surface != alias and canonical + surface[len(alias):] in surfaces:
                forms[surface] = canonical + surface[len(alias):]
    return forms


def _short_forms(surfaces: set[str], known_names: set[str], lex: Lexicon) -> dict[str, str]:
    """A name that is only the tail of one longer name is its short form:
    苏州研究院 beside 西安交通大学苏州研究院 (after a parent),
    城东街道党工委 beside 某市城东街道党工委 (after a place).
    """
    owners: dict[str, list[str]] = {}
    # A tail ends with the full name's last character: only those are compared (in the
    # same order as all of them were), the empty name with every one.
    ordered = sorted(surfaces)
    by_last: dict[str, list[str]] = {}
    for name in ordered:
        by_last.setdefault(name[-1:], []).append(name)
    empty = [""] if "" in surfaces else []
    for full in ordered:
        for tail in empty + by_last.get(full[-1:], []) if full else empty:
            head = full[:len(full) - len(tail)]
            if tail != full and full.endswith(tail) and (head in known_names or _is_place(head, lex)):
                owners.setdefault(tail, []).append(full)
    return {tail: fulls[0] for tail, fulls in owners.items() if len(fulls) == 1}


def _is_place(word: str, lex: Lexicon) -> bool:
    return word in lex.place_names or bool(lex.place_head_re.fullmatch(word)) and place_head(word, lex) == word
