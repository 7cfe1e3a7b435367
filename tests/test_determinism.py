"""Two builds of the same input give byte-identical trees, however they were run."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, copy_seeds
from wuxi_archive.build import build_site
from wuxi_archive.build.executor import MIN_TASKS_FOR_WORKERS as MIN_SEEDS_FOR_WORKERS


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_cold_builds_are_identical(tmp_path, config):
    build_site(SEEDS, tmp_path / "a", config, use_cache=False)
    build_site(SEEDS, tmp_path / "b", config, use_cache=False)
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert a and sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []


def test_builds_under_different_hash_seeds_are_identical(tmp_path):
    # Set and dict order of strings changes with PYTHONHASHSEED: any leak shows here.
    for seed in ("1", "2"):
        run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--no-cache", "--seeds", str(SEEDS),
                              "--out", str(tmp_path / f"h{seed}")], cwd=tmp_path, capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert run.returncode == 0, run.stderr
    assert tree(tmp_path / "h1") == tree(tmp_path / "h2")


def enough_seeds_for_workers(tmp_path: Path) -> Path:
    """The seeds copied often enough for the build to start worker processes (each copy's text changed)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    copies = MIN_SEEDS_FOR_WORKERS // len(list(SEEDS.glob("*.txt"))) + 1
    for k in range(copies):
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8").replace("。", f"(副本{k})。")   # not duplicates
            (seeds / f"k{k}_{path.name}").write_text(text, encoding="utf-8")
    assert len(list(seeds.iterdir())) >= MIN_SEEDS_FOR_WORKERS
    return seeds


def test_worker_processes_give_the_same_site_as_one_process(tmp_path, config):
    seeds = enough_seeds_for_workers(tmp_path)
    build_site(seeds, tmp_path / "one", config, use_cache=False, jobs=1)
    build_site(seeds, tmp_path / "two", config, use_cache=False, jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_rendering_in_worker_processes_gives_the_same_site_and_cache_as_here(tmp_path, config, monkeypatch):
    import wuxi_archive.render as render
    import wuxi_archive.render.workers as workers

    forks, pools = [], []
    real_fork, real_pool = os.fork, render.RenderPool

    def counting_fork():
        forks.append(1)
        return real_fork()

    def counting_pool(*args, **kwargs):
        pools.append(1)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(workers, "MIN_ARTICLES_FOR_WORKERS", 1)   # the seeds are too few for workers for real
    monkeypatch.setattr(render, "RenderPool", counting_pool)
    monkeypatch.setattr(os, "fork", counting_fork)
    build_site(SEEDS, tmp_path / "one" / "site", config, jobs=1)
    assert pools == []
    build_site(SEEDS, tmp_path / "two" / "site", config, jobs=2)
    # Rendered in workers, none of them a fork of this process (its whole heap).
    assert pools == [1] and forks == []
    assert tree(tmp_path / "one" / "site") == tree(tmp_path / "two" / "site")
    # The search index's memo entry, its one range's listing and its chunk's postings are in
    # the store, made while the workers rendered.
    one, two = stored_blob_keys(tmp_path / "one"), stored_blob_keys(tmp_path / "two")
    assert len(one) == 3 and one == two


def stored_blob_keys(folder: Path) -> list[str]:
    import sqlite3
    with sqlite3.connect(folder / ".site.cache" / "store.sqlite") as db:
        return sorted(key for (key,) in db.execute("SELECT key FROM blobs"))


def test_workers_that_hand_back_outcomes_without_details_give_the_same_site(tmp_path, config):
    # With a store, the build keeps each seed's details there and reads them back when asked;
    # a duplicate makes the build change an article after the workers, so it needs them back.
    seeds = enough_seeds_for_workers(tmp_path)
    (seeds / "zz_duplicate.txt").write_bytes(sorted(seeds.glob("*.txt"))[0].read_bytes())
    two = build_site(seeds, tmp_path / "two" / "site", config, jobs=2)
    assert two.recomputed >= MIN_SEEDS_FOR_WORKERS and any("duplicate" in n for n in two.notices)
    build_site(seeds, tmp_path / "one" / "site", config, use_cache=False, jobs=1)
    assert tree(tmp_path / "one" / "site") == tree(tmp_path / "two" / "site")


def test_each_report_is_made_once_when_workers_make_them(tmp_path, config, monkeypatch):
    # The build process hands each shard of reports to a worker: every article's report is
    # in exactly one shard, whichever worker made it.
    import wuxi_archive.render.workers as workers
    from wuxi_archive.render.report_shards import unpack_shard

    seeds = enough_seeds_for_workers(tmp_path)
    monkeypatch.setattr(workers, "MIN_ARTICLES_FOR_WORKERS", 1)
    result = build_site(seeds, tmp_path / "site", config, jobs=2)
    reported = [report["id"] for shard in sorted((tmp_path / "site" / "editor" / "data").glob("*.js"))
                for report in unpack_shard(shard.read_bytes())[1]]
    assert sorted(reported) == sorted(a.id for a in result.articles)      # each once


def _end_abruptly(_: object) -> None:
    os._exit(1)


def test_a_render_worker_that_dies_is_one_error_line_and_the_old_site_stays(tmp_path, config, monkeypatch, capsys):
    # A worker killed (out of memory, say) breaks the pool: its task's result is that error.
    from concurrent.futures import ProcessPoolExecutor

    import wuxi_archive.render as render
    from wuxi_archive.commands.cli import main
    from wuxi_archive.render.workers import RenderWorkerError, _result

    with ProcessPoolExecutor(1) as pool:
        with pytest.raises(RenderWorkerError, match="ended abruptly"):
            _result(pool.submit(_end_abruptly, None))
    seeds, out = copy_seeds(tmp_path), tmp_path / "site"
    build_site(seeds, out, config)
    before = tree(out)
    (seeds / "zz_new.txt").write_bytes(sorted(seeds.glob("*.txt"))[0].read_bytes() + "又一段。".encode())

    def broken(*args, **kwargs):
        raise RenderWorkerError("a render worker process ended abruptly")

    monkeypatch.setattr(render, "render_site", broken)
    assert main(["build", "--seeds", str(seeds), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: a render worker process ended abruptly") and "was not changed" in err[-1]
    assert tree(out) == before


def test_a_build_without_cache_over_a_site_keeps_its_files_when_workers_render(tmp_path, config, monkeypatch):
    # Without a cache no manifest says what a file holds: a worker compares a page's bytes with
    # the file on disk (the scan it is given) and keeps the file when they are the same.
    import wuxi_archive.render.workers as workers

    monkeypatch.setattr(workers, "MIN_ARTICLES_FOR_WORKERS", 1)
    out = tmp_path / "site"
    build_site(SEEDS, out, config, use_cache=False, jobs=1)
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*.html")}
    build_site(SEEDS, out, config, use_cache=False, jobs=2)
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*.html")} == stamps
