"""The search index: bigrams plus single characters, compact, deterministic, with a trad->simp map."""
from __future__ import annotations

import json

from wuxi_archive.index.search import build_search_index, encode_postings, grams_of
from wuxi_archive.index.tradmap import opencc_characters, trad_to_simp_pairs
from wuxi_archive.records import Article, CleanArticle, Organisation, Paragraph


def article(seed: str, title: str, body: str, orgs: list[str] = ()) -> Article:
    clean = CleanArticle(seed=seed, part=1, title=title, paragraphs=[Paragraph("p", body)])
    return Article(clean=clean, organisations=[Organisation(o) for o in orgs])


def payload(script: str) -> dict:
    prefix = "window.WUXI_SEARCH="
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix):-2])


def decode(group: str, second: str = "") -> list[int]:
    segments = group.split(";")
    raw = segments[0] if not second else next((s[1:] for s in segments[1:] if s[0] == second), "")
    numbers, n = [], 0
    for part in filter(None, raw.split(",")):
        n += int(part, 36)
        numbers.append(n)
    return numbers


def test_grams_are_single_characters_and_pairs_within_runs():
    assert grams_of("集成电路,5G") == {"集", "成", "电", "路", "集成", "成电", "电路", "5", "g", "5g"}
    # punctuation separates runs: no gram spans the comma
    assert "路5" not in grams_of("集成电路,5G")


def test_postings_are_delta_encoded_base36():
    assert encode_postings([3, 5, 40]) == "3,2,z"
    assert encode_postings([0]) == "0"


def test_index_finds_each_article_by_its_bigrams():
    docs = [article("a.txt", "集成电路大会", "无锡举行。"), article("b.txt", "人才服务周", "集成电路人才。"),
            article("c.txt", "其他", "电路板与集体。", orgs=["西安交通大学"])]
    data = payload(build_search_index(docs).script)
    assert [d[0] for d in data["docs"]] == ["a", "b", "c"]
    assert decode(data["grams"]["集"], "成") == [0, 1]
    assert decode(data["grams"]["电"], "路") == [0, 1, 2]
    assert decode(data["grams"]["集"]) == [0, 1, 2]          # the single character
    assert decode(data["grams"]["交"], "通") == [2]          # organisation names are indexed
    assert "路板" not in data["grams"].get("路", "").split(";")[0]


def test_trad_map_covers_only_characters_the_text_uses():
    table = opencc_characters()
    assert table["電"] == "电" and table["體"] == "体"
    pairs = trad_to_simp_pairs({"电", "路"}, table)
    mapping = dict(zip(pairs[::2], pairs[1::2]))
    assert mapping["電"] == "电"
    assert "體" not in mapping                      # 体 is not in the text: not shipped
    assert all(s in {"电", "路"} for s in mapping.values())


def test_index_is_deterministic_and_reports_its_size():
    docs = [article("a.txt", "标题", "正文一段。"), article("b.txt", "另一标题", "第二段正文,電路。")]
    one, two = build_search_index(docs), build_search_index(list(docs))
    assert one.script == two.script
    assert one.index_bytes == len(one.script.encode("utf-8"))
    assert one.text_bytes == sum(len(t.encode("utf-8")) for t in ["标题\n正文一段。", "另一标题\n第二段正文,電路。"])


def test_seed_index_stays_within_a_few_times_the_text(built_site):
    script = (built_site / "data" / "search-index.js").read_text(encoding="utf-8")
    data = payload(script)
    text = sum(len("\n".join([d[1], *d[3], d[4]]).encode("utf-8")) for d in data["docs"])
    # the index ships the text itself (for confirmation and snippets) plus postings
    assert len(script.encode("utf-8")) < 3 * text
