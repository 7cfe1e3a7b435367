"""The search index: bigrams plus single characters, in blocks by article id, compact, deterministic."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wuxi_archive.build import build_site
from wuxi_archive.build.store import Store
from wuxi_archive.page_keys import KeyedBlobs
from wuxi_archive.index import sort_articles
from wuxi_archive.index.search import (BLOCKS, INDEX_PATH, block_of, encode_postings, grams_of, search_blocks,
                                       write_search_index)
from wuxi_archive.index.tradmap import opencc_characters, trad_to_simp_pairs
from wuxi_archive.plain import record_digest
from wuxi_archive.records import Article, CleanArticle, Organisation, Paragraph
from wuxi_archive.render import asset_dir

from conftest import copy_seeds

BLOCK_PREFIX = "(window.WUXI_SEARCH_BLOCKS=window.WUXI_SEARCH_BLOCKS||[]).push("
INDEX_PREFIX = "window.WUXI_SEARCH="


def article(seed: str, title: str, body: str, orgs: list[str] = (), date: str | None = None) -> Article:
    clean = CleanArticle(seed=seed, part=1, title=title, date=date, paragraphs=[Paragraph("p", body)])
    return Article(clean=clean, organisations=[Organisation(o) for o in orgs])


def build(articles: list[Article], memo: KeyedBlobs | None = None, digest_of=None) -> tuple[dict[str, bytes], object]:
    """Every search file for `articles` (given in any order; the site's order is applied), by path."""
    files: dict[str, bytes] = {}
    result = write_search_index(search_blocks(sort_articles(articles)), files.__setitem__, memo, digest_of)
    return files, result


def block_payload(script: str) -> dict:
    assert script.startswith(BLOCK_PREFIX) and script.endswith(");\n")
    return json.loads(script[len(BLOCK_PREFIX):-3])


def index_payload(script: str) -> dict:
    assert script.startswith(INDEX_PREFIX) and script.endswith(";\n")
    return json.loads(script[len(INDEX_PREFIX):-2])


def blocks_of(files: dict[str, bytes]) -> dict[str, dict]:
    return {path: block_payload(data.decode("utf-8")) for path, data in files.items() if path != INDEX_PATH}


def decode(group: str, second: str = "") -> list[int]:
    segments = group.split(";")
    raw = segments[0] if not second else next((s[1:] for s in segments[1:] if s[0] == second), "")
    numbers, n = [], 0
    for part in filter(None, raw.split(",")):
        n += int(part, 36)
        numbers.append(n)
    return numbers


def id_of(name: str) -> str:
    """The id of the article of seed `name`.txt."""
    return article(f"{name}.txt", "", "").id


def ids_in_one_block(count: int, prefix: str = "doc") -> list[str]:
    """`count` seed names whose articles share a block (found by trying names, not by knowing the hash)."""
    by_block: dict[int, list[str]] = {}
    n = 0
    while True:
        name = f"{prefix}{n}"
        found = by_block.setdefault(block_of(id_of(name)), [])
        found.append(name)
        if len(found) == count:
            return found
        n += 1


def test_grams_are_single_characters_and_pairs_within_runs():
    assert grams_of("集成电路,5G") == {"集", "成", "电", "路", "集成", "成电", "电路", "5", "g", "5g"}
    # punctuation separates runs: no gram spans the comma
    assert "路5" not in grams_of("集成电路,5G")


def test_postings_are_delta_encoded_base36():
    assert encode_postings([3, 5, 40]) == "3,2,z"
    assert encode_postings([0]) == "0"


def test_a_block_finds_each_of_its_articles_by_their_bigrams():
    a, b, c = ids_in_one_block(3)
    docs = [article(f"{a}.txt", "集成电路大会", "无锡举行。", date="2024-01-03"),
            article(f"{b}.txt", "人才服务周", "集成电路人才。", date="2024-01-02"),
            article(f"{c}.txt", "其他", "电路板与集体。", orgs=["西安交通大学"], date="2024-01-01")]
    files, _ = build(docs)
    (data,) = blocks_of(files).values()
    assert [d[0] for d in data["docs"]] == [id_of(a), id_of(b), id_of(c)]
    assert decode(data["grams"]["集"], "成") == [0, 1]
    assert decode(data["grams"]["电"], "路") == [0, 1, 2]
    assert decode(data["grams"]["集"]) == [0, 1, 2]          # the single character
    assert decode(data["grams"]["交"], "通") == [2]          # organisation names are indexed
    assert "路板" not in data["grams"].get("路", "").split(";")[0]


def test_postings_are_local_to_their_block():
    # two articles in different blocks: each is document 0 of its own block
    first = "x0"
    second = next(f"x{n}" for n in range(1, 1000) if block_of(id_of(f"x{n}")) != block_of(id_of(first)))
    files, result = build([article(f"{first}.txt", "电路", "一。"), article(f"{second}.txt", "电路", "二。")])
    blocks = blocks_of(files)
    assert len(blocks) == 2 and result.documents == 2
    for data in blocks.values():
        assert len(data["docs"]) == 1 and decode(data["grams"]["电"], "路") == [0]
    index = index_payload(files[INDEX_PATH].decode("utf-8"))
    assert [f"data/search/{name}.js" for name in index["blocks"]] == sorted(blocks)


def test_docs_in_a_block_follow_the_site_order_whatever_order_they_come_in():
    names = ids_in_one_block(4, prefix="ord")
    dates = ["2021-05-01", None, "2023-01-01", "2023-01-01"]
    docs = [article(f"{n}.txt", "标题", "正文。", date=d) for n, d in zip(names, dates)]
    for order in (docs, docs[::-1]):
        files, _ = build(order)
        (data,) = blocks_of(files).values()
        # newest first, ties by id, undated last
        expected = sorted([names[2], names[3]]) + [names[0], names[1]]
        assert [d[0] for d in data["docs"]] == [id_of(n) for n in expected]


def test_blocks_depend_on_the_id_alone():
    ids = [id_of(f"seed{n}") for n in range(400)]
    blocks = [block_of(i) for i in ids]
    assert all(0 <= b < BLOCKS for b in blocks)
    assert len(set(blocks)) > BLOCKS // 2          # ids spread over the blocks
    # the same article lands in the same block whatever else the archive holds
    few = search_blocks([article("seed7.txt", "题", "文")])
    many = search_blocks([article(f"seed{n}.txt", "题", "文") for n in range(400)])
    home = next(b.name for b in many if any(a.id == id_of("seed7") for a in b.articles))
    assert [b.name for b in few] == [home]


def test_trad_map_covers_only_characters_the_text_uses():
    table = opencc_characters()
    assert table["電"] == "电" and table["體"] == "体"
    pairs = trad_to_simp_pairs({"电", "路"}, table)
    mapping = dict(zip(pairs[::2], pairs[1::2]))
    assert mapping["電"] == "电"
    assert "體" not in mapping                      # 体 is not in the text: not shipped
    assert all(s in {"电", "路"} for s in mapping.values())


def test_the_global_trad_map_gathers_the_characters_of_every_block():
    first = "t0"
    second = next(f"t{n}" for n in range(1, 1000) if block_of(id_of(f"t{n}")) != block_of(id_of(first)))
    files, _ = build([article(f"{first}.txt", "电路", "一段。"), article(f"{second}.txt", "身体", "二段。")])
    pairs = index_payload(files[INDEX_PATH].decode("utf-8"))["t2s"]
    mapping = dict(zip(pairs[::2], pairs[1::2]))
    assert mapping["電"] == "电" and mapping["體"] == "体"       # one from each block


def test_index_is_deterministic_and_reports_its_size():
    docs = [article("a.txt", "标题", "正文一段。"), article("b.txt", "另一标题", "第二段正文,電路。")]
    (one, r1), (two, r2) = build(docs), build(docs[::-1])
    assert one == two
    assert r1.index_bytes == sum(len(b) for b in one.values()) and r1.paths == list(one)
    assert r1.text_bytes == sum(len(t.encode("utf-8")) for t in ["标题\n正文一段。", "另一标题\n第二段正文,電路。"])


@pytest.mark.parametrize("digest_of", [None, record_digest], ids=["keyed by documents", "keyed by record digests"])
def test_the_memo_rebuilds_only_changed_blocks_and_gives_the_same_files(tmp_path, config, digest_of):
    memo = KeyedBlobs(Store(tmp_path / "memo"), config, asset_dir("templates"))
    docs = [article(f"m{n}.txt", f"标题{n}", f"第{n}段正文,集成电路。", date=f"2024-01-{n % 28 + 1:02d}")
            for n in range(40)]
    cold, first = build(docs, memo, digest_of)
    assert first.rebuilt == len(cold) - 1                 # every block, nothing in the memo yet
    again, second = build(docs, memo, digest_of)
    assert again == cold and second.rebuilt == 0 and second.text_bytes == first.text_bytes
    changed = docs[:5] + [article("m5.txt", "新标题", "改过的正文。", date="2024-01-06")] + docs[6:]
    fast, third = build(changed, memo, digest_of)
    simple, built = build(changed)                        # no memo: every block built
    assert fast == simple and third.text_bytes == built.text_bytes
    assert third.rebuilt == 1
    changed_blocks = [p for p in simple if p != INDEX_PATH and simple[p] != cold.get(p)]
    assert changed_blocks == [f"data/search/{block_of(id_of('m5')):02d}.js"]
    # the new text brings 过, and with it the pair 過过, into the global map
    before, after = (index_payload(f[INDEX_PATH].decode("utf-8")) for f in (cold, simple))
    assert before["blocks"] == after["blocks"] and "過过" not in before["t2s"] and "過过" in after["t2s"]


def test_adding_a_seed_changes_exactly_one_block_file(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    # a seed holding one article: its absence and return touch one block
    built = build_site(seeds, tmp_path / "full", config, use_cache=False)
    per_seed: dict[str, list[str]] = {}
    for a in built.articles:
        per_seed.setdefault(a.clean.seed, []).append(a.id)
    single = sorted(seed for seed, ids in per_seed.items() if len(ids) == 1)[0]
    aside = tmp_path / "aside"
    aside.mkdir()
    shutil.move(seeds / single, aside / single)
    build_site(seeds, tmp_path / "without", config, use_cache=False)

    def search_files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "data" / "search").glob("*"))}

    full, without = search_files(tmp_path / "full"), search_files(tmp_path / "without")
    differing = sorted(p for p in set(full) | set(without) if full.get(p) != without.get(p))
    assert differing == [f"data/search/{block_of(per_seed[single][0]):02d}.js"]
    assert len(full) > 1                                  # the seeds spread over several blocks


def test_seed_index_stays_within_a_few_times_the_text(built_site):
    files = {p.relative_to(built_site).as_posix(): p.read_bytes()
             for p in [built_site / INDEX_PATH, *sorted((built_site / "data" / "search").glob("*.js"))]}
    docs = [d for data in blocks_of(files).values() for d in data["docs"]]
    records = json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))
    assert sorted(d[0] for d in docs) == sorted(r["id"] for r in records)   # every article, once
    text = sum(len("\n".join([d[1], *d[3], d[4]]).encode("utf-8")) for d in docs)
    # the index ships the text itself (for confirmation and snippets) plus postings
    assert sum(len(b) for b in files.values()) < 3 * text


def test_the_search_page_loads_every_block_before_the_search_script(built_site):
    page = (built_site / "search.html").read_text(encoding="utf-8")
    index = index_payload((built_site / INDEX_PATH).read_text(encoding="utf-8"))
    scripts = [line.split('"')[1] for line in page.splitlines() if line.startswith("<script src=")]
    scripts.remove("static/keys.js")      # every page's "/" shortcut (deferred), not the search's
    assert scripts == [f"data/search/{n}.js" for n in index["blocks"]] + [INDEX_PATH, "static/search.js"]
    assert all((built_site / s).is_file() for s in scripts)
