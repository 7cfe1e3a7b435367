"""The foreign test pages (no answers given): structural facts every clean must meet."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from opencc import OpenCC

from wuxi_archive.load import load_seed
from wuxi_archive.build.pipeline import process_page

PAGES = ["cjn_1", "gsc_1", "gsc_1_trad", "shanxi_1", "xinhuanet_1", "zsnews_1", "zsnews_1_trad", "zyyfy_1"]
_T2S = OpenCC("t2s")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
# Lines that only ever belong to a page's frame: footers and the openers of
# its lists. The article body must stop before the first of them.
_FRAME_END = re.compile(r"版权所有|ICP|Copyright|相关阅读|上一篇|返回首页|扫一扫|【纠错】|新闻排行|^【$")


def fold(text: str) -> str:
    return re.sub(r"\s+", "", _T2S.convert(_PINYIN.sub("", text))).replace("：", ":").replace("，", ",")


@pytest.fixture(scope="module")
def cleaned(testpages_dir: Path, config):
    return {name: [a.to_json() for a in process_page(load_seed(testpages_dir / f"{name}.txt"), config)]
            for name in PAGES}


@pytest.fixture(scope="module")
def raw_lines(testpages_dir: Path):
    return {name: (testpages_dir / f"{name}.txt").read_text(encoding="utf-8").splitlines() for name in PAGES}


@pytest.mark.parametrize("name", PAGES)
def test_one_article_with_title_date_source(name, cleaned, raw_lines):
    [article] = cleaned[name]
    lines = [fold(line) for line in raw_lines[name] if line.strip()]
    title = fold(article["title"])
    assert len(title) >= 6
    # every one of these pages prints its headline on a line of its own below
    # the page-title line; the title must be that headline, not the site name
    assert title in lines[1:]
    assert article["date"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", article["date"])
    assert any(article["date"] in d for d in _printed_dates(raw_lines[name]))
    assert article["source"]
    assert len(article["paragraphs"]) >= 3


def _frame(article: dict, raw: list[str]) -> tuple[list[int], int, int]:
    """(body line numbers, headline line, first footer line after the body)."""
    removed = {r["line"] for r in article["removed"]}
    body_lines = [n for n, line in enumerate(raw, 1) if line.strip() and n not in removed]
    title = fold(article["title"])
    title_line = max(i for i, line in enumerate(raw, 1)
                     if i < body_lines[0] and (fold(line) == title or (i == 1 and title in fold(line))))
    frame_end = next(i for i, line in enumerate(raw, 1) if i > body_lines[0] and _FRAME_END.search(line))
    return body_lines, title_line, frame_end


@pytest.mark.parametrize("name", PAGES)
def test_body_stays_between_headline_and_footer(name, cleaned, raw_lines):
    [article] = cleaned[name]
    body_lines, title_line, frame_end = _frame(article, raw_lines[name])
    assert title_line < body_lines[0] and body_lines[-1] < frame_end


@pytest.mark.parametrize("name", PAGES)
def test_no_navigation_footer_or_list_line_in_body(name, cleaned, raw_lines):
    [article] = cleaned[name]
    raw = raw_lines[name]
    _, title_line, frame_end = _frame(article, raw)
    paragraphs = [fold(p["text"]) for p in article["paragraphs"]]
    body = "".join(paragraphs)
    for n, line in enumerate(raw, 1):
        text = fold(line)
        if title_line <= n <= frame_end or len(text) < 2 or text == fold(article["title"]):
            continue
        # outside the article: never a paragraph, and a longer line never inside one
        assert text not in paragraphs, f"line {n} {line!r} kept as a paragraph"
        if len(text) >= 14:     # shorter ones may be names the article also prints
            assert text not in body, f"line {n} {line!r} kept in the body"


@pytest.mark.parametrize("simple, trad", [("gsc_1", "gsc_1_trad"), ("zsnews_1", "zsnews_1_trad")])
def test_traditional_twin_gives_the_same_article(simple, trad, cleaned):
    [a], [b] = cleaned[simple], cleaned[trad]
    assert b["script"] == "traditional" and a["script"] == "simplified"
    for key in ("title", "subtitle", "date", "source", "authors", "editors", "tags", "paragraphs"):
        assert a[key] == b[key], key


def _printed_dates(lines: list[str]) -> list[str]:
    out = []
    for m in re.finditer(r"(\d{4})\s*[-年.]\s*(\d{1,2})\s*[-月.]\s*(\d{1,2})", "\n".join(lines)):
        out.append(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
    return out
