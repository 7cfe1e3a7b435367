"""Raw material for the synthetic corpus, cut from the real seeds.

The seeds are split by shape, not by knowing their answers: the article
region is the first long stretch of sentence lines (gaps of a few non-blank lines
allowed); what comes before it is header chrome, what comes after it is
footer chrome. Traditional seeds are brought to simplified (pinyin
annotations dropped) so every piece can later be rendered in either script.
Sentences are stored as templates whose organisation names and years are
slots, so the synthesiser can vary them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from opencc import OpenCC

from wuxi_archive.config import bundled_data

_T2S = OpenCC("t2s")

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_ANNOTATION = re.compile(rf"(?<=[\u4e00-\u9fff])\([a-z{_TONED}]{{1,6}}\)")
# A labelled field (编辑:…, 来源:…): the end of an article, not a line inside one.
_FIELD = re.compile(r"^[\u4e00-\u9fff]{1,4}\s*[:：]")
_SENTENCE = re.compile(r"[。！？!?；;]")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])")
# A whole sentence ends with its mark (and maybe a closing quote or bracket);
# a piece without one is the half of a paragraph a page broke mid-sentence.
_COMPLETE = re.compile(r"[。！？!?][”’」』)）]*$")
# Organisation-like names: a run of Han ending in an institutional suffix,
# cut after the last punctuation or joining word before it.
ORG_SUFFIXES = ("有限公司", "集团", "大学", "学院", "研究院", "研究所", "中心", "委员会", "高新区", "协会", "联盟", "局")
_ORG = re.compile(rf"[\u4e00-\u9fff]{{2,14}}?(?:{'|'.join(ORG_SUFFIXES)})")
_ORG_CUT = re.compile(r".*[与和在由及、为对向将是的了于年力动托研合到至从被让给把]")
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?=年)")
_SOURCE = re.compile(r"来源[:：]\s*([\u4e00-\u9fffA-Za-z]{2,12})")
_DATEISH = re.compile(r"\d{4}[-/.年]\d{1,2}|\d{1,2}:\d{2}")
MAX_GAP = 6          # non-blank, non-sentence lines allowed inside the article region


@dataclass
class Material:
    sentences: list[list[object]] = field(default_factory=list)  # templates: str | ("org", name) | ("year", int)
    headers: list[list[str]] = field(default_factory=list)       # header chrome block of each seed
    footers: list[list[str]] = field(default_factory=list)       # footer chrome block of each seed
    inner: list[str] = field(default_factory=list)               # captions, subheads inside articles
    clauses: list[str] = field(default_factory=list)             # title-sized clauses
    orgs: list[str] = field(default_factory=list)                # organisation names seen
    sources: list[str] = field(default_factory=list)             # publishers named on the pages
    han: str = ""                                                # Han characters for made-up names


def _is_sentence_line(line: str) -> bool:
    return len(line.strip()) >= 30 and bool(_SENTENCE.search(line))


def _is_traditional(text: str) -> bool:
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return bool(han) and sum(_T2S.convert(c) != c for c in han) / len(han) > 0.05


def _region(lines: list[str]) -> tuple[int, int]:
    """The first stretch of at least three sentence lines (else the longest).

    Comment threads and stock tickers further down a page are long runs of
    sentences too; the article comes first."""
    best, start, last = (0, -1), None, None
    body = [i for i, line in enumerate(lines) if _is_sentence_line(line)]
    # Blank lines do not count towards a gap: pages put runs of them between
    # an article's paragraphs, and a footer cut there would carry the rest
    # of the article into every synthetic page that borrows it.
    filled = [0]
    for line in lines:
        filled.append(filled[-1] + bool(line.strip()))
    runs: list[tuple[int, int]] = []
    for i in body:
        if start is None or filled[i] - filled[last + 1] > MAX_GAP:
            if start is not None:
                runs.append((start, last))
            start = i
        last = i
    if start is not None:
        runs.append((start, last))
    for run in runs:
        if sum(1 for i in body if run[0] <= i <= run[1]) >= 3:
            return run
        if run[1] - run[0] >= best[1] - best[0]:
            best = run
    return best if best[1] >= 0 else (0, -1)


def _template(sentence: str) -> list[object]:
    """Split a sentence into text, organisation slots and year slots."""
    pieces: list[object] = []
    pos = 0
    for match in _ORG.finditer(sentence):
        name = _ORG_CUT.sub("", match.group(0))
        if len(name) < 4 or (name.endswith("局") and not re.search("[市区县省部]", name)):
            continue
        begin = match.end() - len(name)
        pieces.append(sentence[pos:begin])
        pieces.append(("org", name))
        pos = match.end()
    pieces.append(sentence[pos:])
    out: list[object] = []
    for piece in pieces:
        if not isinstance(piece, str):
            out.append(piece)
            continue
        last = 0
        for m in _YEAR.finditer(piece):
            out.append(piece[last:m.start()])
            out.append(("year", int(m.group(1))))
            last = m.end()
        out.append(piece[last:])
    return [p for p in out if p != ""]


def _usable_sentence(sentence: str, legal: tuple[str, ...]) -> bool:
    """A complete sentence that is not a copyright notice.

    Notices sit inside some pages' article regions; recombined into a
    synthetic paragraph they would make the cleaner cut it as a footer,
    and fragments would hide where one synthetic article ends."""
    lowered = sentence.lower()
    return len(sentence) >= 8 and bool(_COMPLETE.search(sentence)) and not any(w in lowered for w in legal)


def load_material(seeds_dir: Path) -> Material:
    """Cut every `.txt` seed of `seeds_dir` into reusable material."""
    legal = tuple(w.lower() for w in bundled_data("chrome.yaml")["legal"])
    mat = Material()
    orgs: dict[str, None] = {}
    sources: dict[str, None] = {}
    han: dict[str, None] = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        lines = [_ANNOTATION.sub("", line).rstrip() for line in raw.splitlines()]
        if _is_traditional(raw):
            lines = [_T2S.convert(line) for line in lines]
        first, last = _region(lines)
        if last < 0:
            continue
        # The header without the page's own title, date and source: the
        # synthesiser writes its own.
        head = [line.strip() for line in lines[:first]
                if line.strip() and not _DATEISH.search(line) and not _SOURCE.search(line)]
        title = head[-1] if head else ""
        mat.headers.append([h for h in head[:-1] if title[:8] not in h and len(h) <= 40])
        mat.footers.append([line.strip() for line in lines[last + 1:]])
        for line in lines[first:last + 1]:
            text = line.strip()
            if not text:
                continue
            if not _is_sentence_line(text):
                if 4 <= len(text) <= 40 and not _FIELD.match(text):
                    mat.inner.append(text)
                continue
            for sentence in _SENTENCE_SPLIT.split(text):
                if _usable_sentence(sentence, legal):
                    tpl = _template(sentence)
                    mat.sentences.append(tpl)
                    orgs.update((p[1], None) for p in tpl if isinstance(p, tuple) and p[0] == "org")
            for clause in re.split(r"[,，。;；:：!！?？“”]", text):
                if 8 <= len(clause) <= 24:
                    mat.clauses.append(clause)
            han.update((c, None) for c in text if "\u4e00" <= c <= "\u9fff")
        sources.update((m.group(1), None) for m in _SOURCE.finditer("\n".join(lines)))
    mat.orgs = list(orgs)
    mat.sources = list(sources)
    mat.han = "".join(han)
    return mat
