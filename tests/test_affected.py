"""A rebuild keys again only the article pages a change can reach (render/affected.py),
and what it leaves is what a cold build makes."""
from __future__ import annotations

import dataclasses
import random
import shutil
from pathlib import Path

import pytest

import wuxi_archive.render as render
from wuxi_archive.build import build_site
from wuxi_archive.index import build_index
from wuxi_archive.render import parallel

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
    seeds, site = tmp_path / "seeds", tmp_path / "site"
    keyed: list[tuple[int | None, int]] = []       # (pages to key, articles) of each rebuild of `site`
    real = render.articles_to_key

    def counting(index, last, digest_of):
        found = real(index, last, digest_of)
        keyed.append((None if found is None else len(found), len(index.articles)))
        return found

    monkeypatch.setattr(render, "articles_to_key", counting)
    build_site(seeds, site, config, jobs=jobs)
    rng = random.Random(11)
    for round_no in range(5):
        scratch = tmp_path / f"scratch{round_no}"
        scratch.mkdir()
        done = _change_at_random(rng, synth, corpus, seeds, round_no, scratch)
        build_site(seeds, site, config, jobs=jobs)
        cold = tmp_path / "cold" / "site"
        shutil.rmtree(cold.parent, ignore_errors=True)
        monkeypatch.setattr(render, "articles_to_key", real)
        build_site(seeds, cold, config, use_cache=False, jobs=1)
        monkeypatch.setattr(render, "articles_to_key", counting)
        assert tree(site) == tree(cold), f"round {round_no}: {done}"
    rebuilds = keyed[1:]          # the first build has no last build to start from
    assert keyed[0][0] is None
    assert all(count is not None for count, _ in rebuilds)
    # Most pages were kept unkeyed: the test exercised the fast path, not only the fallback.
    assert sum(count for count, _ in rebuilds) < sum(total for _, total in rebuilds) / 3


def test_a_config_change_keys_every_page_again(corpus, tmp_path, config, monkeypatch):
    # Page keys are salted with the code, config and templates: kept keys from another salt would be wrong.
    seeds, site = tmp_path / "seeds", tmp_path / "site"
    build_site(seeds, site, config, jobs=1)
    seen = []
    real = render.articles_to_key
    monkeypatch.setattr(render, "articles_to_key", lambda *a: seen.append(real(*a)) or seen[-1])
    build_site(seeds, site, dataclasses.replace(config, site_title="另一座城的档案"), jobs=1)
    assert seen == [None]
    pages = list((site / "articles").glob("*.html"))
    assert pages and all("另一座城的档案" in p.read_text(encoding="utf-8") for p in pages)
