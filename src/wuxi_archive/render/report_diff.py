"""What a cleaning report shows of each seed line: its status and reason, and the
character diff of a repair made inside kept text (pinyin annotations, converted
characters, mojibake)."""
from __future__ import annotations

import difflib
import operator
import re
from dataclasses import dataclass, field
from itertools import compress, count, groupby

from ..records import Article


FIX_LABELS = {
    "pinyin": "删除拼音注音",
    "converted": "繁体转简体",
    "mojibake": "修复乱码",
    "mojibake-gap": "乱码部分修复(□ 未能恢复)",
}


@dataclass
class RawRow:
    number: int
    text: str
    status: str                     # "kept", "removed", "meta" or "blank"
    reason: str = ""
    fixes: list[str] = field(default_factory=list)   # kinds of repair made on this line


def char_diff(before: str, after: str) -> list[tuple[str, str]]:
    """What changed between two texts, character by character, as runs."""
    # difflib is quadratic on long lines; most repairs are pure deletions
    # (pinyin) or same-length substitutions (conversion), diffed in one pass.
    if len(before) == len(after):
        return _substitution_diff(before, after)
    runs = _bracket_deletion_diff(before, after)
    if runs is not None:
        return runs
    runs = _deletion_diff(before, after)
    if runs is not None:
        return runs
    runs = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", before[a1:a2]))
            continue
        if a2 > a1:
            runs.append(("del", before[a1:a2]))
        if b2 > b1:
            runs.append(("ins", after[b1:b2]))
    return runs


def _substitution_diff(before: str, after: str) -> list[tuple[str, str]]:
    # Equal and unequal positions grouped in C (map + groupby), not one index at a time.
    runs: list[tuple[str, str]] = []
    start = 0
    for same, group in groupby(map(operator.eq, before, after)):
        end = start + len(list(group))
        if same:
            runs.append(("same", before[start:end]))
        else:
            runs += [("del", before[start:end]), ("ins", after[start:end])]
        start = end
    return runs


def _deletion_diff(before: str, after: str) -> list[tuple[str, str]] | None:
    """Runs when `after` is `before` with characters taken out, else None."""
    # Greedy: each character of `after` is the first match left in `before`
    # (the per-character loop it replaces is kept in the tests). Done a run
    # at a time, in C: the next kept character found with str.find, the end
    # of a run of kept text as the first position where the texts differ.
    if len(after) > len(before):
        return None
    runs: list[tuple[str, str]] = []
    i = k = 0
    while k < len(after):
        found = before.find(after[k], i)
        if found < 0:
            return None
        if found > i:
            runs.append(("del", before[i:found]))
        kept, rest = before[found:found + len(after) - k], after[k:]
        length = len(rest) if kept == rest else next(compress(count(), map(operator.ne, kept, rest)), len(kept))
        runs.append(("same", kept[:length]))
        i, k = found + length, k + length
    if i < len(before):
        runs.append(("del", before[i:]))
    return runs


# Adjacent bracketed syllables, the shape of the pinyin annotations cleaning
# removes; a proposal only: _bracket_deletion_diff checks it.
_BRACKETED_SYLLABLES = re.compile(r"((?:[(（][a-züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]{1,6}[)）])+)", re.IGNORECASE)


def _bracket_deletion_diff(before: str, after: str) -> list[tuple[str, str]] | None:
    """_deletion_diff's runs when `after` is `before` without its bracketed syllables, else None.

    Most long fixes are pinyin removals with a dozen annotations a line;
    this finds them with one regex split in C rather than a step per run.
    Splitting `before` as S0 D1 S1 … Dn Sn (D the bracketed runs) gives the
    greedy runs exactly when the S join to `after` and no S starts with a
    character of the D before it (else the greedy match would take that
    character inside D); anything else is left to _deletion_diff.
    """
    parts = _BRACKETED_SYLLABLES.split(before)
    if len(parts) == 1 or "".join(parts[0::2]) != after:
        return None
    runs: list[tuple[str, str]] = [("same", parts[0])] if parts[0] else []
    for j in range(1, len(parts), 2):
        deleted, kept = parts[j], parts[j + 1]
        if kept:
            if kept[0] in deleted:
                return None
            runs += [("del", deleted), ("same", kept)]
        else:
            runs.append(("del", deleted))
    return runs


def raw_rows(article: Article, lines: list[str]) -> list[RawRow]:
    """The article's span of seed lines, each with what cleaning did to it."""
    c = article.clean
    removed = {r.line: r.reason for r in c.removed}
    kept = {n for p in c.paragraphs for n in p.lines}
    fixes: dict[int, list[str]] = {}
    for fix in c.fixes:
        fixes.setdefault(fix.line, []).append(FIX_LABELS.get(fix.kind, fix.kind))
    first, last = max(1, c.lines[0]), min(len(lines), max(c.lines[1], c.lines[0]))
    rows = []
    for number in range(first, last + 1):
        text = lines[number - 1]
        if number in removed:
            status = "removed"
        elif number in kept:
            status = "kept"
        else:
            status = "meta" if text.strip() else "blank"
        rows.append(RawRow(number, text, status, removed.get(number, ""), fixes.get(number, [])))
    return rows
