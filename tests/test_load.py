"""Loading: encodings, line ends, saved web pages."""
from __future__ import annotations

import codecs

import pytest

from wuxi_archive.load import SeedError, load_seed, load_seed_bytes

TEXT = "无锡高新区举行科技大会。\n来源:新华社\n"


@pytest.mark.parametrize("data, encoding, warned", [
    (TEXT.encode("utf-8"), "utf-8", False),
    (codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8-sig", False),
    (TEXT.encode("gb18030"), "gb18030", True),
    (TEXT.encode("gbk"), "gb18030", True),
    (TEXT.encode("utf-16"), "utf-16", True),
])
def test_encodings_decode_to_the_same_lines(data, encoding, warned):
    page = load_seed_bytes("x.txt", data)
    assert page.lines[:2] == ["无锡高新区举行科技大会。", "来源:新华社"]
    assert page.encoding == encoding
    assert any(encoding.split("-")[0] in w for w in page.warnings) == warned


def test_invalid_utf8_mid_file_is_decoded_with_a_warning():
    data = "第一段文字。\n".encode("utf-8") * 50 + b"\xff\xfe\xfa" + "第二段。\n".encode("utf-8")
    page = load_seed_bytes("x.txt", data)
    assert any(line.endswith("第二段。") for line in page.lines)
    assert any("invalid UTF-8" in w for w in page.warnings)


@pytest.mark.parametrize("data, reason", [(b"", "empty"), (b" \n\t\n", "empty"), (bytes(range(256)) * 20, "binary")])
def test_unreadable_bytes_raise_a_named_error(data, reason):
    with pytest.raises(SeedError) as err:
        load_seed_bytes("bad.txt", data)
    assert "bad.txt" in str(err.value) and reason in str(err.value)


def test_html_page_becomes_lines_without_scripts_or_hidden_text(tmp_path):
    page_html = """<!doctype html><html><head><title>标题 - 某网站</title>
    <meta name="pubdate" content="2024-05-30"><style>p{color:red}</style></head>
    <body><nav><ul><li><a href="/">首页</a></li><li><a href="/n">新闻</a></li></ul></nav>
    <article><h1>无锡举办科技大会</h1><p>第一段正文,讲述了<b>大会</b>的情况。</p><p>第二段正文。</p></article>
    <div style="display:none">隐藏文字</div><script>var x = "脚本";</script>
    <footer>版权所有 © 2024</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page_html, encoding="utf-8")
    page = load_seed(path)
    lines = [l for l in page.lines if l]
    assert lines == ["首页", "新闻", "无锡举办科技大会", "第一段正文,讲述了大会的情况。", "第二段正文。", "版权所有 © 2024"]
    assert page.html_title == "标题 - 某网站"
    assert page.html_meta["pubdate"] == "2024-05-30"


def test_unreadable_file_names_the_file(tmp_path):
    with pytest.raises(SeedError) as err:
        load_seed(tmp_path / "missing.txt")
    assert "missing.txt" in str(err.value)
