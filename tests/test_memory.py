"""A build's memory does not grow with the archive's text: jobs are made as the workers
take them, and only a window of seeds keeps its paragraphs and details loaded."""
from __future__ import annotations

from pathlib import Path

import wuxi_archive.build.seeds as seeds_module
from test_incremental import copy_seeds, tree
from wuxi_archive.build import build_site
from wuxi_archive.build.executor import LocalPool, bounded_map


class Done:
    def __init__(self, batch: list[int]) -> None:
        self.batch = batch

    def result(self) -> list[int]:
        return [n * n for n in self.batch]


def test_a_bounded_map_takes_items_only_as_results_are_taken():
    drawn = []

    def items():
        for n in range(100):
            drawn.append(n)
            yield n

    results = bounded_map(Done, items(), batch=4, in_flight=3)
    assert len(drawn) == 12              # three batches sent before the first result is asked for
    taken = [next(results) for _ in range(5)]
    assert taken == [0, 1, 4, 9, 16] and len(drawn) <= 20
    assert taken + list(results) == [n * n for n in range(100)]


def test_a_local_pool_keeps_order_with_items_made_lazily():
    pool = LocalPool(2, tasks=200)
    try:
        assert list(pool.map(abs, (-n for n in range(200)))) == list(range(200))
    finally:
        pool.close()


def test_a_site_built_holding_one_seed_at_a_time_is_the_same(tmp_path, config, monkeypatch):
    """Every seed's paragraphs and details let go as soon as another is loaded (a window of
    one): each page still gets what it shows, the site byte for byte as with all held."""
    seeds = copy_seeds(tmp_path, copies=3)
    wide = tmp_path / "wide" / "site"
    held = build_site(seeds, wide, config, jobs=1)
    monkeypatch.setattr(seeds_module, "LOADED_SEEDS", 1)
    narrow = tmp_path / "narrow" / "site"
    result = build_site(seeds, narrow, config, jobs=1)
    assert result.recomputed == len(list(seeds.glob("*.txt")))
    assert tree(narrow) == tree(wide)
    # At the end, the wide window still holds every article's paragraphs (each had a page
    # made); the narrow one only those of the seeds the last pages asked for.
    def loaded(articles):
        return sum(not seeds_module.is_unloaded(a.clean.paragraphs) for a in articles)
    assert loaded(held.articles) == len(held.articles) > loaded(result.articles)


def test_articles_triage_changed_build_the_same_however_small_the_window(tmp_path, config, monkeypatch):
    """A duplicate (triage gives it a warning: a new object no worker prepared) was hashed
    by render after the window had let its text go: that broke a 100,000-article build."""
    import shutil
    seeds = copy_seeds(tmp_path, copies=2)
    first = sorted(seeds.glob("*.txt"))[0]
    shutil.copy(first, seeds / ("zz_" + first.name))       # the same article twice
    wide = tmp_path / "wide" / "site"
    build_site(seeds, wide, config, jobs=1)
    monkeypatch.setattr(seeds_module, "LOADED_SEEDS", 1)
    narrow = tmp_path / "narrow" / "site"
    result = build_site(seeds, narrow, config, jobs=1)
    assert any("the same article is also in" in w for a in result.articles for w in a.clean.warnings)
    assert tree(narrow) == tree(wide)


def test_records_made_again_from_the_store_a_few_seeds_at_a_time_give_the_same_file(tmp_path, config, monkeypatch):
    """With the store kept and the site gone (docs/ci.md), every record of data/articles.json
    is made again from the stored details: a few seeds' details loaded at a time, the
    records waiting in the spool, the site byte for byte the same."""
    import shutil

    import wuxi_archive.render.records_file as records_file
    seeds = copy_seeds(tmp_path, copies=2)
    out = tmp_path / "site"
    build_site(seeds, out, config, jobs=1)
    expected = tree(out)
    shutil.rmtree(out)                                  # the store, beside it, is kept
    asked: list[set[str]] = []
    complete = seeds_module.SeedDetails.complete

    def counted(self, articles):
        asked.append({a.clean.seed for a in articles})
        return complete(self, articles)

    monkeypatch.setattr(seeds_module.SeedDetails, "complete", counted)
    monkeypatch.setattr(records_file, "SEEDS_AT_ONCE", 2)
    assert build_site(seeds, out, config, jobs=1).recomputed == 0
    assert tree(out) == expected
    names = {path.name for path in seeds.glob("*.txt")}
    assert set().union(*asked) == names and len(asked) >= len(names) // 2
    assert max(map(len, asked)) == 2
