"""UTF-8 read as GBK: real lines garbled the way a scraper does it, then repaired."""
from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wuxi_archive.clean.mojibake import GAP, may_be_garbled
from wuxi_archive.clean.utf8_as_gbk import repair_utf8_read_as_gbk
from wuxi_archive.load import load_seed_bytes


def garble(text: str) -> str:
    """A UTF-8 page decoded as GBK, each invalid byte replaced (U+FFFD), as scrapers do."""
    return text.encode("utf-8").decode("gbk", errors="replace")


def real_lines(*folders: Path) -> list[str]:
    lines: list[str] = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".txt", ".html", ".htm"):
                text = path.read_bytes().decode("utf-8", errors="replace")
                lines += [line.strip() for line in text.splitlines() if line.strip() and not line.isascii()]
    return lines


def matches_with_gaps(repaired: str, original: str) -> bool:
    """Whether `repaired` is `original` with some characters marked GAP (one each)."""
    return re.fullmatch("".join("." if c == GAP else re.escape(c) for c in repaired), original, re.S) is not None


@pytest.fixture(scope="module")
def seed_lines(seeds_dir: Path) -> list[str]:
    return real_lines(seeds_dir)


def test_ordinary_lines_are_never_changed(seed_lines):
    assert seed_lines
    changed = [line for line in seed_lines if repair_utf8_read_as_gbk(line, 1)[1]]
    assert changed == []


def test_test_pages_are_never_changed(testpages_dir):
    changed = [line for line in real_lines(testpages_dir) if repair_utf8_read_as_gbk(line, 1)[1]]
    assert changed == []


def test_garbled_seed_lines_come_back_with_only_lost_characters_marked(seed_lines):
    repaired = wrong = 0
    for line in seed_lines:
        if len(line) < 10:
            continue
        text, fixes, warnings = repair_utf8_read_as_gbk(garble(line), 7)
        if not fixes:
            continue
        assert may_be_garbled(garble(line))        # the cleaner's cheap test lets it through
        repaired += 1
        wrong += not matches_with_gaps(text, line)
        assert fixes[0].line == 7 and fixes[0].kind == ("mojibake-gap" if GAP in text else "mojibake")
        assert bool(warnings) == (GAP in text) and all(w.startswith("line 7:") for w in warnings)
    assert wrong == 0
    # Lines too short to judge, or where more characters are lost than read, stay as they are.
    assert repaired >= 0.8 * sum(1 for line in seed_lines if len(line) >= 10)


def test_ordinary_text_before_the_garble_is_kept():
    garbled = "来源:" + garble("无锡正培育壮大现代产业集群，很高兴看到康明斯这样的企业。")
    text, fixes, _ = repair_utf8_read_as_gbk(garbled, 1)
    assert text.startswith("来源:无锡正培育壮大现代产业集群，很高兴")
    assert fixes[0].before == garbled[len("来源:"):]


def test_pinyin_and_letters_a_pair_swallowed_come_back():
    assert repair_utf8_read_as_gbk(garble("品牌活動(dòng)推广"), 1)[0] == "品牌活動(dòng)推广"
    # `网` + `_`: the last byte of 网 and the underscore made one GBK character.
    text = repair_utf8_read_as_gbk(garble("新闻中心_长江网_cjn.cn"), 1)[0]
    assert text.endswith("_长江网_cjn.cn") and matches_with_gaps(text, "新闻中心_长江网_cjn.cn")


def test_a_replacement_character_garbled_too_becomes_a_lost_character():
    # U+FFFD already in the UTF-8 page reads as the famous 锟斤拷 once decoded as GBK.
    line = "无锡高新区举行科技大会\ufffd\ufffd会议由张三主持，各方代表参加。"
    assert "锟斤拷" in garble(line)
    text, _, _ = repair_utf8_read_as_gbk(garble(line), 1)
    assert "\ufffd" not in text and matches_with_gaps(text, line)


def test_the_other_garble_is_left_to_repair_mojibake(seeds_dir):
    # Seed 002's runs are GBK read one byte out of step (test_mojibake.py): not this garble.
    lines = (seeds_dir / "002_c83e22518ca00d00.txt").read_text(encoding="utf-8").splitlines()
    assert any("\ue000" <= c <= "\uf8ff" for c in lines[7])
    assert repair_utf8_read_as_gbk(lines[7], 8)[1] == []


def test_a_gbk_file_of_mostly_garbled_text_is_read_not_refused():
    # A GB18030 page holding a UTF-8-read-as-GBK paragraph: GB18030 reads every byte,
    # though the text is far from "mostly CJK"; it used to be refused as binary.
    paragraph = garble("8月14日,当前,无锡正培育壮大“465”现代产业集群,很高兴看到康明斯这样的企业。" * 8)
    data = "\n".join(["无锡高新区人才服务周启动", "", paragraph]).encode("gb18030")
    page = load_seed_bytes("x.txt", data)
    assert page.encoding == "gb18030" and page.lines[2] == paragraph


def test_a_built_article_holds_the_repaired_paragraph_and_warns(tmp_path):
    body = "无锡高新区2024年产业科技创新人才服务周启动,现场发布了多项人才政策,吸引了众多企业参加。"
    page = "\n".join([
        "无锡高新区人才服务周启动", "", "2024-05-30 14:55 来源:新华日报", "",
        garble(body), "",
        "活动现场,与会领导和嘉宾共同启动长三角芯片应用、认证和推广平台,平台功能同步发布。", "",
        "会议强调,要深入实施人才强区战略,为高质量发展提供有力支撑。",
    ])
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_text(page, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds),
                          "--out", str(tmp_path / "site"), "--no-cache"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    [article] = json.loads((tmp_path / "site" / "data" / "articles.json").read_text(encoding="utf-8"))
    texts = [p["text"] for p in article["paragraphs"]]
    assert any(matches_with_gaps(text, body) for text in texts), texts
    assert any(w.startswith("line 5:") and "UTF-8 as GBK" in w for w in article["warnings"])


def test_repair_leaves_no_reference_cycles(seed_lines):
    # Builds run with the cyclic GC off (cli.py, build.py): garbage in cycles stays
    # until the process ends. An encode error handler that raised its exception made
    # one per line holding a character outside GBK, and 26 MB more in each worker at 2k.
    lines = [garble(line) + "😀" for line in seed_lines] + [line + "😀" for line in seed_lines]
    gc.collect()
    gc.disable()
    try:
        for number, line in enumerate(lines, 1):
            repair_utf8_read_as_gbk(line, number)
        assert gc.collect() == 0
    finally:
        gc.enable()
