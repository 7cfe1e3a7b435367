"""A rebuild keys again only the article pages a change can reach (render/affected.py),
and what it leaves is what a cold build makes."""
from __future__ import annotations

import dataclasses
import random
import shutil
from pathlib import Path

import pytest

import wuxi_archive.render as render
from conftest import copy_seeds
from wuxi_archive.build import build_site
from wuxi_archive.index import build_index
from wuxi_archive.render import indexes, parallel

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def synth(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import synth
    return synth


@pytest.fixture
def corpus(synth, tmp_path):
    """A synthetic archive of about 60 articles (benchmarks/synth.py: Zipf-like organisations,
    dates over years, multi-article and traditional pages)."""
    made, _ = synth.synthesise(tmp_path / "seeds", 60, seed=7)
    return made


def test_related_lists_are_the_first_by_rank_and_end_at_their_last_rank(synth, corpus, tmp_path, config):
    # The order affected.py reasons with is the order the lists are made in.
    result = build_site(tmp_path / "seeds", tmp_path / "site", config, use_cache=False, jobs=1)
    related = build_index(result.articles).related
    full = 0
    for me in (a.id for a in result.articles):
        ranked = sorted(rank for rank in (
            related.rank(me, o.id, [e.name for e in o.events], [g.name for g in o.organisations], o.clean.date)
            for o in result.articles if o.id != me) if rank is not None)
        made = related.get(me)
        assert [link.article_id for link in made] == [rank[2] for rank in ranked[:related.limit]]
        if len(made) == related.limit:
            full += 1
            assert related.last_rank(me) == ranked[related.limit - 1]
        else:
            assert related.last_rank(me) is None and len(ranked) == len(made)
    assert full > 10


def _change_at_random(rng: random.Random, synth, corpus, seeds: Path, round_no: int, scratch: Path) -> list[str]:
    """Two or three changes of the kinds a rebuild meets; what was done, for the failure message."""
    done = []
    for n in range(rng.randint(2, 3)):
        pages = sorted(seeds.glob("*.txt"))
        kind = rng.choice(["add", "remove", "rewrite", "redate", "homophone"])
        victim = rng.choice(pages)
        if kind == "add":
            synth.write_page(corpus, 1000 + 10 * round_no + n, seeds)
        elif kind == "remove" and len(pages) > 20:
            victim.unlink()
        elif kind == "rewrite":     # another page's articles under this name: new names, dates, lists
            other, _ = synth.write_page(corpus, 2000 + 10 * round_no + n, scratch)
            victim.write_bytes(other.read_bytes())
        elif kind == "redate":
            text = victim.read_bytes()
            victim.write_bytes(text.replace(b"202", b"201", 2))
        else:                       # a new page naming 吴锡 where another named 无锡: slugs collide
            (seeds / f"zz_{round_no}_{n}.txt").write_bytes(
                victim.read_bytes().replace("无锡".encode(), "吴锡".encode()).replace("。".encode(), "(又)。".encode()))
        done.append(f"{kind} {victim.name}")
    return done


@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuilds_after_random_changes_equal_cold_builds_and_key_few_pages(synth, corpus, tmp_path, config,
                                                                           monkeypatch, jobs):
    if jobs == 2:        # the pages split over two processes, whose lists' last ranks must come back
        monkeypatch.setattr(parallel, "MIN_ARTICLES_TO_SPLIT", 1)
    monkeypatch.setattr(indexes, "LONG_LIST", 4)      # year pages for entities of a few articles, as at scale
    seeds, site = tmp_path / "seeds", tmp_path / "site"
    keyed: list[tuple[int | None, int]] = []       # (article pages to key, articles) of each rebuild of `site`
    entities: list[tuple[int, int]] = []            # (entity pages to key, entities), when not all are
    real = render.pages_to_key

    def counting(index, last, digest_of):
        found = real(index, last, digest_of)
        keyed.append((None if found is None else len(found.articles), len(index.articles)))
        if found is not None and found.names is not None:
            entities.append((sum(map(len, found.names.values())),
                             sum(map(len, (index.organisations, index.events, index.people, index.sources)))))
        return found

    monkeypatch.setattr(render, "pages_to_key", counting)
    build_site(seeds, site, config, jobs=jobs)
    rng = random.Random(11)
    for round_no in range(5):
        scratch = tmp_path / f"scratch{round_no}"
        scratch.mkdir()
        done = _change_at_random(rng, synth, corpus, seeds, round_no, scratch)
        build_site(seeds, site, config, jobs=jobs)
        cold = tmp_path / "cold" / "site"
        shutil.rmtree(cold.parent, ignore_errors=True)
        monkeypatch.setattr(render, "pages_to_key", real)
        build_site(seeds, cold, config, use_cache=False, jobs=1)
        monkeypatch.setattr(render, "pages_to_key", counting)
        assert tree(site) == tree(cold), f"round {round_no}: {done}"
    rebuilds = keyed[1:]          # the first build has no last build to start from
    assert keyed[0][0] is None
    assert all(count is not None for count, _ in rebuilds)
    # Pages were kept unkeyed in every rebuild, most of them overall: the test exercised
    # the fast path, not only the fallback. (A homophone page renames the slugs of the
    # entities it collides with, so every article linking to them is keyed again: with
    # seed 7 two rounds of homophones key 38 and 51 of 62 articles, the others 6-20.)
    assert all(count < total for count, total in rebuilds)
    assert sum(count for count, _ in rebuilds) < sum(total for _, total in rebuilds) / 2
    assert len(entities) >= 2 and sum(count for count, _ in entities) < sum(total for _, total in entities) / 2


def test_a_config_change_keys_every_page_again(corpus, tmp_path, config, monkeypatch):
    # Page keys are salted with the code, config and templates: kept keys from another salt would be wrong.
    seeds, site = tmp_path / "seeds", tmp_path / "site"
    build_site(seeds, site, config, jobs=1)
    seen = []
    real = render.pages_to_key
    monkeypatch.setattr(render, "pages_to_key", lambda *a: seen.append(real(*a)) or seen[-1])
    build_site(seeds, site, dataclasses.replace(config, site_title="另一座城的档案"), jobs=1)
    assert seen == [None]
    pages = list((site / "articles").glob("*.html"))
    assert pages and all("另一座城的档案" in p.read_text(encoding="utf-8") for p in pages)


def test_pages_a_change_reaches_without_naming_their_entity_equal_cold_builds(tmp_path, config, monkeypatch):
    # Four ways an entity page changes though no changed article names its entity, each
    # set up with sidecars; after every step the rebuild equals a cold build.
    monkeypatch.setattr(indexes, "LONG_LIST", 1)      # year pages for every entity of two articles
    seeds = copy_seeds(tmp_path)
    site = tmp_path / "site"
    found = []
    real = render.pages_to_key
    monkeypatch.setattr(render, "pages_to_key", lambda *a: found.append(real(*a)) or found[-1])

    def sidecar(stem: str, text: str) -> None:
        (seeds / f"{stem}.yaml").write_text(text, encoding="utf-8")

    def rebuild_equals_cold() -> None:
        build_site(seeds, site, config, jobs=1)
        cold = tmp_path / "cold" / "site"
        shutil.rmtree(cold.parent, ignore_errors=True)
        monkeypatch.setattr(render, "pages_to_key", real)
        build_site(seeds, cold, config, use_cache=False, jobs=1)
        monkeypatch.setattr(render, "pages_to_key", lambda *a: found.append(real(*a)) or found[-1])
        assert tree(site) == tree(cold)

    # 001 names 甲乙丙丁研究院分院 and reports 测试年会 (undated there); 000 dates 测试年会 and
    # names 己庚研究所 (named by 003 alone) as taking part; 000 also holds 测试论坛, in a month
    # no article is dated in.
    sidecar("001_b52bb0bb0369eda1", "organisations: [甲乙丙丁研究院分院]\nevents:\n  - {name: 测试年会}\n")
    sidecar("000_a44f7b69ee84a8bd", "organisations: [戊研究中心]\nevents:\n"
            "  - {name: 测试年会, date: 2022-01-05, organisations: [己庚研究所]}\n"
            "  - {name: 测试论坛, date: 2019-03-15}\n")
    sidecar("003_6278776c4837406b", "organisations: [己庚研究所]\n")
    rebuild_equals_cold()
    # 1. A new name is the parent of 甲乙丙丁研究院分院 (inferred from all names).
    sidecar("002_c83e22518ca00d00", "organisations: [甲乙丙丁研究院]\n")
    rebuild_equals_cold()
    assert found[-1] is not None and found[-1].names is not None
    # ... and is gone again: no page left links to it, yet 甲乙丙丁研究院分院's page changes.
    sidecar("002_c83e22518ca00d00", "organisations: [壬癸中心]\n")
    rebuild_equals_cold()
    assert found[-1].names is not None
    # 2. 测试年会's date changes: the page of 甲乙丙丁研究院分院, which reports it, shows it.
    sidecar("000_a44f7b69ee84a8bd", "organisations: [戊研究中心]\nevents:\n"
            "  - {name: 测试年会, date: 2022-02-07, organisations: [己庚研究所]}\n"
            "  - {name: 测试论坛, date: 2019-03-15}\n")
    rebuild_equals_cold()
    assert found[-1].names is not None
    # ... but another report of 测试年会, which leaves its page and date as they were,
    # changes no list of events: 甲乙丙丁研究院分院's page is not keyed for it.
    sidecar("003_6278776c4837406b", "organisations: [己庚研究所]\nevents:\n  - {name: 测试年会}\n")
    rebuild_equals_cold()
    assert found[-1].names is not None and "测试年会" in found[-1].names["event"]
    assert "甲乙丙丁研究院分院" not in found[-1].names["org"]
    sidecar("003_6278776c4837406b", "organisations: [己庚研究所]\n")
    rebuild_equals_cold()
    # 3. 己庚研究所 no longer takes part in 测试年会: its page loses the event.
    sidecar("000_a44f7b69ee84a8bd", "organisations: [戊研究中心]\nevents:\n"
            "  - {name: 测试年会, date: 2022-02-07}\n  - {name: 测试论坛, date: 2019-03-15}\n")
    rebuild_equals_cold()
    assert found[-1].names is not None
    # 4. An undated article changes: the undated year page of an entity it names changes with it.
    sidecar("002_c83e22518ca00d00", "organisations: [壬癸中心, 己庚研究所]\n")
    rebuild_equals_cold()
    sidecar("002_c83e22518ca00d00", "title: 改过的标题\norganisations: [壬癸中心, 己庚研究所]\n")
    rebuild_equals_cold()
    assert found[-1].names is not None and "undated" in found[-1].dates
    # 5. An article dated in 测试论坛's month makes that month's page: the event's date links there.
    sidecar("002_c83e22518ca00d00", "organisations: [壬癸中心]\ndate: 2019-03-20\n")
    rebuild_equals_cold()
    assert found[-1].names is None            # every entity and date page keyed
