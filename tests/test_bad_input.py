"""Bad seeds next to good ones: the site is built from the good, each bad one is named with its reason.

The folder mixes the project's seeds (some re-encoded: UTF-16 with BOM,
GB18030, UTF-8 with BOM and CRLF) with every kind of broken or hostile
seed a scraper leaves behind. The build must exit 2, name each unreadable
seed with its reason on stderr, warn about the damaged-but-read ones, and
give the re-encoded seeds exactly the articles their UTF-8 originals give.
"""
from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from wuxi_archive.clean.mojibake import repair_mojibake
from wuxi_archive.clean.pinyin import strip_pinyin_annotations
from wuxi_archive.config import load_config
from wuxi_archive.convert import to_simplified
from test_injection import HOSTILE_TXT

PROTECTED = tuple(load_config().protected_terms)
GOOD = sorted(p.name for p in SEEDS.glob("*.txt"))
ARTICLE_FIELDS = ("title", "subtitle", "date", "source", "authors", "editors", "tags", "paragraphs", "script")

DAMAGED_ARTICLE = ("城市更新专题会议召开\n"
                   "无锡市梁溪区今天召开了一次关于城市更新的专题会议，与会代表就老旧小区改造进行了深入讨论。\n")
DAMAGED_TAIL = "会议还决定在明年启动第二批改造项目，涉及居民超过三千户，预计总投资将达到五亿元左右。\n"
CHROME_ONLY = "首页\n新闻\n财经\n体育\n关于我们\n联系电话：0510-12345678\n苏ICP备12345678号\n版权所有\n"
LONG_SENTENCE = "无锡高新区今天举行了科技创新大会，来自各地的企业代表参加了会议并就合作进行了交流。"

# file name -> (where it is reported, what the message must say)
UNREADABLE = {
    "empty.txt": "file is empty (0 bytes)",
    "blank.txt": "only whitespace",
    "binary.txt": "binary file",
    "gzip.txt": "binary file",
    "outside_link.txt": "pointing outside the seeds folder",
    "dangling_link.txt": "does not exist",
    "fifo.txt": "not a regular file",
}
# Root reads a file whatever its mode, so the permission case is only seen
# when the tests run as another user; test_load covers it by simulation.
RUN_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
if not RUN_AS_ROOT:
    UNREADABLE["unreadable.txt"] = "cannot be read (permission denied)"

WARNED = {
    "huge.txt": "larger than the 8 MiB limit",
    "damaged_utf8.txt": "invalid UTF-8 from byte",
    "gbk.txt": "decoded as gb18030",
    "utf16.txt": "decoded as utf-16 (byte order mark)",
    "chrome_only.txt": "no article text found",
    "one_line.txt": "were split, at sentence ends",
}


def write_bad_folder(seeds: Path) -> None:
    """The project's seeds, re-encoded and duplicated, beside every kind of bad seed."""
    seeds.mkdir()
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in GOOD]
    (seeds / GOOD[0]).write_text(texts[0], encoding="utf-8")
    (seeds / GOOD[1]).write_text(texts[1], encoding="utf-8")
    (seeds / "utf16.txt").write_bytes(texts[2].encode("utf-16"))
    (seeds / "gbk.txt").write_bytes(texts[3].encode("gb18030"))
    (seeds / "bom_crlf.txt").write_bytes(codecs.BOM_UTF8 + texts[4].replace("\n", "\r\n").encode("utf-8"))
    (seeds / "zz_duplicate.txt").write_text(texts[0], encoding="utf-8")
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "blank.txt").write_bytes(" \n\t\r\n\u3000\n".encode("utf-8"))
    rng = random.Random(8)
    (seeds / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4000)))
    (seeds / "gzip.txt").write_bytes(gzip.compress(texts[0].encode("utf-8")))
    (seeds / "damaged_utf8.txt").write_bytes(DAMAGED_ARTICLE.encode() + b"\xff\xfe\xc3" + DAMAGED_TAIL.encode())
    (seeds / "chrome_only.txt").write_text(CHROME_ONLY, encoding="utf-8")
    (seeds / "one_line.txt").write_text("科技大会\n" + LONG_SENTENCE * 1500, encoding="utf-8")
    (seeds / "hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    with (seeds / "huge.txt").open("w", encoding="utf-8") as fh:   # ~10 MB, over the 8 MiB read limit
        for i in range(80_000):
            fh.write(f"第{i}条：{LONG_SENTENCE}\n")
    (seeds / "unreadable.txt").write_text(texts[1].replace("无锡", "江阴"), encoding="utf-8")
    os.chmod(seeds / "unreadable.txt", 0)  # root still reads it: see RUN_AS_ROOT
    os.symlink("/etc/passwd", seeds / "outside_link.txt")
    os.symlink("missing.txt", seeds / "dangling_link.txt")
    os.mkfifo(seeds / "fifo.txt")


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    write_bad_folder(root / "seeds")
    out = root / "out"
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(root / "seeds"), "--out", str(out)],
                         capture_output=True, text=True, timeout=600)
    records = json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))
    return run, out, records


def _body(record: dict) -> str:
    return "".join(p["text"] for p in record["paragraphs"])


def test_the_build_exits_2(bad_build):
    run, _, _ = bad_build
    assert run.returncode == 2, run.stderr


@pytest.mark.parametrize("name, reason", sorted(UNREADABLE.items()))
def test_each_unreadable_seed_is_named_with_its_reason(bad_build, name, reason):
    run, _, records = bad_build
    lines = [l for l in run.stderr.splitlines() if l.startswith(f"error: {name}: ")]
    assert len(lines) == 1 and reason in lines[0], run.stderr
    assert name not in {r["seed"] for r in records}


@pytest.mark.parametrize("name, reason", sorted(WARNED.items()))
def test_each_damaged_seed_is_read_and_warned_about(bad_build, name, reason):
    run, _, _ = bad_build
    assert any(l.startswith(f"warning: {name}: ") and reason in l for l in run.stderr.splitlines()), run.stderr
    assert f"error: {name}" not in run.stderr


def test_re_encoded_seeds_give_the_same_articles_as_their_originals(bad_build, site_records):
    _, _, records = bad_build
    originals = {r["seed"]: r for r in site_records}
    by_seed = {r["seed"]: r for r in records}
    for copy, original in (("utf16.txt", GOOD[2]), ("gbk.txt", GOOD[3]), ("bom_crlf.txt", GOOD[4]),
                           (GOOD[0], GOOD[0]), (GOOD[1], GOOD[1])):
        got, want = by_seed[copy], originals[original]
        for field in ARTICLE_FIELDS:
            assert got[field] == want[field], (copy, field)


def test_a_duplicate_seed_gives_one_article_and_a_warning(bad_build):
    run, _, records = bad_build
    assert [r["seed"] for r in records].count(GOOD[0]) == 1
    assert "zz_duplicate.txt" not in {r["seed"] for r in records}
    assert f"warning: zz_duplicate.txt: duplicate of {GOOD[0]}" in run.stderr
    kept = next(r for r in records if r["seed"] == GOOD[0])
    assert any("zz_duplicate.txt" in w for w in kept["warnings"])


def test_a_chrome_only_page_makes_no_page(bad_build):
    _, out, records = bad_build
    assert "chrome_only.txt" not in {r["seed"] for r in records}
    assert not list((out / "articles").glob("chrome_only*"))


def test_damaged_utf8_keeps_what_decodes(bad_build):
    _, _, records = bad_build
    record = next(r for r in records if r["seed"] == "damaged_utf8.txt")
    assert "与会代表就老旧小区改造进行了深入讨论。" in _body(record)
    assert "涉及居民超过三千户" in _body(record)


def test_nothing_outside_the_seeds_folder_is_published(bad_build):
    _, out, _ = bad_build
    leaked = [p for p in out.rglob("*") if p.is_file() and b"root:x:0:0" in p.read_bytes()]
    assert not leaked


# Nothing lost: every sentence ending in Chinese sentence punctuation and longer
# than 30 characters is in an article or in `removed` with a reason.
_SENTENCE = re.compile(r"[^。！？]*[。！？]")


def long_sentences(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        for match in _SENTENCE.finditer(line):
            sentence = re.sub(r"\s+", "", match.group(0))
            if len(sentence) > 30:
                found.append(sentence)
    return found


def assert_nothing_lost(lines: list[str], records: list[dict], what: str) -> None:
    kept = "\n".join([r["title"] for r in records] + [p["text"] for r in records for p in r["paragraphs"]])
    removed = "\n".join(rm["text"] for r in records for rm in r["removed"] if rm["reason"])
    kept, removed = re.sub(r"[ \t]+", "", kept), re.sub(r"[ \t]+", "", removed)
    # Compare as cleaning should leave the text: mojibake repaired, pinyin readings out, and both
    # sides simplified when the page was traditional (removed lines keep the
    # original script; the converter may spare a character on purpose).
    traditional = any(r["script"] == "traditional" for r in records)

    def norm(text: str) -> str:
        text = strip_pinyin_annotations(text)
        return to_simplified(text, PROTECTED) if traditional else text

    kept, removed = norm(kept), norm(removed)
    repaired = [repair_mojibake(line, number)[0] for number, line in enumerate(lines, 1)]
    # A character the repair could not recover (□) may be restored from context by cleaning.
    missing = [s for s in dict.fromkeys(long_sentences([norm(line) for line in repaired]))
               if not re.search(re.escape(s).replace("□", "."), kept + "\n" + removed)]
    assert not missing, (what, missing[:3])


@pytest.mark.parametrize("seed, source", [
    ("utf16.txt", GOOD[2]), ("gbk.txt", GOOD[3]), ("bom_crlf.txt", GOOD[4]),
    ("damaged_utf8.txt", None), ("one_line.txt", None), ("hostile.txt", None), (GOOD[0], GOOD[0]),
])
def test_nothing_is_lost_from_bad_and_hostile_seeds(bad_build, seed, source):
    _, _, records = bad_build
    if source:
        text = (SEEDS / source).read_text(encoding="utf-8")
    elif seed == "damaged_utf8.txt":
        text = DAMAGED_ARTICLE + DAMAGED_TAIL
    elif seed == "one_line.txt":
        text = LONG_SENTENCE * 3
    else:
        text = HOSTILE_TXT
    assert long_sentences(text.splitlines()), "the seed must hold sentences to check"
    assert_nothing_lost(text.splitlines(), [r for r in records if r["seed"] == seed], seed)
