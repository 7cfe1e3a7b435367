"""Organisations file under the initial of their name's reading in context."""
from __future__ import annotations

from wuxi_archive.index.slugs import assign_slugs, pinyin_initial


def test_a_heteronym_is_read_in_its_word():
    # 重 and 长 read alone are zhòng and zhǎng; in these names chóng and cháng
    assert pinyin_initial("重庆师范大学") == "C"
    assert pinyin_initial("长江网") == "C"
    assert pinyin_initial("长三角集成电路工业应用技术创新中心") == "C"   # from data/pinyin_phrases.yaml
    assert assign_slugs(["长三角汽车芯片检测联盟"])["长三角汽车芯片检测联盟"].startswith("chang-san-jiao-")


def test_plain_names_and_names_without_han():
    assert pinyin_initial("西安交通大学") == "X"
    assert pinyin_initial("中国电子技术标准化研究院") == "Z"
    assert pinyin_initial("IBM中国") == "I"
    assert pinyin_initial("3M公司") == "#"
