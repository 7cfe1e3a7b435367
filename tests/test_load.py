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


# --- bad input at the loader (issue 8) ---------------------------------------

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

from wuxi_archive.load import MAX_LINE_CHARS, MAX_SEED_BYTES, MAX_SEED_LINES
from wuxi_archive.load.discover import OutputFolderError, SeedsFolderError, check_output_folder, discover_seeds

SENTENCE = "无锡高新区今天举行了科技创新大会，来自各地的企业代表参加了会议并进行了交流。"


def test_permission_denied_names_the_file(tmp_path, monkeypatch):
    # Tests run as root, who reads any file, so the refusal is simulated at os.open.
    path = tmp_path / "locked.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    real_open = os.open

    def refuse(p, *args, **kwargs):
        if Path(p) == path:
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(SeedError, match=r"locked\.txt: cannot be read \(permission denied\)"):
        load_seed(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_permission_denied_for_real(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    path.chmod(0)
    with pytest.raises(SeedError, match="permission denied"):
        load_seed(path)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(SeedError, match="not a regular file"):
        load_seed(tmp_path / "pipe.txt")


def test_a_large_file_is_read_up_to_the_limit_at_a_line_end(tmp_path):
    path = tmp_path / "large.txt"
    line = (SENTENCE + "\n").encode("utf-8")
    path.write_bytes(line * (3 * MAX_SEED_BYTES // len(line)))   # ~24 MB
    tracemalloc.start()
    page = load_seed(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * MAX_SEED_BYTES                               # bounded by the limit, not the file
    assert len(page.lines) <= MAX_SEED_LINES
    assert set(page.lines) == {SENTENCE}                            # no line cut in half, no bad bytes
    assert any("larger than the 8 MiB limit" in w for w in page.warnings)
    assert not any("invalid UTF-8" in w for w in page.warnings)


def test_one_enormous_line_is_split_at_sentence_ends(tmp_path):
    path = tmp_path / "oneline.txt"
    path.write_text(SENTENCE * 5000, encoding="utf-8")              # ~200 000 characters, no line end
    page = load_seed(path)
    assert len(page.lines) > 1 and all(len(l) <= MAX_LINE_CHARS for l in page.lines)
    assert all(l.endswith("。") for l in page.lines)               # every piece ends a sentence
    assert "".join(page.lines) == SENTENCE * 5000                   # nothing lost
    assert any("were split" in w for w in page.warnings)


def test_a_line_without_sentence_ends_is_cut_at_the_limit():
    page = load_seed_bytes("x.txt", ("字" * (MAX_LINE_CHARS * 2 + 5)).encode("utf-8"))
    assert [len(l) for l in page.lines] == [MAX_LINE_CHARS, MAX_LINE_CHARS, 5]


def test_utf8_with_a_few_bad_bytes_stays_utf8_and_counts_them():
    data = (SENTENCE + "\n").encode("utf-8") * 3 + b"\xc3\x28\xff" + (SENTENCE + "\n").encode("utf-8")
    page = load_seed_bytes("x.txt", data)
    assert page.encoding == "utf-8"
    assert page.lines[:3] == [SENTENCE] * 3 and page.lines[3].endswith(SENTENCE)
    assert any("2 undecodable byte(s)" in w for w in page.warnings)


def test_gbk_with_one_bad_byte_stays_gbk():
    data = (SENTENCE + "\n").encode("gbk") * 5 + b"\xff" + (SENTENCE + "\n").encode("gbk")
    page = load_seed_bytes("x.txt", data)
    assert page.encoding == "gb18030"
    assert page.lines[:5] == [SENTENCE] * 5 and page.lines[5].endswith(SENTENCE)
    assert any("1 undecodable byte(s)" in w for w in page.warnings)


@pytest.mark.parametrize("data", [
    bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 4,   # PNG
    __import__("gzip").compress(SENTENCE.encode("utf-8") * 50),
    bytes.fromhex("7f454c46020101") + bytes(400),                               # ELF
    bytes((i * 97 + 13) % 256 for i in range(6000)),                           # noise without NUL early
])
def test_binary_formats_are_refused(data):
    with pytest.raises(SeedError, match="binary file"):
        load_seed_bytes("b.txt", data)


def test_utf32_with_bom_is_read():
    page = load_seed_bytes("x.txt", SENTENCE.encode("utf-32"))
    assert page.lines == [SENTENCE] and "utf-32" in page.encoding


def test_only_whitespace_is_empty():
    with pytest.raises(SeedError, match="only whitespace"):
        load_seed_bytes("w.txt", "\u3000 \r\n\t\n".encode("utf-8"))


def test_discovery_refuses_links_out_and_nowhere_and_keeps_links_in(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "sub" / "inner.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (seeds / "a.txt").write_text(SENTENCE, encoding="utf-8")
    os.symlink(seeds / "sub" / "inner.txt", seeds / "inside_link.txt")
    os.symlink(tmp_path / "outside.txt", seeds / "out_link.txt")
    os.symlink("../seeds/../outside.txt", seeds / "relative_out.txt")
    os.symlink("gone.txt", seeds / "dangling.txt")
    os.symlink("loop.txt", seeds / "loop.txt")
    (seeds / "notes.yaml").write_text("title: x\n", encoding="utf-8")
    listing = discover_seeds(seeds)
    assert [p.name for p in listing.paths] == ["a.txt", "inside_link.txt"]
    reasons = dict(r.split(": ", 1) for r in listing.refused)
    assert set(reasons) == {"out_link.txt", "relative_out.txt", "dangling.txt", "loop.txt"}
    assert "outside the seeds folder" in reasons["out_link.txt"] and "outside" in reasons["relative_out.txt"]
    assert "does not exist" in reasons["dangling.txt"] and "loops" in reasons["loop.txt"]


def test_a_missing_or_odd_seeds_folder_is_a_usage_error(tmp_path):
    with pytest.raises(SeedsFolderError, match="does not exist"):
        discover_seeds(tmp_path / "nope")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SeedsFolderError, match="is not a folder"):
        discover_seeds(tmp_path / "file")


def test_the_output_folder_never_replaces_seeds_or_unrelated_files(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with pytest.raises(OutputFolderError, match="seeds folder"):
        check_output_folder(seeds, seeds)
    with pytest.raises(OutputFolderError, match="seeds folder"):
        check_output_folder(tmp_path, seeds)
    other = tmp_path / "docs"
    other.mkdir()
    (other / "thesis.md").write_text("years of work")
    with pytest.raises(OutputFolderError, match="not empty"):
        check_output_folder(other, seeds)
    check_output_folder(tmp_path / "fresh", seeds)                 # absent: fine
    (tmp_path / "site" / "data").mkdir(parents=True)
    (tmp_path / "site" / "data" / "articles.json").write_text("[]")
    check_output_folder(tmp_path / "site", seeds)                  # a site built before: fine


def test_build_refuses_an_output_folder_that_is_not_a_site(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(SENTENCE * 3, encoding="utf-8")
    precious = tmp_path / "docs"
    precious.mkdir()
    (precious / "keep.txt").write_text("keep me")
    for out in (precious, seeds):
        run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds), "--out", str(out)],
                             capture_output=True, text=True)
        assert run.returncode == 1 and "output folder" in run.stderr, run.stderr
    assert (precious / "keep.txt").read_text() == "keep me" and (seeds / "a.txt").is_file()


_GBK_PAGE = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
             '<title>无锡高新区举行科技大会</title></head><body><h1>无锡高新区举行科技大会</h1>'
             '<p>无锡高新区今天举行科技大会,发布了新的人才政策。</p></body></html>')


@pytest.mark.parametrize("charset", ["gbk", "GB2312", "gb18030"])
def test_a_declared_gbk_charset_that_decodes_cleanly_is_no_warning(charset):
    page = load_seed_bytes("x.html", _GBK_PAGE.format(charset=charset).encode("gbk"))
    assert page.encoding == "gb18030" and not any("gb18030" in w for w in page.warnings)


def test_gbk_undeclared_or_damaged_still_warns():
    undeclared = load_seed_bytes("x.html", _GBK_PAGE.replace("; charset={charset}", "").encode("gbk"))
    assert any("gb18030" in w for w in undeclared.warnings)
    declared_utf8 = load_seed_bytes("x.html", _GBK_PAGE.format(charset="utf-8").encode("gbk"))
    assert any("gb18030" in w for w in declared_utf8.warnings)
    damaged = _GBK_PAGE.format(charset="gbk").encode("gbk") * 5 + b"\xff" + "结束。".encode("gbk")
    assert any("gb18030" in w for w in load_seed_bytes("x.html", damaged).warnings)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="counts the process's memory mappings (Linux)")
def test_seeds_held_in_memory_do_not_each_keep_a_memory_mapping(tmp_path):
    # A build holds every new seed's bytes (its jobs); a read buffer sized to the limit was
    # mapped on its own and kept its mapping when shrunk: at 70,000 seeds the kernel's
    # 65,530 mappings ran out and the build died importing a module.
    from wuxi_archive.load import read_seed_bytes
    for n in range(3000):
        (tmp_path / f"{n}.txt").write_text("无锡新闻。" * (n % 50 + 1), encoding="utf-8")

    def mappings() -> int:
        return len(Path("/proc/self/maps").read_text().splitlines())

    before = mappings()
    held = [read_seed_bytes(path) for path in sorted(tmp_path.iterdir())]
    assert len(held) == 3000 and held[1][0] == "无锡新闻。".encode() * 2
    assert mappings() - before < 300
