"""Property-based tests of the cleaning stages: any input, no crash; no pinyin left; cleaning is a fixpoint.

Example counts are modest so the suite stays fast; benchmarks/fuzz.py runs
the same properties with many more examples.
"""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wuxi_archive.clean import clean_page
from wuxi_archive.clean.mojibake import repair_mojibake
from wuxi_archive.clean.pinyin import _CANDIDATE, is_pinyin_annotation, strip_pinyin_annotations
from wuxi_archive.config import load_config
from wuxi_archive.convert import convert_article, detect_script, to_simplified
from wuxi_archive.load import MAX_LINE_CHARS, SeedError, load_seed_bytes
from wuxi_archive.records import RawPage

CONFIG = load_config()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like the pages: Han characters (simplified and traditional),
# bracketed readings with and without tones, Chinese punctuation, chrome bits.
HAN = "无锡网網们們中国國会會议議科技大会举办舉辦行长長乾融著着"
PIECES = st.sampled_from([*HAN, "(wǎng)", "（wǎng）", "(men)", "(zhōng)", "(完)", "(sinafinance)", "(", ")",
                          "。", "，", "！", "？", "：", " ", "\u3000", "2024年5月30日", "来源：", "责任编辑", "|", "首页"])
PAGE_TEXT = st.lists(PIECES, max_size=60).map("".join)
SENTENCE = st.lists(st.sampled_from(list(HAN[:20])), min_size=12, max_size=40).map(lambda cs: "".join(cs) + "。")


def has_annotation(text: str) -> bool:
    return any(is_pinyin_annotation(m.group(1), m.group(2)) for m in _CANDIDATE.finditer(text))


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["s.txt", "s.html"]))
def test_loading_any_bytes_gives_lines_or_a_named_error(data, name):
    try:
        page = load_seed_bytes(name, data)
    except SeedError as exc:
        assert str(exc).startswith(name + ": ")
        return
    assert page.lines and all("\n" not in l and "\r" not in l and len(l) <= MAX_LINE_CHARS for l in page.lines)


@FAST
@given(st.text(max_size=2000))
def test_loading_any_text_in_any_encoding_round_trips(text):
    for codec in ("utf-8", "utf-8-sig", "utf-16"):
        try:
            page = load_seed_bytes("t.txt", text.encode(codec, "surrogatepass"))
        except SeedError:
            continue
        if "\ufffd" not in "".join(page.lines) and not any(ord(c) < 32 and c not in "\t\n\r" for c in text):
            assert "\n".join(page.lines) == text.replace("\r\n", "\n").replace("\r", "\n"), codec


@FAST
@given(st.one_of(st.text(max_size=300), PAGE_TEXT))
@example("网(wǎng)(wǎng)")
@example("们(men)（men）")
def test_strip_pinyin_never_crashes_leaves_no_annotation_and_is_idempotent(text):
    once = strip_pinyin_annotations(text)
    assert not has_annotation(once)
    assert strip_pinyin_annotations(once) == once


@FAST
@given(st.one_of(st.text(max_size=300), PAGE_TEXT), st.integers(1, 500))
def test_repair_mojibake_never_crashes(text, line):
    repaired, fixes, warnings = repair_mojibake(text, line)
    assert isinstance(repaired, str) and isinstance(fixes, list) and isinstance(warnings, list)


@FAST
@given(st.lists(st.one_of(st.text(max_size=80), PAGE_TEXT), max_size=25))
def test_clean_page_never_crashes_and_leaves_no_pinyin(lines):
    articles = clean_page(RawPage(seed="p.txt", lines=lines, encoding="utf-8"), CONFIG)
    for article in articles:
        for paragraph in article.paragraphs:
            assert not has_annotation(paragraph.text)
        converted = convert_article(article, tuple(CONFIG.protected_terms))
        assert isinstance(converted.title, str)


@FAST
@given(st.text(max_size=300))
def test_convert_never_crashes_and_simplified_output_stays_put(text):
    simple = to_simplified(text)
    assert to_simplified(simple) == simple or detect_script(simple) == "simplified"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SENTENCE, min_size=2, max_size=8), st.lists(st.sampled_from(["首页", "新闻 | 财经", "2024-05-30", "来源：新华社"]), max_size=4))
def test_cleaning_cleaned_text_changes_nothing(sentences, chrome):
    """The fixpoint that is meaningful: a page made of an article's own title
    and paragraphs cleans to the same paragraphs. Metadata lines are not part
    of the check (they were removed the first time and are not fed back)."""
    page = RawPage(seed="f.txt", lines=[*chrome, "无锡召开科技大会", *sentences, *chrome], encoding="utf-8")
    for article in clean_page(page, CONFIG):
        again_page = RawPage(seed="f.txt", lines=[article.title, *(p.text for p in article.paragraphs)], encoding="utf-8")
        again = [p.text for a in clean_page(again_page, CONFIG) for p in a.paragraphs]
        assert again == [p.text for p in article.paragraphs]
