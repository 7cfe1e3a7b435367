"""The fast converter gives exactly what opencc-python-reimplemented gives."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from opencc import OpenCC

from wuxi_archive.convert import s2t, s2t_of, to_simplified
from wuxi_archive.script.tables import FastConverter, character_table
from wuxi_archive.render.editor import char_diff

REFERENCE = OpenCC("t2s")
FAST = FastConverter("t2s")
S2T = OpenCC("s2t")


def _texts(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]


def test_same_output_as_reference_on_every_seed(seeds_dir):
    for text in _texts(seeds_dir):
        assert FAST.convert(text) == REFERENCE.convert(text)
        # A simplified seed run through s2t and back exercises every traditional form it has.
        trad = S2T.convert(text)
        assert FAST.convert(trad) == REFERENCE.convert(trad)


def test_same_output_as_reference_on_every_test_page(testpages_dir):
    for text in _texts(testpages_dir):
        for line in text.splitlines():
            assert FAST.convert(line) == REFERENCE.convert(line)


def test_same_output_on_phrase_dictionary_keys():
    """Every phrase key, alone and embedded in other text, where longest-match choices matter."""
    FAST._chain  # noqa: B018 - the tables are loaded
    phrases = list(FAST._chain[0][0].values)
    rng = random.Random(7)
    assert len(phrases) > 100
    for key in phrases:
        text = rng.choice(phrases) + key + rng.choice(phrases)[:3] + "，" + key[1:] + key[:1]
        assert FAST.convert(text) == REFERENCE.convert(text), text


@pytest.mark.parametrize("conversion", ["t2s", "s2t"])
def test_one_character_is_converted_by_the_character_table_as_the_reference_does(conversion):
    # s2t() converts a single character with this table alone, without loading the phrases.
    reference = {"t2s": REFERENCE, "s2t": S2T}[conversion]
    table = character_table(conversion)
    assert len(table) > 2000
    chars = set(table) | set("".join(table.values())) | {chr(c) for c in range(0x4E00, 0xA000, 7)} | set("a，（")
    for char in sorted(chars):
        expected = reference.convert(char)
        assert table.get(char, char) == expected, char
        if conversion == "s2t":
            assert s2t(char) == expected, char


def test_s2t_of_a_few_texts_reads_their_phrases_only_and_gives_the_reference(config):
    # The protected terms' traditional spellings (script._protected_pattern) are made so.
    phrases = list(FastConverter("s2t")._chain[0][0].values)
    rng = random.Random(3)
    texts = [t for t in config.protected_terms if t]
    texts += rng.sample(phrases, 300)
    texts += ["".join(rng.choice(phrases)[: rng.randint(1, 4)] for _ in range(rng.randint(1, 5))) for _ in range(300)]
    texts += ["", "a", "中", "发展", "无锡（中国）有限公司", "1号线"]
    for chunk in (tuple(texts[i:i + 50]) for i in range(0, len(texts), 50)):
        assert list(s2t_of(chunk)) == [S2T.convert(t) for t in chunk], chunk
    assert [s2t(t) for t in texts[:40]] == [S2T.convert(t) for t in texts[:40]]


@pytest.mark.parametrize("seed", range(5))
def test_same_output_on_random_text(seed):
    """Random mixes of traditional, simplified, phrase fragments, ASCII, separators and odd characters."""
    rng = random.Random(seed)
    phrases = list(FAST._chain[0][0].values)
    chars = list(FAST._chain[0][1].values)
    pool = chars + list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质术")
    noise = list(" \t-,.?!*　，。、；：？！…“”‘’『』「」（）《》—abcXYZ0123456789(wǎng)\u3400\U00020000")
    for _ in range(200):
        text = "".join(rng.choice(rng.choice((phrases, chars, noise, chars))) for _ in range(rng.randint(0, 40)))
        assert FAST.convert(text) == REFERENCE.convert(text), text


def test_to_simplified_matches_the_reference_without_protected_terms(testpages_dir):
    # The converter swap inside the convert stage changes nothing it returns.
    for path in sorted(testpages_dir.glob("*_trad.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert to_simplified(line) == REFERENCE.convert(line)


@pytest.mark.parametrize("before,after", [
    ("網(wǎng)絡公司", "網絡公司"),           # pinyin removed: deletions only
    ("網絡公司(完)", "网络公司(完)"),          # converted: same length
    ("abc", "b"), ("ab", "abc"), ("", ""), ("同样", "同样"), ("甲乙丙", "丁"),
])
def test_char_diff_runs_rebuild_both_texts(before, after):
    """The one-pass diffs are real diffs: their runs give back both texts, and keep equal parts."""
    runs = char_diff(before, after)
    assert "".join(t for op, t in runs if op != "ins") == before
    assert "".join(t for op, t in runs if op != "del") == after
    assert all(t for _, t in runs)
    same = sum(len(t) for op, t in runs if op == "same")
    if len(before) == len(after) or after in before or set(after) <= set(before):
        assert same == sum(1 for a, b in zip(before, after) if a == b) or same == len(after)


def _related_by_scanning_all(articles, limit=5):
    """The related-articles rule written the slow, obvious way: score every pair."""
    from wuxi_archive.index.related import EVENT_WEIGHT, NEAR_DAYS, ORG_WEIGHT, _day
    days = {a.id: _day(a) for a in articles}
    result = {}
    for a in articles:
        mine = {("e", e.name): EVENT_WEIGHT for e in a.events} | {("o", o.name): ORG_WEIGHT for o in a.organisations}
        scored = []
        for b in articles:
            if b.id == a.id:
                continue
            theirs = {("e", e.name) for e in b.events} | {("o", o.name) for o in b.organisations}
            score = sum(w for k, w in mine.items() if k in theirs)
            gap = abs(days[a.id] - days[b.id]) if days[a.id] is not None and days[b.id] is not None else None
            if score or (gap is not None and gap <= NEAR_DAYS):
                scored.append((-score, gap if gap is not None else 10**9, b.id))
        shared = sorted(s for s in scored if s[0])[:limit]
        near = sorted(s for s in scored if not s[0])[: limit - len(shared)] if days[a.id] is not None else []
        result[a.id] = [s[2] for s in shared + near]
    return result


@pytest.mark.parametrize("seed", range(3))
def test_related_articles_window_gives_what_a_full_scan_gives(seed):
    from wuxi_archive.index.related import related_articles
    from wuxi_archive.records import Article, CleanArticle, Event, Organisation
    rng = random.Random(seed)
    orgs = [f"机构{i}" for i in range(12)]
    articles = []
    for i in range(150):
        date = None if rng.random() < 0.1 else f"20{rng.randint(20, 21)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        clean = CleanArticle(seed=f"s{i:03d}.txt", part=1, title="t", paragraphs=[], date=date)
        articles.append(Article(clean=clean,
                                organisations=[Organisation(o) for o in rng.sample(orgs, rng.randint(0, 2))],
                                events=[Event(f"会议{rng.randint(0, 20)}")] if rng.random() < 0.3 else []))
    fast = {k: [link.article_id for link in v] for k, v in related_articles(articles).items()}
    assert fast == _related_by_scanning_all(articles)
