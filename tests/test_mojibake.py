"""Mojibake repair: GBK text read one byte out of step, on seed 002 and small cases."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from wuxi_archive.clean.mojibake import GAP, repair_mojibake
from wuxi_archive.clean.pinyin import strip_pinyin_annotations

SEED_002 = "002_c83e22518ca00d00.txt"
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def decode_out_of_step(data: bytes) -> str:
    """What the broken decoder made of GBK bytes: an invalid pair becomes one `?`
    (both bytes gone), and the page later folds full-width punctuation to ASCII."""
    out, i = [], 0
    while i < len(data):
        if data[i] < 0x80:
            out.append(chr(data[i]))
            i += 1
            continue
        try:
            out.append(data[i:i + 2].decode("gb18030"))
        except UnicodeDecodeError:
            out.append("?")
        i += 2
    return "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff0f" else c for c in out)


def garble(before: str, rest: str) -> str:
    """`before` intact, then `rest` with its first byte lost (shown as `?`)."""
    return before + "?" + decode_out_of_step(rest.encode("gbk")[1:])


@pytest.fixture(scope="module")
def seed_lines(seeds_dir: Path) -> list[str]:
    return (seeds_dir / SEED_002).read_text(encoding="utf-8").splitlines()


def test_garble_model_reproduces_the_seed(seed_lines):
    # The mechanism in the module docstring, checked against the page itself.
    assert garble("", "。”錫山") in seed_lines[21]
    assert garble("", "。”無錫市委") in seed_lines[25]


@pytest.mark.parametrize("number, recovered", [
    (8, "科技副總三支科技人才服務隊伍"),
    (14, "創業。”江陰市第十四批科技鎮長團團長"),
    (22, "合作項目。”錫山科技鎮長團"),
    (26, "智慧與力量。”無錫市委常委"),
])
def test_seed_runs_are_repaired_with_the_page_as_context(seed_lines, number, recovered):
    page = "\n".join(seed_lines)
    raw = seed_lines[number - 1]
    text, fixes, warnings = repair_mojibake(raw, number, page)
    assert recovered in strip_pinyin_annotations(text)
    assert not PRIVATE_USE.search(text)
    assert not re.search(r"\?[!a-zA-Z\u3400-\u9fff]", text)
    assert warnings == []
    assert fixes and all(f.kind == "mojibake" and f.line == number for f in fixes)
    assert all(f.before in raw and f.after in text for f in fixes)


def test_lost_character_with_no_evidence_is_marked_and_warned(seed_lines):
    # Without the page, nothing says the lost character of line 8 was 三.
    text, fixes, warnings = repair_mojibake(seed_lines[7], 8)
    assert f"科技副總{GAP}支科技人才服務" in text
    assert [f.kind for f in fixes] == ["mojibake-gap"]
    assert len(warnings) == 1 and warnings[0].startswith("line 8:")
    assert not PRIVATE_USE.search(text)


def test_annotation_after_a_lost_trail_byte_picks_the_character(seed_lines):
    # `兼?zhèn)`: 鎮 and its variant 鎭 both read zhèn and share the lead byte;
    # the standard form wins, with no page context at all.
    text, _, _ = repair_mojibake(seed_lines[13], 14)
    assert "第十四批科技鎮長" in text


def test_repairs_a_sentence_garbled_by_the_same_mechanism():
    raw = garble("他說這是全國第一個", "。”臺灣同胞表示歡迎")
    assert raw != "他說這是全國第一個。”臺灣同胞表示歡迎"
    text, fixes, warnings = repair_mojibake(raw, 3)
    assert text == "他說這是全國第一個。”臺灣同胞表示歡迎"
    assert fixes[0].kind == "mojibake" and warnings == []


def test_lone_lost_lead_byte_recovered_from_its_annotation():
    raw = garble("他們走訪了", "鄉(xiāng)村和學校。")
    assert "?l(xiāng)" in raw
    text, fixes, _ = repair_mojibake(raw, 1)
    assert text == "他們走訪了鄉(xiāng)村和學校。"
    assert fixes[0].before == "?l" and fixes[0].after == "鄉"


def test_undecidable_ends_become_visible_gaps():
    raw = garble("會議", "由市長主持(完)")
    text, fixes, warnings = repair_mojibake(raw, 5)
    assert text == f"會議{GAP}市長主持(完)"
    assert fixes[0].kind == "mojibake-gap" and "line 5" in warnings[0]


def test_stray_private_use_character_never_survives():
    text, fixes, warnings = repair_mojibake("工作\ue1a2進展順利。", 2)
    assert text == f"工作{GAP}進展順利。"
    assert fixes[0].kind == "mojibake-gap" and warnings


@pytest.mark.parametrize("line", [
    "你去哪?我們一起走吧。",
    "真的?!太好了,我們明天見。",
    "記者問:這是真的?他說:是的!",
    "滬指漲0.5%?A股三大指數全線收紅。",
    "使用iPhone手機拍攝,效果很好。",
    "他說:“我們緊扣江陰‘南征北戰’總戰略。”",
    "(完)",
    "",
])
def test_normal_text_passes_through(line):
    assert repair_mojibake(line, 1) == (line, [], [])


def _page_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.txt") if p.name != "README.md")


def test_every_other_seed_line_is_unchanged(seeds_dir: Path):
    for path in _page_files(seeds_dir):
        if path.name == SEED_002:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        page = "\n".join(lines)
        for number, line in enumerate(lines, 1):
            assert repair_mojibake(line, number, page) == (line, [], []), (path.name, number)


def test_seed_002_lines_without_garble_are_unchanged(seed_lines):
    page = "\n".join(seed_lines)
    for number, line in enumerate(seed_lines, 1):
        if number not in (8, 14, 22, 26):
            assert repair_mojibake(line, number, page) == (line, [], []), number


def test_every_test_page_line_is_unchanged(testpages_dir: Path):
    for path in _page_files(testpages_dir):
        lines = path.read_text(encoding="utf-8").splitlines()
        page = "\n".join(lines)
        for number, line in enumerate(lines, 1):
            assert repair_mojibake(line, number, page) == (line, [], []), (path.name, number)


def test_run_without_a_question_mark_is_found_by_its_private_use_characters():
    # The lead byte vanished without a trace; the private-use pairs give the run away.
    raw = "他说" + decode_out_of_step("江阴市第十四批科技镇长团团长曹兴华说(完)".encode("gbk")[1:])
    assert "?" in raw and PRIVATE_USE.search(raw)
    text, fixes, warnings = repair_mojibake(raw, 9)
    assert "阴市第十四批科技镇长团团长曹兴华" in text
    assert text.startswith(f"他说{GAP}阴市")
    assert not PRIVATE_USE.search(text) and warnings and fixes[0].kind == "mojibake-gap"
