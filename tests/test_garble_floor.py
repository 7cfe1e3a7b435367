"""Garble repair never harms good text: zero repairs on valid pages, small cases of valid
text the repair once rewrote, and the garbled seed still repaired."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_mojibake import decode_out_of_step

from wuxi_archive.clean.mojibake import repair_mojibake
from wuxi_archive.clean.utf8_as_gbk import repair_utf8_read_as_gbk

REPAIRS = Path(__file__).resolve().parent.parent / "benchmarks" / "repairs.py"


def both_repairs(line: str) -> tuple[str, list]:
    """The line through both repairs, in the cleaner's order, with the page as itself."""
    text, fixes, _ = repair_utf8_read_as_gbk(line, 1)
    text, more, _ = repair_mojibake(text, 1, line)
    return text, fixes + more


@pytest.mark.parametrize("line", [
    "科学刊物《自然》（Nature）发表了这项研究。",      # rewritten into 科学刊□铩蹲匀弧罚□Nature） before
    "近日，科学刊物《自然》（Nature）刊文",
    "【独家】《自然》（Nature）：“重磅”——研究…",
    "英国医学期刊《柳叶刀》（The Lancet）发表社论",
    "德国《明镜》周刊（Der Spiegel）报道",
    "〔2024〕12号文件《关于…》「通知」『附件』",
    "English | Русский | Français | Español",      # a language menu: a Cyrillic word
    "俄语Русский和希腊语Ελληνικά",
    "東京オリンピックが開催されました。ありがとう",
    "喔!!!!!太好玩了",                               # folded exclamation marks, not a garble
    "羟基、醛基、羧基、酯基、烯烃、炔烃和芳香烃",        # rare characters of chemistry
    "饕餮、魑魅魍魉、耄耋之年",
    "张燊、李喆、王珺、赵昇、刘赟、陈玥",              # rare characters of given names
    "《诗经·蒹葭》：蒹葭苍苍，白露为霜。",
    "锟斤拷烫烫烫",
])
def test_valid_text_is_never_repaired(line):
    assert both_repairs(line) == (line, [])


def test_a_garble_beside_brackets_is_still_repaired():
    # The same mechanism as seed 002 (a lost GBK byte, `?` left), next to valid bracketed text.
    garbled = "《自然》（Nature）报道?" + decode_out_of_step("。”江陰市第十四批科技鎮長團".encode("gbk")[1:])
    text, fixes = both_repairs(garbled)
    assert "江陰市第十四批科技鎮長" in text and text.startswith("《自然》（Nature）报道")
    assert fixes


def test_zero_repairs_on_every_valid_page_and_the_garbled_seed_repaired(shared_dir: Path):
    folders = [shared_dir / "devpages", shared_dir / "devpages" / "html", shared_dir / "testpages",
               shared_dir / "seeds"]
    run = subprocess.run([sys.executable, str(REPAIRS), *map(str, folders), "--json"],
                         capture_output=True, text=True, timeout=600)
    result = json.loads(run.stdout)
    pages = {name: page for found in result["folders"].values() for name, page in found.items()}
    assert len(pages) >= 5 + 8            # the seeds and test pages at least were measured
    assert result["failures"] == [] and run.returncode == 0
    valid = [p for p in pages.values() if not p["garbled"]]
    assert sum(len(p["repairs"]) for p in valid) == 0
    garbled = [p for p in pages.values() if p["garbled"]]
    assert garbled and all(p["repairs"] and p["left"] == 0 for p in garbled)
