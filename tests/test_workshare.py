"""Two processes sharing the pages: every page is made once, by one of them, whatever the timing."""
from __future__ import annotations

import copy
import os
import random

import pytest

from wuxi_archive.beside import Beside, can_fork
from wuxi_archive.render.parallel import EVERY_PAGE, WorkShare

# A walk as render_site makes one: kinds of pages claimed in runs of different
# lengths (a run may reach past the kind's end only one at a time), and one-off
# pages between them.
WALK = [("articles", 37, 8), ("one-off", 1, 1), ("years", 5, 1), ("orgs", 20, 8),
        ("one-off", 1, 1), ("reports", 3, 8), ("blocks", 4, 1), ("one-off", 1, 1)]


def walk_steps(work: WorkShare):
    """Walk WALK with `work`, a step per page made (a generator, so that two walks can interleave)."""
    for kind, count, run in WALK:
        if kind == "one-off":
            yield [kind] if work.take_one() else []
            continue
        for item in work.take([(kind, i) for i in range(count)], run):
            yield [item]


def every_page() -> list:
    pages = []
    for kind, count, _ in WALK:
        pages += [kind] if kind == "one-off" else [(kind, i) for i in range(count)]
    return pages


def run_interleaved(order: list[int], folder) -> tuple[list, list]:
    """Two walks over one counter, advanced in `order` (0 or 1 per step) until both end."""
    first = WorkShare(shared_in=folder)
    second = copy.copy(first)          # the forked copy: the same counter, its own place in the walk
    walks = [walk_steps(first), walk_steps(second)]
    taken: list[list] = [[], []]
    done = [False, False]
    steps = iter(order)
    while not all(done):
        who = next(steps, 0 if not done[0] else 1)
        if done[who]:
            who = 1 - who
        try:
            taken[who] += next(walks[who])
        except StopIteration:
            done[who] = True
    first.close()
    return taken[0], taken[1]


def test_one_process_makes_every_page():
    pages = [p for step in walk_steps(EVERY_PAGE) for p in step]
    assert pages == every_page()


@pytest.mark.parametrize("seed", range(40))
def test_each_page_goes_to_exactly_one_of_two_processes_in_any_interleaving(seed, tmp_path):
    rng = random.Random(seed)
    bias = rng.random()     # from one process racing ahead to both in step
    order = [int(rng.random() < bias) for _ in range(400)]
    first, second = run_interleaved(order, tmp_path)
    assert sorted(map(str, first + second)) == sorted(map(str, every_page()))
    assert len(first) + len(second) == len(every_page())
    # In walk order, each one's pages are a subsequence of the walk (nothing made out of turn).
    pages = every_page()
    for taken in (first, second):
        positions = [pages.index(p) if p != "one-off" else None for p in taken]
        numbered = [p for p in positions if p is not None]
        assert numbered == sorted(numbered)


def test_a_process_that_stops_keeps_its_run_and_the_other_makes_everything_else(tmp_path):
    # The first makes 10 articles (its runs of 8 are 0-7 and 8-15) and stops; the second walks to the end.
    first, second = run_interleaved([0] * 10 + [1] * 10_000, tmp_path)
    assert first[:10] == [("articles", i) for i in range(10)]
    assert first[10:] == [("articles", i) for i in range(10, 16)]      # made when it went on
    assert second[:22] == [("articles", i) for i in range(16, 37)] + ["one-off"]
    assert len(first) + len(second) == len(every_page())


@pytest.mark.skipif(not can_fork(2), reason="needs os.fork and no other thread")
def test_two_real_processes_share_the_pages_between_them(tmp_path):
    work = WorkShare(shared_in=tmp_path)
    child = Beside(lambda: [p for step in walk_steps(work) for p in step], "test")
    mine = [p for step in walk_steps(work) for p in step]
    theirs = child.join()
    work.close()
    assert sorted(map(str, mine + theirs)) == sorted(map(str, every_page()))
    assert len(mine) + len(theirs) == len(every_page())
    assert os.listdir(tmp_path) == []      # the counter's file has no name


def test_a_run_stops_at_the_end_of_its_kind(tmp_path):
    # Claimed past the articles, the one-off and the first years would wait for the first
    # process, which may be busy for long: the second takes them.
    first, second = run_interleaved([0] * 37 + [1] * 10_000, tmp_path)
    assert first[:37] == [("articles", i) for i in range(37)]
    assert second[:3] == ["one-off", ("years", 0), ("years", 1)]


@pytest.mark.skipif(not can_fork(2), reason="needs os.fork and no other thread")
def test_when_this_process_fails_the_other_render_process_is_stopped(tmp_path, config, monkeypatch):
    # Left running, it would go on writing pages into the staging folder the next build uses.
    import wuxi_archive.beside as beside
    import wuxi_archive.render as render
    import wuxi_archive.render.parallel as parallel
    from conftest import SEEDS
    from wuxi_archive.build import build_site

    cancelled = []
    real_cancel = beside.Beside.cancel

    def cancel(self):
        cancelled.append(self.pid)
        real_cancel(self)

    def fail(*args, **kwargs):
        raise RuntimeError("articles.json could not be written")

    monkeypatch.setattr(parallel, "MIN_ARTICLES_TO_SPLIT", 1)
    monkeypatch.setattr(beside.Beside, "cancel", cancel)
    monkeypatch.setattr(render, "write_articles_json", fail)      # runs in this process alone
    with pytest.raises(RuntimeError, match="could not be written"):
        build_site(SEEDS, tmp_path / "site", config, jobs=2)
    assert len(cancelled) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(cancelled[0], os.WNOHANG)
    assert not (tmp_path / "site.staging").exists()
