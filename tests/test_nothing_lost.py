"""Nothing is lost: every sentence of a page is in an article or removed with a reason."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from wuxi_archive.clean import clean_page
from wuxi_archive.load import load_seed

ROOT = Path(__file__).resolve().parent.parent
TESTPAGES = ROOT.parent / "shared" / "testpages"
PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted(TESTPAGES.glob("*.txt"))
_SENTENCE = re.compile(r"[^。！？!?；;]*[。！？!?；;]")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", re.IGNORECASE)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", _PINYIN.sub("", text))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_long_sentence_is_kept_or_removed_with_a_reason(path, config):
    page = load_seed(path)
    articles = clean_page(page, config)
    kept = "\n".join(norm(p.text) for a in articles for p in a.paragraphs)
    dropped = {r.line: norm(r.text) for a in articles for r in a.removed if r.reason.strip()}
    repaired = {f.line for a in articles for f in a.fixes if f.kind.startswith("mojibake")}
    checked = 0
    for number, line in enumerate(page.lines, 1):
        if number in repaired:       # the repair rewrote the line: its number must be accounted for
            assert number in dropped or any(number in p.lines for a in articles for p in a.paragraphs)
            continue
        for sentence in _SENTENCE.findall(norm(line)):
            if len(sentence) > 30:
                checked += 1
                assert sentence in kept or sentence in dropped.get(number, ""), \
                    f"line {number}: {sentence[:40]!r} lost"
    assert checked > 0


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_nonempty_line_is_accounted_for(path, config):
    page = load_seed(path)
    articles = clean_page(page, config)
    in_body = {n for a in articles for p in a.paragraphs for n in p.lines}
    removed = {r.line for a in articles for r in a.removed}
    for number, line in enumerate(page.lines, 1):
        if line.strip():
            assert number in in_body or number in removed, f"line {number} {line[:30]!r} vanished"
