"""The cleaning report in Chinese: every removal reason, date basis and warning the seeds
and test pages produce has a translation; an unknown one is shown in English."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEEDS
from wuxi_archive.load import load_seed
from wuxi_archive.build.pipeline import process_page
from wuxi_archive.render import chinese as zh
from wuxi_archive.editorial.review import attention


def _messages(paths: list[Path], config) -> set[str]:
    """Everything of these seeds an editor reads in the report, in the English the data keeps."""
    found: set[str] = set()
    for path in paths:
        page = load_seed(path)
        found.update(page.warnings)
        for article in process_page(page, config):
            c = article.clean
            found.update(r.reason for r in c.removed)
            found.update(attention(article, page.lines))
            found.add(c.date_basis)
    return found


def _untranslated(messages: set[str]) -> list[str]:
    return sorted(m for m in messages if not zh.translate(m).complete)


def test_every_message_of_the_seeds_has_a_translation(config):
    messages = _messages(sorted(SEEDS.glob("*.txt")), config)
    assert len(messages) > 20           # reasons, bases and the undated seed's warning
    assert "undated: no publication date found" in messages
    assert _untranslated(messages) == []


def test_every_message_of_the_test_pages_has_a_translation(testpages_dir, config):
    messages = _messages(sorted(testpages_dir.glob("*.txt")), config)
    assert _untranslated(messages) == []


def test_every_message_of_the_dev_pages_has_a_translation(shared_dir, config):
    # 42 pages of sites nobody tuned for: the reasons, title evidence and warnings they give
    dev = shared_dir / "devpages"
    if not dev.is_dir():
        pytest.skip("../shared/devpages is missing")
    messages = _messages(sorted(dev.glob("*.txt")) + sorted((dev / "html").glob("*.html")), config)
    assert _untranslated(messages) == []


def test_a_list_of_bracketed_pieces_is_translated_piece_by_piece():
    message = "metadata: title (repeats the page title (+4.0); below a breadcrumb (+1.5); reads like a sentence (-1.5))"
    assert zh.chinese(message) == "元数据:标题(与网页标题相同(+4.0);位于面包屑导航之下(+1.5);像一个句子(-1.5))"
    assert not zh.translate("metadata: title (repeats the page title (+4.0); an unknown piece (+1.0))").complete


def test_translation_is_chinese_piece_by_piece():
    assert zh.chinese("after the article: contact block (e-mail address)") == "正文之后:联系方式(电子邮箱)"
    assert zh.chinese("metadata: source, date, counter") == "元数据:来源、日期、计数"
    assert zh.chinese("metadata: tag (value of the line before)") == "元数据:标签(上一行所写的值)"
    # values are carried over; a nested reason is translated too
    assert zh.chinese("lines 16-30: a block of text outside the article was removed as chrome; "
                      "check it is not part of the article") == "第 16–30 行:正文以外的一段文字被当作页面杂项删除;请核对它是否属于正文"
    basis = "date of the page (article 2 on the same page: year inferred from the year the text mentions most (2023))"
    assert zh.chinese(basis) == "同页日期(取自同页第 2 篇:年份取自正文提到最多的年份(2023))"


def test_an_unknown_message_is_shown_in_english():
    unknown = zh.translate("a reason the table has never seen")
    assert unknown == zh.Translation("a reason the table has never seen", False)
    # a known key with an explanation the table lacks keeps the key's Chinese, flagged incomplete
    partly = zh.translate("menu item (some new explanation)")
    assert partly.text == "菜单项" and not partly.complete
    # a known key followed by an unknown message is English as a whole (no half-translated line)
    assert zh.chinese("after the article: a reason the table has never seen") == \
        "after the article: a reason the table has never seen"


def test_a_new_reason_is_one_line_of_yaml(monkeypatch):
    table = dict(zh.bundled_data(zh.TABLE))
    monkeypatch.setattr(zh, "bundled_data", lambda name: {**table, "sidebar poll": "侧栏投票"})
    zh._keys.cache_clear()
    zh.translate.cache_clear()
    try:
        assert zh.chinese("before the article: sidebar poll") == "正文之前:侧栏投票"
    finally:
        monkeypatch.undo()
        zh._keys.cache_clear()
        zh.translate.cache_clear()
    assert zh.chinese("before the article: sidebar poll") == "before the article: sidebar poll"


@pytest.mark.parametrize("message", ["undated: no publication date found", "unrepaired garble in the text",
                                     "uncertain split: this part has only 12 characters of text",
                                     "low text share: the text kept is 9% of the page"])
def test_review_reasons_are_translated(message):
    text = zh.translate(message)
    assert text.complete and not any("a" <= ch <= "z" for ch in text.text)
