"""The search index: bigram and character postings in shards by range and gram, document blocks, deterministic."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from wuxi_archive.index import search
from wuxi_archive.index.search import (INDEX_PATH, SCORE_ALPHABET, SearchDoc, build_search_files, encode_numbers,
                                       fnv_shard, search_doc)
from wuxi_archive.index.tradmap import opencc_characters, trad_to_simp_pairs
from wuxi_archive.records import Article, CleanArticle, Organisation, Paragraph

SHARD = re.compile(r'window\.WUXI_SEARCH_SHARD\("([0-9a-f]+/[bcd]/\d+)",(.*)\);\n', re.S)
INDEX_PREFIX = "window.WUXI_SEARCH="


def doc(name: str, title: str, body: str, entities: tuple[str, ...] = (), date: str = "") -> SearchDoc:
    return SearchDoc(name, title, date, entities, body)


def shards(files: dict[str, bytes]) -> dict[str, object]:
    """Every shard's payload by name ("<range>/b/0", "<range>/d/3"), checking each file calls the loader with its own name."""
    found = {}
    for path, data in files.items():
        if path == INDEX_PATH:
            continue
        name, payload = SHARD.fullmatch(data.decode("utf-8")).groups()
        assert path == f"data/search/{name}.js"
        found[name] = json.loads(payload)
    return found


def index_payload(files: dict[str, bytes]) -> dict:
    script = files[INDEX_PATH].decode("utf-8")
    assert script.startswith(INDEX_PREFIX) and script.endswith(";\n")
    return json.loads(script[len(INDEX_PREFIX):-2])


def decode(entry: str, first: int = 0) -> list[tuple[int, int]]:
    """(document, score) pairs of a gram's entry, read the way search.js reads them."""
    digits, scores = entry.split(" ")
    numbers, x = [], 0
    for ch in digits:
        if ch in search.DIGITS_MORE:
            x = x * 32 + search.DIGITS_MORE.index(ch)
        else:
            numbers.append(x * 32 + search.DIGITS_LAST.index(ch))
            x = 0
    docs = list(first + np.cumsum(numbers))
    assert len(docs) == len(scores)
    return [(int(d), SCORE_ALPHABET.index(s)) for d, s in zip(docs, scores)]


def gram_code(gram: str) -> np.ndarray:
    return np.array([sum(ord(ch) << (16 * (len(gram) - 1 - k)) for k, ch in enumerate(gram))], dtype=np.uint64)


def postings(files: dict[str, bytes], gram: str) -> list[tuple[int, int]]:
    """A gram's postings, from the one shard its hash names in each range."""
    found, payloads = [], shards(files)
    for name, first, bigram_shards, char_shards in index_payload(files)["ranges"]:
        kind, count = ("b", bigram_shards) if len(gram) == 2 else ("c", char_shards)
        entry = payloads[f"{name}/{kind}/{int(fnv_shard(gram_code(gram), len(gram), count)[0])}"].get(gram)
        found += decode(entry, first) if entry else []
    return found


def titles(files: dict[str, bytes]) -> list[str]:
    """Document titles in number order, from each range's document blocks."""
    payloads, out = shards(files), []
    for name, first, _, _ in index_payload(files)["ranges"]:
        blocks = sorted((int(key.rsplit("/", 1)[1]), table) for key, table in payloads.items()
                        if key.startswith(f"{name}/d/"))
        assert [n for n, _ in blocks] == list(range(len(blocks)))
        out += [d[1] for _, table in blocks for d in table]
    return out


def test_numbers_encode_in_base32_with_a_marked_last_digit():
    data, ends = encode_numbers(np.array([3, 40, 0, 1024]))
    assert data == b"D1IA10A" and ends.tolist() == [1, 3, 4, 7]


def test_grams_are_single_characters_and_pairs_within_runs():
    files = build_search_files([doc("a", "", "集成电路,5G")])
    grams = {g for name, payload in shards(files).items() if "/d/" not in name for g in payload}
    assert grams == {"集", "成", "电", "路", "集成", "成电", "电路", "5", "g", "5g"}   # no 路5 across the comma


def test_postings_hold_each_document_with_its_score():
    files = build_search_files([
        doc("a", "集成电路大会", "无锡举行。集成电路,电路。", date="2024-01-03"),
        doc("b", "人才服务周", "集成电路人才。", date="2024-01-02"),
        doc("c", "其他", "电路板与集体。", entities=("西安交通大学",), date="2024-01-01")])
    # numbered oldest first: c=0, b=1, a=2
    assert titles(files) == ["其他", "人才服务周", "集成电路大会"]
    assert postings(files, "集成") == [(1, 1), (2, 42 + 1)]          # a: in the title, and once in the body
    assert postings(files, "电路") == [(0, 1), (1, 1), (2, 42 + 2)]  # overlapping counts: 集成电路,电路
    assert postings(files, "集") == [(0, 1), (1, 1), (2, 42 + 1)]
    assert postings(files, "交通") == [(0, 21)]                      # entity names are indexed
    assert postings(files, "路板") == [(0, 1)] and postings(files, "路电") == []   # not across the comma


def test_a_body_count_stops_at_twenty():
    assert postings(build_search_files([doc("a", "", "好" * 50)]), "好好") == [(0, 20)]


def test_numbers_follow_the_site_order_reversed_undated_last():
    dates = {"d1": "2021-05-01", "d2": "", "d3": "2023-01-01", "d4": "2023-01-01", "d5": ""}
    docs = [doc(i, i, "正文", date=d) for i, d in dates.items()]
    files = build_search_files(docs)
    # dated oldest first, ties by id from the last, then undated by id from the last
    assert titles(files) == ["d1", "d4", "d3", "d5", "d2"]
    assert index_payload(files)["dated"] == 3 and index_payload(files)["docs"] == 5
    assert build_search_files(docs[::-1]) == files       # whatever order they come in


def dated_archive(count: int) -> list[SearchDoc]:
    return [doc(f"n{k:04d}", f"标题{k}", f"第{k}段正文,无锡发展。",
                date=f"20{10 + k % 12}-{k % 12 + 1:02d}-{k % 28 + 1:02d}") for k in range(count)]


def range_of(files: dict[str, bytes], path: str) -> str:
    return path[len("data/search/"):].split("/")[0]


def changed_ranges(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The ranges with a file added, changed or gone."""
    paths = (set(before) | set(after)) - {INDEX_PATH}
    return {range_of(after, p) for p in paths if before.get(p) != after.get(p)}


@pytest.fixture()
def small_ranges(monkeypatch):
    monkeypatch.setattr(search, "CHUNK_DOCS", 4)
    monkeypatch.setattr(search, "BLOCK_DOCS", 8)
    monkeypatch.setattr(search, "TARGET_SHARD_BYTES", 256)


@pytest.mark.parametrize("date", ["2025-01-01", "2016-06-15", ""])     # the newest, mid-archive, undated
def test_an_added_article_changes_the_files_of_one_range_alone(small_ranges, date):
    docs = dated_archive(400) + [doc(f"u{k:03d}", f"无日期{k}", "正文发展。") for k in range(30)]
    before = build_search_files(docs)
    assert len(index_payload(before)["ranges"]) > 8
    added = next(doc(f"zz{k}", "新的", "新的正文,无锡发展。", date=date) for k in range(1000)
                 if not search.ends_chunk(f"zz{k}"))           # one that does not cut a chunk in two
    after = build_search_files(docs + [added])
    changed = changed_ranges(before, after)
    new_names = {r[0] for r in index_payload(after)["ranges"]} - {r[0] for r in index_payload(before)["ranges"]}
    old_names = {r[0] for r in index_payload(before)["ranges"]} - {r[0] for r in index_payload(after)["ranges"]}
    assert len(new_names) == 1 and len(old_names) == 1 and changed == new_names | old_names
    assert [d for d, _ in postings(after, "发展")] == list(range(len(docs) + 1))
    assert titles(after).count("新的") == 1


def test_ranges_are_large_for_the_settled_archive_and_small_at_its_open_end(small_ranges):
    ranges = search.search_ranges(search.numbered(dated_archive(3000)))
    sizes = [r.end - r.start for r in ranges]
    assert ranges[0].start == 0 and ranges[-1].end == 3000
    assert all(a.end == b.start for a, b in zip(ranges, ranges[1:]))
    assert max(sizes[:3]) > 8 * search.CHUNK_DOCS and sizes[-1] <= search.CHUNK_LIMIT * search.CHUNK_DOCS
    assert len({r.name for r in ranges}) == len(ranges)


def test_each_gram_lives_in_the_one_shard_its_hash_names(monkeypatch):
    monkeypatch.setattr(search, "TARGET_SHARD_BYTES", 200)
    docs = [doc(f"s{k}", f"标题{k}", "无锡集成电路产业发展大会在无锡召开,企业与平台共同发展。" * (k % 3 + 1))
            for k in range(40)]
    files = build_search_files(docs)
    counts = {name: {"b": b, "c": c} for name, _, b, c in index_payload(files)["ranges"]}
    assert all(c["b"] > 4 and c["c"] > 2 for c in counts.values())
    seen: dict[str, str] = {}
    for name, payload in shards(files).items():
        where, kind, _ = name.split("/")
        if kind == "d":
            continue
        for gram in payload:
            assert (where, gram) not in seen
            seen[where, gram] = name
            assert name == f"{where}/{kind}/{int(fnv_shard(gram_code(gram), len(gram), counts[where][kind])[0])}"
    assert [d for d, _ in postings(files, "发展")] == list(range(40))


def test_trad_map_covers_only_characters_the_text_uses():
    table = opencc_characters()
    assert table["電"] == "电" and table["體"] == "体"
    pairs = trad_to_simp_pairs({"电", "路"}, table)
    mapping = dict(zip(pairs[::2], pairs[1::2]))
    assert mapping["電"] == "电"
    assert "體" not in mapping                      # 体 is not in the text: not shipped
    assert all(s in {"电", "路"} for s in mapping.values())


def test_the_index_ships_the_trad_pairs_of_the_whole_text():
    files = build_search_files([doc("a", "电路", "一段。"), doc("b", "身体", "二段。")])
    pairs = index_payload(files)["t2s"]
    mapping = dict(zip(pairs[::2], pairs[1::2]))
    assert mapping["電"] == "电" and mapping["體"] == "体"


def test_search_doc_takes_title_entities_and_body():
    clean = CleanArticle(seed="x.txt", part=1, title="题", date=None, paragraphs=[Paragraph("p", "一"), Paragraph("p", "二")])
    found = search_doc(Article(clean=clean, organisations=[Organisation("甲", aliases=["乙"]), Organisation("甲")]))
    assert (found.title, found.date, found.entities, found.body) == ("题", "", ("甲", "乙"), "一\n二")


def test_the_seed_index_stays_within_a_few_times_the_text(built_site):
    files = [built_site / INDEX_PATH, *sorted((built_site / "data" / "search").rglob("*.js"))]
    records = json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))
    text = sum(len("\n".join([r["title"], *(p["text"] for p in r["paragraphs"])]).encode("utf-8")) for r in records)
    # postings and titles only, the text itself not shipped; but nine articles share few grams,
    # so most of the index is the grams' keys (2,000 synthetic articles: 0.65 times their text)
    assert sum(p.stat().st_size for p in files) < 3 * text
    ids = [d[0] for p in files if "/d/" in p.as_posix()
           for d in json.loads(SHARD.fullmatch(p.read_text(encoding="utf-8")).group(2))]
    assert sorted(ids) == sorted(r["id"] for r in records)        # every article, once


def test_the_search_page_loads_only_the_small_index_up_front(built_site):
    page = (built_site / "search.html").read_text(encoding="utf-8")
    scripts = [line.split('"')[1] for line in page.splitlines() if line.startswith("<script src=")]
    scripts.remove("static/keys.js")      # every page's "/" shortcut (deferred), not the search's
    assert scripts == [INDEX_PATH, "static/search.js"]


def test_shard_counts_grow_as_powers_of_two():
    assert search.shard_count(0) == 1
    counts = [search.shard_count(n) for n in (10_000, 1_000_000, 50_000_000)]
    assert counts == sorted(counts) and all(c & (c - 1) == 0 for c in counts)
    assert 50_000_000 * search.BYTES_PER_POSTING / counts[-1] <= search.TARGET_SHARD_BYTES


def test_numbers_of_every_length_encode_digit_by_digit():
    numbers = np.array([0, 31, 32, 1023, 1024, 2**25 - 1, 2**34 + 5, 7])
    data, ends = encode_numbers(numbers)
    expected = []
    for n in numbers.tolist():
        digits = [int(n) % 32]
        while n >= 32:
            n //= 32
            digits.append(n % 32)
        digits.reverse()
        expected.append("".join(search.DIGITS_MORE[d] for d in digits[:-1]) + search.DIGITS_LAST[digits[-1]])
    assert data.decode("ascii") == "".join(expected)
    assert ends.tolist() == np.cumsum([len(e) for e in expected]).tolist()
    assert encode_numbers(np.zeros(0, dtype=np.int64))[0] == b""
