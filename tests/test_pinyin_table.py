"""The reading table (pinyin_table.py) reads every name as pypinyin does, and a
rebuild reads new names from it without importing pypinyin."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wuxi_archive.readings as readings
from wuxi_archive.cache import KeptTable
from wuxi_archive.pinyin_table import ReadingTable, make_table

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def pypinyin_reads():
    """pypinyin's lazy_pinyin as the build teaches it (data/pinyin_phrases.yaml)."""
    return readings._taught_pypinyin()


@pytest.fixture(scope="module")
def table(pypinyin_reads) -> ReadingTable:
    made = make_table(readings._extra_phrases(), pypinyin_reads, readings._pypinyin_readings_of_character)
    assert made is not None
    return ReadingTable.from_saved(json.loads(json.dumps(made.to_saved())))   # as kept on disk


def test_every_phrase_and_character_reads_as_pypinyin_reads_it(table, pypinyin_reads):
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    words = [*PHRASES_DICT, *map(chr, PINYIN_DICT)]
    assert len(words) > 80_000
    differ = [w for w in words if table.read(w) != pypinyin_reads(w)]
    assert differ == []


def test_names_and_run_together_text_read_as_pypinyin_reads_them(table, pypinyin_reads):
    # Phrases cut short and run together take the splitter through all its cases (a
    # start of a phrase that holds none, a phrase inside a longer prefix); names mix
    # Latin letters, digits, full-width forms, rare and private-use characters.
    from pypinyin.constants import PHRASES_DICT
    phrases = sorted(PHRASES_DICT)
    others = ["AI", "5G", "·", "（", "）", " ", "Ⅱ", "〇", "\U00020000", "\ue815", "ü", "ＡＢ", "\n"]
    rng = random.Random(7)
    texts = ["无锡", "长三角一体化示范区", "重庆长安汽车", "江南大学物联网工程学院", "单田芳", "曾国藩", "ＸＹ中心"]
    for _ in range(20_000):
        parts = []
        for _ in range(rng.randint(1, 4)):
            word = rng.choice(phrases) if rng.random() < 0.75 else rng.choice(others)
            parts.append(word[:rng.randint(1, len(word))] if rng.random() < 0.3 else word)
        texts.append("".join(parts))
    differ = [t for t in texts if table.read(t) != pypinyin_reads(t)]
    assert differ == []


def test_every_reading_of_a_character_is_what_pypinyin_gives(table, pypinyin_reads):
    from pypinyin import Style, pinyin
    from pypinyin.constants import PINYIN_DICT
    chars = [chr(c) for c in sorted(PINYIN_DICT)[::3]] + ["行", "长", "重", "a", "·", "\U0002B740"]
    differ = [c for c in chars if table.readings_of_character(c)
              != sorted({r.lower() for r in pinyin(c, style=Style.NORMAL, heteronym=True)[0]})]
    assert differ == []
    assert {"hang", "xing"} <= set(table.readings_of_character("行"))


def test_a_splitter_that_cuts_differently_gives_no_table(monkeypatch, pypinyin_reads):
    # Another pypinyin release may split words otherwise (earlier ones kept the longest
    # start of a phrase even when it was none): the table then must not be used.
    from pypinyin.seg.mmseg import seg
    monkeypatch.setattr(seg, "_no_non_phrases", False)
    assert make_table(readings._extra_phrases(), pypinyin_reads, readings._pypinyin_readings_of_character) is None


def test_a_saved_table_of_the_wrong_shape_is_refused(table):
    saved = table.to_saved()
    for broken in ({}, {**saved, "phrases": 3}, {**saved, "heteronyms": saved["heteronyms"] + "\nx"},
                   {**saved, "hans": "[a-z]"}, {**saved, "hans": "^(?:[a]|(b+)+[c])+$"}):
        with pytest.raises(ValueError):
            ReadingTable.from_saved(broken)


def test_one_process_claims_the_making_and_a_stale_claim_is_taken_over(tmp_path):
    folder = tmp_path / "not yet made"          # a first build's cache folder
    first, second = KeptTable(folder / "t.json", "v1"), KeptTable(folder / "t.json", "v1")
    assert first.claim() and not second.claim()
    first.save({"a": "b"})
    assert second.load() == {"a": "b"} and KeptTable(folder / "t.json", "v2").load() == {}
    assert second.claim()                                   # given up by save
    claim = folder / "t.json.making"
    old = time.time() - KeptTable.MAKING_FOR_AT_MOST - 10
    os.utime(claim, (old, old))                            # a killed build's
    assert first.claim()


def test_names_are_read_from_the_kept_table_and_it_is_made_once(tmp_path, table, monkeypatch):
    store = KeptTable(tmp_path / "reading-table.json", "v")
    monkeypatch.setattr(readings, "_READINGS", {})
    readings.keep_reading_table(store)
    assert readings.reading("长三角") == ["chang", "san", "jiao"]       # made and saved here
    assert ReadingTable.from_saved(store.load()) == table
    made = []
    monkeypatch.setattr(readings, "make_table", lambda *given: made.append(1))
    readings.keep_reading_table(store)
    monkeypatch.setattr(readings, "_READINGS", {})
    assert readings.reading("无锡") == ["wu", "xi"] and made == []


def test_a_claimed_table_is_not_made_twice_and_pypinyin_reads_meanwhile(tmp_path, monkeypatch):
    store = KeptTable(tmp_path / "reading-table.json", "v")
    assert store.claim()                                    # another process is making it
    monkeypatch.setattr(readings, "make_table", lambda *given: pytest.fail("made twice"))
    monkeypatch.setattr(readings, "_READINGS", {})
    readings.keep_reading_table(store)
    assert readings.reading("长江") == ["chang", "jiang"]


_REBUILD = r"""
import sys
from pathlib import Path
from wuxi_archive.build import build_site
from wuxi_archive.config import load_config
seeds, out = Path(sys.argv[1]), Path(sys.argv[2])
result = build_site(seeds, out, load_config(None), jobs=1)
print("recomputed", result.recomputed, "pypinyin", "pypinyin" in sys.modules)
"""


def test_a_rebuild_reads_a_new_name_without_importing_pypinyin(tmp_path):
    # The first build makes the table; a rebuild after a seed naming a person no seed
    # named reads the name from it, and builds what a build with pypinyin builds.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    first = sorted(SEEDS.glob("*.txt"))[0]
    (seeds / first.name).write_bytes(first.read_bytes())

    def build(out: Path) -> str:
        run = subprocess.run([sys.executable, "-c", _REBUILD, str(seeds), str(out)],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert build(tmp_path / "site") == "recomputed 1 pypinyin True"
    new = "无锡讯 2024年5月6日，记者从无锡市科技局获悉，该局副局长覃韬然出席了签约仪式并讲话。\n" * 3
    (seeds / "zz_new.txt").write_text("覃韬然出席签约仪式\n" + new, encoding="utf-8")
    assert build(tmp_path / "site") == "recomputed 1 pypinyin False"

    from wuxi_archive.build import build_site
    from wuxi_archive.config import load_config
    build_site(seeds, tmp_path / "plain", load_config(None), use_cache=False, jobs=1)
    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    with_table, plain = files(tmp_path / "site"), files(tmp_path / "plain")
    # read from the table, then by pypinyin; 覃 as a surname is Qín (data/surnames.yaml)
    assert "覃韬然" in plain["person/qin-tao-ran.html"].decode()
    assert with_table == plain
