"""Pinyin annotations are removed, and only those."""
from __future__ import annotations

import pytest

from wuxi_archive.clean.pinyin import strip_pinyin_annotations


@pytest.mark.parametrize("raw, clean", [
    ("中國新聞網(wǎng)江蘇", "中國新聞網江蘇"),
    ("產(chǎn)業(yè)", "產業"),
    ("聯繫(xì)我們(men)", "聯繫我們"),          # toneless, but a reading of 們
    ("皖I(lǐng)CP備2022009963號", "皖ICP備2022009963號"),  # toned syllable after a Latin letter
    ("（ｗǎｎｇ）", "（ｗǎｎｇ）"),                # no character before it: left alone
])
def test_annotations_are_removed(raw, clean):
    assert strip_pinyin_annotations(raw) == clean


@pytest.mark.parametrize("text", [
    "中新网江苏新闻5月30日电(孙权)29日",
    "系列活动将陆续举行。(完)",
    "卢建军调研西交利物浦大学(以下简称“西浦”)",
    "更多粉丝福利扫描二维码关注(sinafinance)",
    "康明斯(中国)投资有限公司",
    "《氢能产业标准体系建设指南(2023版)》",
    "中科磁元公司(ceo)",                         # toneless, not a reading of 司
])
def test_text_in_brackets_is_not_pinyin(text):
    assert strip_pinyin_annotations(text) == text
