"""One seed, one id (issue 23, item 2): no article lost without an error naming both files.

`a.txt` beside `a.htm` lost the `.htm` article with exit 0 (its id `a` was
taken); `index.txt`'s cleaning report was overwritten by the reports' index;
`Case.txt` and `case.txt` made pages that are one file on a case-insensitive
file system; a 255-byte seed name killed every command (ENAMETOOLONG).
"""
from __future__ import annotations

import json
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import site_report
from wuxi_archive.build import build_site
from wuxi_archive.commands.check import check_project
from wuxi_archive.load.discover import discover_seeds
from wuxi_archive.records import article_id
from wuxi_archive.seed_ids import RESERVED, id_clashes, seed_id

BODY = ("无锡举办科技大会第{n}次会议\n2024-05-30 来源：新华社\n"
        "无锡市今天举办了一场科技大会，来自全国的专家参加了会议，会上发布了第{n}项新的产业政策。\n")
HTML = ("<html><body><h1>无锡举办科技大会第{n}次会议</h1><p>2024-05-30 来源：新华社</p>"
        "<p>无锡市今天举办了一场科技大会，来自全国的专家参加了会议，会上发布了第{n}项新的产业政策。</p></body></html>")


def _seeds(tmp_path, names):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n, name in enumerate(names):
        (seeds / name).write_text((HTML if name.endswith((".htm", ".html")) else BODY).format(n=n), encoding="utf-8")
    return seeds


def test_every_seed_of_a_tricky_folder_is_built_under_its_own_id(tmp_path, config):
    names = ["a.txt", "a.htm", "a.html", "Case.txt", "case.txt", "CASE.TXT", "index.txt", "search.txt", "404.txt",
             "news.txt", "news-2.txt", "con.txt"]
    seeds = _seeds(tmp_path, names)
    out = tmp_path / "out"
    result = build_site(seeds, out, config, use_cache=False)
    assert not result.errors
    records = json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))
    assert sorted(r["seed"] for r in records) == sorted(names)
    ids = [r["id"] for r in records]
    assert len({i.casefold() for i in ids}) == len(names)
    assert not {i.casefold() for i in ids} & RESERVED
    for record in records:              # each page and report is its own, not another seed's
        assert site_report(out, record["id"])["title"] == record["title"]
    files = [p.relative_to(out).as_posix().casefold() for p in out.rglob("*") if p.is_file()]
    assert len(files) == len(set(files)), "two files differ by case only"


def test_a_pair_that_would_clash_is_refused_by_build_and_check_naming_both(tmp_path, config):
    forged = seed_id("a.htm") + ".txt"       # a name made to equal another seed's id
    seeds = _seeds(tmp_path, ["a.htm", forged, "b.txt"])
    result = build_site(seeds, tmp_path / "out", config, use_cache=False)
    assert len(result.errors) == 1 and "a.htm" in result.errors[0] and forged in result.errors[0]
    report = check_project(seeds, None)
    assert len(report.errors) == 1 and forged in report.errors[0].file and "a.htm" in report.errors[0].message


def test_a_seed_name_too_long_for_its_sidecar_is_reported_and_the_rest_built(tmp_path, config):
    long_name = "x" * 251 + ".txt"
    seeds = _seeds(tmp_path, [long_name, "b.txt"])
    result = build_site(seeds, tmp_path / "out", config, use_cache=False)
    assert len(result.articles) == 1 and len(result.errors) == 1 and "too long" in result.errors[0]
    assert any("too long" in p.message for p in check_project(seeds, None).errors)


def test_plain_ids_are_unchanged():
    assert article_id("000_a44f7b69ee84a8bd.txt", 1) == "000_a44f7b69ee84a8bd"
    assert article_id("sina_12306.txt", 2, 3) == "sina_12306-2"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=string.ascii_letters + string.digits + "_-. 无", min_size=1, max_size=10),
                          st.sampled_from([".txt", ".htm", ".html", ".TXT", ".Txt"])), max_size=30, unique=True))
def test_ids_of_distinct_names_never_clash_nor_look_like_a_part(pairs):
    names = sorted({stem + suffix for stem, suffix in pairs})
    assert id_clashes(names) == {}
    for name in names:
        sid = seed_id(name)
        assert sid and sid.casefold() not in RESERVED and len(sid.encode()) <= 100
        assert all(c in string.ascii_lowercase + string.digits + "_-" for c in sid), sid


def test_discovery_keeps_the_first_of_a_forged_pair(tmp_path):
    forged = seed_id("Z.txt") + ".txt"
    seeds = _seeds(tmp_path, ["Z.txt", forged])
    listing = discover_seeds(seeds)
    assert [p.name for p in listing.paths] == sorted(["Z.txt", forged])[:1]
    assert len(listing.refused) == 1


def test_clean_reads_a_seed_whose_sidecar_name_cannot_exist(tmp_path, config):
    from wuxi_archive.editorial.sidecars import load_sidecar, sidecar_digest

    seed = tmp_path / ("长" * 83 + "xx.txt")          # 255 bytes: its sidecar's name would be 256
    seed.write_text(BODY.format(n=1), encoding="utf-8")
    assert load_sidecar(seed) is None and sidecar_digest(seed) == ""
