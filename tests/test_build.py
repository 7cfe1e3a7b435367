"""The end-to-end build on the real seeds: pages exist, the JSON keeps its contract."""
from __future__ import annotations

import html
import json
import subprocess
import sys

from conftest import SEEDS, copy_seeds

CONTRACT = {
    "id": str, "seed": str, "part": int, "title": str, "subtitle": (str, type(None)),
    "date": (str, type(None)), "date_basis": str, "source": (str, type(None)),
    "authors": list, "editors": list, "tags": list, "paragraphs": list,
    "organisations": list, "events": list, "people": list, "script": str,
    "removed": list, "warnings": list,
}


def test_every_seed_yields_an_article(site_records):
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    assert seeds, "the project ships its seeds"
    assert {r["seed"] for r in site_records} == seeds


def test_json_matches_the_data_contract(site_records):
    assert [r["id"] for r in site_records] == sorted(r["id"] for r in site_records)
    assert len({r["id"] for r in site_records}) == len(site_records)
    for r in site_records:
        assert set(r) == set(CONTRACT), r["id"]
        for key, kind in CONTRACT.items():
            assert isinstance(r[key], kind), (r["id"], key)
        assert r["script"] in ("traditional", "simplified")
        assert r["part"] >= 1
        if r["date"] is not None:
            assert len(r["date"]) == 10 and r["date"][4] == "-" and r["date"][7] == "-"
        for p in r["paragraphs"]:
            assert set(p) == {"kind", "text"} and p["kind"] in ("p", "h", "caption") and p["text"]
        for o in r["organisations"]:
            assert isinstance(o["name"], str) and isinstance(o["aliases"], list)
        for e in r["events"]:
            assert set(e) >= {"name", "date", "place", "organisations"}
        for p in r["people"]:
            assert set(p) == {"name", "role"}
        for rm in r["removed"]:
            assert set(rm) == {"line", "text", "reason"} and rm["reason"]


def test_each_article_page_exists_and_carries_its_title(built_site, site_records):
    for r in site_records:
        page = built_site / "articles" / f"{r['id']}.html"
        assert page.is_file(), r["id"]
        text = page.read_text(encoding="utf-8")
        assert f"<h1>{html.escape(r['title'], quote=False)}</h1>" in text.replace("&#34;", '"').replace("&#39;", "'") or html.escape(r["title"]) in text


def test_home_lists_newest_first_undated_last(built_site, site_records):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    positions = {r["id"]: home.find(f"articles/{r['id']}.html") for r in site_records}
    assert all(pos >= 0 for pos in positions.values())
    ordered = sorted(site_records, key=lambda r: positions[r["id"]])
    dates = [r["date"] for r in ordered]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)
    assert dates[len(dated):] == [None] * (len(dates) - len(dated))


def test_command_line_build_and_clean(tmp_path):
    out = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(SEEDS), "--out", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (out / "index.html").is_file()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    cleaned = subprocess.run([sys.executable, "-m", "wuxi_archive", "clean", str(seed), "--json"],
                             capture_output=True, text=True)
    assert cleaned.returncode == 0, cleaned.stderr
    assert json.loads(cleaned.stdout)[0]["seed"] == seed.name
    version = subprocess.run([sys.executable, "-m", "wuxi_archive", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "wuxi-archive" in version.stdout


def test_build_exits_2_and_names_a_bad_seed(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text((SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8"), encoding="utf-8")
    (seeds / "empty.txt").write_bytes(b"  \n")
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "empty.txt" in run.stderr
    assert json.loads((tmp_path / "out" / "data" / "articles.json").read_text(encoding="utf-8"))[0]["seed"] == "good.txt"


def test_missing_seeds_folder_is_a_usage_error(tmp_path):
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(tmp_path / "nope"), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "does not exist" in run.stderr


def test_the_index_needs_no_reading_beyond_those_made_where_the_seeds_were_processed(config, monkeypatch):
    # Workers read the pinyin of a seed's names (readings_of): the index, on one core
    # after every seed, must find each name it sorts or slugs among them. The seeds and a
    # synthetic page with every kind of name (an event's organisations, full-width letters).
    import wuxi_archive.index.slugs as slugs
    import wuxi_archive.readings as readings
    from wuxi_archive.build.seeds import SeedKeys, make_job, outcome_of, process_job
    from wuxi_archive.index import build_index, entity_names
    from wuxi_archive.records import Article, CleanArticle, Event, Organisation, Person

    monkeypatch.setattr(readings, "_READINGS", {})
    results = [process_job(make_job(p, SeedKeys(config, None), config)) for p in sorted(SEEDS.glob("*.txt"))]
    odd = Article(clean=CleanArticle(seed="x.txt", part=1, title="t", paragraphs=[], source="ＡＢＣ日报"),
                  organisations=[Organisation("无锡ＸＹ中心", parent="无锡")],
                  events=[Event("２０２４年峰会", organisations=["重庆某某学院"])],
                  people=[Person("张三", organisation="长安某局")])
    articles = [a for r in results for a in outcome_of(r).articles] + [odd]
    known = {name: syllables for r in results for name, syllables in r.readings.items()}
    known.update(readings.readings_of(entity_names(odd)))     # as its worker would
    assert len(known) > 20

    def no_more_readings():
        raise AssertionError("the index asked pypinyin for a name no seed's worker read")

    monkeypatch.setattr(readings, "_READINGS", dict(known))
    monkeypatch.setattr(readings, "_pinyin", no_more_readings)
    slugs.pinyin_key.cache_clear()
    index = build_index(articles)
    index.org_groups(), index.person_groups(), index.events_by_date(), index.sources_by_count()
    for name in index.organisations:
        index.co_mentioned(name)
    slugs.pinyin_key.cache_clear()


def test_a_build_without_cache_cleans_each_seed_once(tmp_path, config, monkeypatch):
    from wuxi_archive.build import build_site
    """Without a store the workers' details stay in memory: the reports once cleaned every
    seed a second time to get its lines back (SeedDetails._run_again)."""
    import wuxi_archive.build.pipeline as pipeline
    seeds = copy_seeds(tmp_path)
    cleaned: list[str] = []
    real = pipeline.process_page

    def counting(page, *args, **kwargs):
        cleaned.append(page.seed)
        return real(page, *args, **kwargs)

    monkeypatch.setattr(pipeline, "process_page", counting)
    result = build_site(seeds, tmp_path / "site", config, use_cache=False, jobs=1)
    assert sorted(cleaned) == sorted(p.name for p in seeds.glob("*.txt")) and len(result.articles) > 5
    assert (tmp_path / "site" / "editor" / "report.html").is_file()
