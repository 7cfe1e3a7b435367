"""The one schema of config and sidecars: values once accepted wrongly are errors with file, line
and the allowed values; good values still load."""
from __future__ import annotations

import pytest

from wuxi_archive.config import ConfigError, load_config
from wuxi_archive.editorial.sidecars import SidecarError, parse_sidecar


@pytest.mark.parametrize("text, line, words", [
    # a feed of `true` articles, or one that silently dropped its last five
    ("site_title: 档案\nfeed_entries: true\n", 2, ["'feed_entries' must be a whole number, 1 or more", "true or false"]),
    ("site_title: 档案\n\nfeed_entries: -5\n", 3, ["'feed_entries' must be a whole number, 1 or more, not '-5'"]),
    ("feed_entries: 0\n", 1, ["1 or more"]),
    # a protected term that became the text "None"
    ("protected_terms:\n  - 无锡\n  - null\n", 3, ["each of 'protected_terms' must be a word", "not null"]),
    ("protected_terms: ['  ']\n", 1, ["non-empty"]),
    # a base_url the feed and sitemap cannot resolve against
    ("base_url: example.com\n", 1, ["absolute http:// or https:// URL", "'example.com'"]),
    ("base_url: ftp://example.com/\n", 1, ["absolute http:// or https:// URL"]),
    ("base_url: https://\n", 1, ["absolute http:// or https:// URL"]),
    ("base_url: 5\n", 1, ["'base_url' must be an absolute", "a whole number ('5')"]),
    ("chrome:\n  widgets:\n    - 分享\n    - ''\n", 4, ["each of 'chrome.widgets' must be a word"]),
    ("aliases:\n  锡科院: 无锡科技职业学院\n  锡大: 7\n", 3, ["'aliases.锡大' must be a name"]),
    ("site_title: a\nfeed_entry: 5\n", 2, ["unknown key 'feed_entry'", "did you mean 'feed_entries'?"]),
    ("site_title: a\nsite_title: b\n", 2, ["'site_title' is given twice"]),
])
def test_bad_config_values_are_errors_with_file_line_and_what_is_allowed(tmp_path, text, line, words):
    path = tmp_path / "wuxi-archive.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    for word in words:
        assert word in message, message


def test_good_config_values_still_load(tmp_path):
    path = tmp_path / "wuxi-archive.yaml"
    path.write_text("site_title: 档案\nbase_url: https://example.org/archive/\nfeed_entries: 7\n"
                    "protected_terms: [乾陵, 2024]\naliases: {锡科院: 无锡科技职业学院}\nabout: ''\n",
                    encoding="utf-8")
    config = load_config(path)
    assert (config.site_title, config.base_url, config.feed_entries) == ("档案", "https://example.org/archive", 7)
    assert config.protected_terms[-2:] == ["乾陵", "2024"] and config.aliases["锡科院"] == "无锡科技职业学院"
    path.write_text("base_url: ''\n", encoding="utf-8")
    assert load_config(path).base_url == ""


@pytest.mark.parametrize("text, line, words", [
    ("title: 标题\narticles:\n  1:\n    title: 一\n  2:\n    editors:\n      - 王五\n      - ''\n", 8,
     ["each of 'editors' must be a non-empty text"]),
    ("events:\n  - name: 开幕式\n    date: 2024-02-30\n", 3, ["'date' must be a date written YYYY-MM-DD"]),
    ("events:\n  - name: 开幕式\n    place: [a]\n", 3, ["'place' must be a non-empty text", "not a list"]),
    ("organisations:\n  - 甲大学\n  - {name: 乙, alias: [x]}\n", 3, ["unknown key 'alias'", "did you mean 'aliases'?"]),
    ("articles:\n  1: {title: a}\n  1: {title: b}\n", 3, ["given twice"]),
    ("drop_lines: [true]\n", 1, ["seed line number", "true or false"]),
])
def test_bad_sidecar_values_name_the_line_of_the_value(text, line, words):
    with pytest.raises(SidecarError) as caught:
        parse_sidecar(text, "seeds/x.yaml")
    assert caught.value.line == line, str(caught.value)
    for word in words:
        assert word in caught.value.message, caught.value.message
