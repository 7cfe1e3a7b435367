"""A rebuild renders again only the pages whose digest changed (render/page_digest.py) and
makes again only the related lists a change reaches (RelatedArticles.reuse); what it
leaves is what a cold build makes."""
from __future__ import annotations

import dataclasses
import random
import sys
import shutil
from pathlib import Path

import pytest

import wuxi_archive.render as render
from conftest import copy_seeds
from wuxi_archive.build import build_site
from wuxi_archive.build.stamp import SiteStamp
from wuxi_archive.index import build_index
from wuxi_archive.index.related import RelatedArticles
from wuxi_archive.render import indexes, workers
from wuxi_archive.render.context import PageRenderer

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
    # The order RelatedArticles.reuse reasons with (rank, last_rank) is the order the lists are made in.
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


def test_ranking_one_article_on_every_list_at_once_agrees_with_ranking_it_on_each(synth, corpus, tmp_path, config):
    # A rebuild ranks a changed article on every list it reaches with `ranks` (its scores counted
    # over its names' members); `rank` asks each name of one list: two ways to one answer.
    result = build_site(tmp_path / "seeds", tmp_path / "site", config, use_cache=False, jobs=1)
    related = build_index(result.articles).related
    ids = [a.id for a in result.articles]
    shared = 0
    for other in result.articles:
        names = ([e.name for e in other.events], [g.name for g in other.organisations], other.clean.date)
        together = dict(related.ranks(ids, other.id, *names))
        assert together == {me: related.rank(me, other.id, *names) for me in ids}
        shared += sum(1 for rank in together.values() if rank and rank[0] < 0)
    assert shared > 100        # most pairs share a name: the scores were really counted


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


class PagesMade:
    """Counts the pages a build rendered and those it kept (PageRenderer.page, .reuse)."""

    def __init__(self, monkeypatch) -> None:
        self.rendered: list[str] = []
        self.kept: list[str] = []
        render_page, reuse = PageRenderer.page, PageRenderer.reuse

        def page(renderer, relpath, *args, **kwargs):
            kept = len(self.kept)
            render_page(renderer, relpath, *args, **kwargs)
            if len(self.kept) == kept:
                self.rendered.append(relpath)

        def counting_reuse(renderer, relpath, digest):
            kept = reuse(renderer, relpath, digest)
            if kept:
                self.kept.append(relpath)
            return kept

        monkeypatch.setattr(PageRenderer, "page", page)
        monkeypatch.setattr(PageRenderer, "reuse", counting_reuse)

    def clear(self) -> None:
        self.rendered.clear()
        self.kept.clear()


@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuilds_after_random_changes_equal_cold_builds_and_keep_most_pages(synth, corpus, tmp_path, config,
                                                                           monkeypatch, jobs):
    if jobs == 2:        # pages planned and rendered in worker processes (render/workers.py)
        monkeypatch.setattr(workers, "MIN_ARTICLES_FOR_WORKERS", 1)
    # Year pages for entities of a few articles, as at scale (workers are given the build's lengths).
    monkeypatch.setattr(indexes, "LONG_LIST", 4)
    monkeypatch.setattr(indexes, "NEWEST", 1)         # years of one article listed on the entity's page
    seeds, site = tmp_path / "seeds", tmp_path / "site"
    lists_made = []                                   # related lists made in a rebuild
    real_make = RelatedArticles._make
    monkeypatch.setattr(RelatedArticles, "_make", lambda self, me: lists_made.append(me) or real_make(self, me))
    build_site(seeds, site, config, jobs=1)
    rng = random.Random(11)
    kept = total = 0
    for round_no in range(5):
        scratch = tmp_path / f"scratch{round_no}"
        scratch.mkdir()
        done = _change_at_random(rng, synth, corpus, seeds, round_no, scratch)
        lists_made.clear()
        before = _page_stamps(site)
        result = build_site(seeds, site, config, jobs=jobs)
        after = _page_stamps(site)
        # A page kept is the very file the last build wrote (same inode and mtime).
        kept += sum(1 for path, stamp in after.items() if before.get(path) == stamp)
        total += len(after)
        # The related lists no change reaches are the last build's.
        assert len(lists_made) < len(result.articles), f"round {round_no}: every related list made again"
        cold = tmp_path / "cold" / "site"
        shutil.rmtree(cold.parent, ignore_errors=True)
        build_site(seeds, cold, config, use_cache=False, jobs=1)
        assert tree(site) == tree(cold), f"round {round_no}: {done}"
    # Most pages were kept under their digests: the rebuilds exercised keeping, not only rendering.
    assert 0 < kept and kept > total / 2


def _page_stamps(site: Path) -> dict[str, tuple[int, int]]:
    return {path.relative_to(site).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in site.rglob("*.html")}


def test_a_page_whose_context_gains_a_field_is_rendered_again_and_no_other(tmp_path, config, monkeypatch):
    # No list says which fields a page shows: its digest is of its whole context. A template
    # that shows a field when given it, and a build that starts giving it to one page.
    templates = tmp_path / "templates"
    shutil.copytree(render.asset_dir("templates"), templates)
    article_html = templates / "article.html"
    source = article_html.read_text(encoding="utf-8")
    marker = "{% block main %}"
    assert marker in source
    article_html.write_text(source.replace(
        marker, marker + '{% if flag is defined %}<p class="flag">{{ flag }}</p>{% endif %}', 1), encoding="utf-8")
    real_asset_dir = render.asset_dir
    monkeypatch.setattr(render, "asset_dir", lambda name: templates if name == "templates" else real_asset_dir(name))
    seeds, site = copy_seeds(tmp_path), tmp_path / "site"
    build_site(seeds, site, config, jobs=1)
    target = sorted((site / "articles").glob("*.html"))[0].relative_to(site).as_posix()
    before = tree(site)
    assert 'class="flag"' not in before[target].decode("utf-8")

    made = PagesMade(monkeypatch)
    counted_page = PageRenderer.page

    def page_with_flag(renderer, relpath, template, *args, **context):
        if relpath == target:
            context["flag"] = "新加的字段"
        return counted_page(renderer, relpath, template, *args, **context)

    monkeypatch.setattr(PageRenderer, "page", page_with_flag)
    monkeypatch.setattr(SiteStamp, "matches", lambda self, on_disk: False)    # render though no input changed
    build_site(seeds, site, config, jobs=1)
    after = tree(site)
    assert made.rendered == [target]
    assert '<p class="flag">新加的字段</p>' in after[target].decode("utf-8")
    assert {path for path in after if after[path] != before.get(path)} == {target}
    assert len(made.kept) > 50


def test_a_config_change_renders_every_page_again(corpus, tmp_path, config, monkeypatch):
    # Page digests are salted with the code, config and templates: a kept page of another salt would be wrong.
    seeds, site = tmp_path / "seeds", tmp_path / "site"
    build_site(seeds, site, config, jobs=1)
    made = PagesMade(monkeypatch)
    build_site(seeds, site, dataclasses.replace(config, site_title="另一座城的档案"), jobs=1)
    assert made.kept == [] and len(made.rendered) > 100
    pages = list((site / "articles").glob("*.html"))
    assert pages and all("另一座城的档案" in p.read_text(encoding="utf-8") for p in pages)


def test_related_lists_kept_between_builds_equal_lists_made_afresh(synth, corpus, tmp_path, config, monkeypatch):
    # RelatedArticles.reuse takes a saved list only where no change can reach it: after
    # random changes every list equals the one made from nothing. The saved rows are kept
    # as the store keeps them: only the rows of lists made again are written (a few at a
    # time), the gone deleted.
    from wuxi_archive.index import related
    monkeypatch.setattr(related, "ROWS_AT_ONCE", 2)
    seeds = tmp_path / "seeds"
    first = build_site(seeds, tmp_path / "site", config, use_cache=False, jobs=1)
    saved = build_index(first.articles).related.export()
    rng = random.Random(5)
    for round_no in range(4):
        scratch = tmp_path / f"scratch{round_no}"
        scratch.mkdir()
        _change_at_random(rng, synth, corpus, seeds, round_no, scratch)
        articles = build_site(seeds, tmp_path / f"site{round_no}", config, use_cache=False, jobs=1).articles
        kept = build_index(articles).related
        # As the build gives them (Store.iter_rows, one at a time), or as a mapping.
        changed = kept.reuse(iter(saved.items()) if round_no % 2 else saved)
        fresh = build_index(articles).related
        assert 0 < changed < len(articles)
        assert kept._reused                                  # some lists were taken, not made
        # A list taken holds the index's own strings, not new copies read back (690 MB at 100,000).
        own = {me: me for me in kept.articles}
        for me in kept._reused:
            for link in kept.get(me):
                assert link.article_id is own[link.article_id]
                assert all(name is sys.intern(name) for name in link.shared)
        rows, gone, calls = {}, [], []
        kept.settle(lambda some, ids: (rows.update(some), gone.extend(ids), calls.append(len(some))))
        for article in articles:
            assert kept.get(article.id) == fresh.get(article.id), f"round {round_no}: {article.id}"
        assert 0 < len(rows) < len(articles)
        assert calls == [2] * (len(rows) // 2) + [1] * (len(rows) % 2) + [0]    # 2 rows a time, then the gone
        saved = {key: row for key, row in {**saved, **rows}.items() if key not in gone}
        assert saved == fresh.export()                       # what is kept equals every row made afresh
    assert build_index(articles).related.reuse({}) == len(articles)
    assert build_index(articles).related.reuse({a.id: b"[not a row" for a in articles}) == len(articles)
    with pytest.raises(AttributeError, match="let go by settle"):       # a settled index makes no list
        kept.rank(articles[0].id, articles[1].id, [], [], None)


def test_pages_a_change_reaches_without_naming_their_entity_equal_cold_builds(tmp_path, config, monkeypatch):
    # Four ways an entity page changes though no changed article names its entity, each
    # set up with sidecars; after every step the rebuild equals a cold build.
    monkeypatch.setattr(indexes, "LONG_LIST", 1)      # years for every entity of two articles: a page
    monkeypatch.setattr(indexes, "NEWEST", 1)         # for a year of two, a year of one on the entity's page
    seeds = copy_seeds(tmp_path)
    site = tmp_path / "site"
    made = PagesMade(monkeypatch)

    def sidecar(stem: str, text: str) -> None:
        (seeds / f"{stem}.yaml").write_text(text, encoding="utf-8")

    def rebuild_equals_cold() -> None:
        made.clear()
        build_site(seeds, site, config, jobs=1)
        cold = tmp_path / "cold" / "site"
        shutil.rmtree(cold.parent, ignore_errors=True)
        build_site(seeds, cold, config, use_cache=False, jobs=1)
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
    # ... and is gone again: no page left links to it, yet 甲乙丙丁研究院分院's page changes.
    sidecar("002_c83e22518ca00d00", "organisations: [壬癸中心]\n")
    rebuild_equals_cold()
    # 2. 测试年会's date changes: the page of 甲乙丙丁研究院分院, which reports it, shows it.
    sidecar("000_a44f7b69ee84a8bd", "organisations: [戊研究中心]\nevents:\n"
            "  - {name: 测试年会, date: 2022-02-07, organisations: [己庚研究所]}\n"
            "  - {name: 测试论坛, date: 2019-03-15}\n")
    rebuild_equals_cold()
    # ... but another report of 测试年会, which leaves its page and date as they were,
    # changes no list of events: 甲乙丙丁研究院分院's page is kept.
    sidecar("003_6278776c4837406b", "organisations: [己庚研究所]\nevents:\n  - {name: 测试年会}\n")
    rebuild_equals_cold()
    org_page = next(p.relative_to(site).as_posix() for p in (site / "org").glob("*.html")
                    if "<title>甲乙丙丁研究院分院" in p.read_text(encoding="utf-8"))
    assert org_page in made.kept
    sidecar("003_6278776c4837406b", "organisations: [己庚研究所]\n")
    rebuild_equals_cold()
    # 3. 己庚研究所 no longer takes part in 测试年会: its page loses the event.
    sidecar("000_a44f7b69ee84a8bd", "organisations: [戊研究中心]\nevents:\n"
            "  - {name: 测试年会, date: 2022-02-07}\n  - {name: 测试论坛, date: 2019-03-15}\n")
    rebuild_equals_cold()
    # 4. An undated article changes: the undated year of an entity it names (listed on its page,
    # or the newest list there) changes with it.
    sidecar("002_c83e22518ca00d00", "organisations: [壬癸中心, 己庚研究所]\n")
    rebuild_equals_cold()
    sidecar("002_c83e22518ca00d00", "title: 改过的标题\norganisations: [壬癸中心, 己庚研究所]\n")
    rebuild_equals_cold()
    # 5. An article dated in 测试论坛's month makes that month's page: the event's date links there.
    sidecar("002_c83e22518ca00d00", "organisations: [壬癸中心]\ndate: 2019-03-20\n")
    rebuild_equals_cold()
