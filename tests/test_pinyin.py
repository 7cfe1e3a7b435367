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


def _forget_stripped_lines():
    import wuxi_archive.clean.pinyin as pinyin
    pinyin._without_reading.cache_clear()
    pinyin.strip_pinyin_annotations.cache_clear()


def test_a_toneless_annotation_asks_pypinyin_only_for_a_character_no_memo_holds(monkeypatch):
    # A rebuild's process cleaning one new seed should not load pypinyin (a quarter of a
    # second) for characters an earlier build read: readings.py remembers them, and each
    # process hands back the ones it read.
    import sys

    import wuxi_archive.readings as readings
    monkeypatch.setattr(readings, "_CHARACTER_READINGS", {})
    monkeypatch.setattr(readings, "_CHARACTERS_TO_HAND_BACK", {})
    text = "聯繫我們(men)的(de)客戶(ceo)"
    _forget_stripped_lines()
    assert strip_pinyin_annotations(text) == "聯繫我們的客戶(ceo)"
    read = readings.new_character_readings()
    assert set(read) == {"們", "的", "戶"} and "men" in read["們"] and "de" in read["的"]
    assert readings.new_character_readings() == {}           # handed back once

    monkeypatch.setattr(readings, "_CHARACTER_READINGS", {})
    monkeypatch.setitem(sys.modules, "pypinyin", None)        # importing it now fails
    _forget_stripped_lines()
    with pytest.raises(ImportError):
        strip_pinyin_annotations(text)
    readings.remember_character_readings({"多字": ["x"], "了": "le", 1: ["x"]})   # malformed: ignored
    readings.remember_character_readings(read)
    _forget_stripped_lines()
    assert strip_pinyin_annotations(text) == "聯繫我們的客戶(ceo)"
    assert set(readings.character_readings_memo()) == {"們", "的", "戶"}
    _forget_stripped_lines()
