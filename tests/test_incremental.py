"""Incremental builds: a rebuild in the same folder equals a cold build; a killed build changes nothing."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS
from wuxi_archive.build import build_site
from wuxi_archive.build.store import STORE_FILE, Store, cache_dir_for
from wuxi_archive.config import load_config


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def copy_seeds(tmp_path: Path, copies: int = 1) -> Path:
    """The project's seeds, `copies` times over under new names (copy k>0 with its own sentences)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for k in range(copies):
        for path in sorted(SEEDS.glob("*.txt")):
            data = path.read_bytes()
            if k:   # every sentence changed, so the copy is not dropped as a duplicate
                data = data.replace("。".encode(), f"(副本{k})。".encode())
            (seeds / (path.name if not k else f"c{k:03d}_{path.name}")).write_bytes(data)
    return seeds


def cold(seeds: Path, tmp_path: Path, config) -> dict[str, bytes]:
    out = tmp_path / "cold" / "site"
    if out.parent.exists():
        shutil.rmtree(out.parent)
    build_site(seeds, out, config, use_cache=False)
    return tree(out)


def new_seed_bytes() -> bytes:
    text = sorted(SEEDS.glob("*.txt"))[2].read_text(encoding="utf-8")
    return text.replace("。", "(新增)。").encode("utf-8")


def test_adding_one_seed_redoes_only_it_and_equals_a_cold_build(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    first = build_site(seeds, out, config)
    assert first.recomputed == first.seeds
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    again = build_site(seeds, out, config)
    assert again.recomputed == 1 and again.seeds == first.seeds + 1
    assert any(path.startswith("articles/zz_new") for path in tree(out))
    assert tree(out) == cold(seeds, tmp_path, config)


def test_changing_removing_and_annotating_seeds_equals_a_cold_build(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    names = sorted(p.name for p in seeds.glob("*.txt"))
    changed = seeds / names[0]
    changed.write_bytes(changed.read_bytes().replace("无锡".encode(), "锡城".encode(), 1))
    (seeds / names[1]).unlink()
    (seeds / (Path(names[2]).stem + ".yaml")).write_text("title: 编辑给的标题\n", encoding="utf-8")
    again = build_site(seeds, out, config)
    assert again.recomputed == 2            # the changed seed and the one with a new sidecar
    site = tree(out)
    assert not any(Path(names[1]).stem in path for path in site)
    assert site == cold(seeds, tmp_path, config)
    assert build_site(seeds, out, config).recomputed == 0


def test_a_config_change_invalidates_every_seed(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    custom = tmp_path / "site.yaml"
    custom.write_text("aliases:\n  锡科院: 无锡科技职业学院\n", encoding="utf-8")
    other = load_config(custom)
    result = build_site(seeds, out, other)
    assert result.recomputed == result.seeds


def stored(out: Path, query: str, *args: object) -> list[tuple]:
    """Rows of the build's store (build/store.py), read with SQLite itself."""
    with sqlite3.connect(cache_dir_for(out) / STORE_FILE) as db:
        return db.execute(query, args).fetchall()


def change_store(out: Path, statement: str, *args: object) -> None:
    db = sqlite3.connect(cache_dir_for(out) / STORE_FILE)
    with db:
        db.execute(statement, args)
    db.close()


def test_a_damaged_stored_outcome_is_recomputed_not_trusted(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    keys = [key for (key,) in stored(out, "SELECT key FROM outcomes ORDER BY key")]
    assert len(keys) == len(list(seeds.glob("*.txt")))
    change_store(out, "UPDATE outcomes SET light = ? WHERE key = ?", b"{not json", keys[0])
    change_store(out, "UPDATE outcomes SET light = ? WHERE key = ?", b'{"seed": 1}', keys[1])   # JSON, not an outcome
    result = build_site(seeds, out, config)
    assert result.recomputed == 2
    assert tree(out) == cold(seeds, tmp_path, config)


@pytest.mark.parametrize("spoil", ["garbage", "other version", "earlier cache folder"])
def test_a_store_that_cannot_be_trusted_is_started_afresh_with_a_notice(tmp_path, config, spoil):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    folder = cache_dir_for(out)
    if spoil == "garbage":
        (folder / STORE_FILE).write_bytes(b"not a database, " * 512)
    elif spoil == "other version":
        change_store(out, "UPDATE meta SET value = '2' WHERE name = 'format'")
    else:
        (folder / STORE_FILE).unlink()
        (folder / "outcomes.jsonl").write_text("{}\n", encoding="utf-8")    # what earlier versions kept
        (folder / "search").mkdir()
    (out / "index.html").write_text("edited", encoding="utf-8")            # not the site the store knew
    result = build_site(seeds, out, config)
    assert result.recomputed == result.seeds
    assert any(str(folder) in notice for notice in result.notices), result.notices
    assert sorted(p.name for p in folder.iterdir()) == [STORE_FILE]
    assert tree(out) == cold(seeds, tmp_path, config)
    assert build_site(seeds, out, config).unchanged          # and it is trusted from then on


def test_replaced_files_are_moved_aside_and_deleted_beside_the_build_leaving_nothing_behind(tmp_path, config, monkeypatch):
    """The file-by-file move into an output folder that is a mount point (render/writer.py)."""
    from wuxi_archive.render import writer as writer_module
    from wuxi_archive.render.writer import SiteWriter
    monkeypatch.setattr(writer_module, "is_mount_point", lambda folder: True)
    set_aside = []
    real_move = SiteWriter._move_aside
    monkeypatch.setattr(SiteWriter, "_move_aside", lambda self, target, folder: set_aside.append(target)
                        or real_move(self, target, folder))
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    left = out / ".wuxi-staging.done-1"          # as a build killed before its thread ended leaves it
    (left / "data").mkdir(parents=True)
    (left / "data" / "articles.json").write_text("[]", encoding="utf-8")
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    build_site(seeds, out, config)
    assert out / "data" / "articles.json" in set_aside
    writer_module.wait_for_removals()         # deleted beside the build, which does not wait
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["seeds", "site", ".site.cache", ".site.lock"])
    monkeypatch.setattr(writer_module, "is_mount_point", lambda folder: False)    # the cold build: a folder
    assert tree(out) == cold(seeds, tmp_path, config)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.wait()
    return False


def _has_children(pid: int) -> bool:
    """Whether the process has started others (its seed workers), from /proc (Linux)."""
    try:
        return bool(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return False


@pytest.mark.parametrize("moment", ["processing", "writing"])
def test_a_killed_build_leaves_the_previous_site_whole(tmp_path, config, moment):
    if moment == "processing" and not Path("/proc/self/task").is_dir():
        pytest.skip("watches the build's seed workers in /proc")
    seeds = copy_seeds(tmp_path, copies=30)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    before = tree(out)
    for path in sorted(seeds.glob("*.txt"))[::7]:
        path.write_bytes(path.read_bytes() + "\n改动之后的页面多了这一句话,供中断测试使用。\n".encode())
    staging = out.with_name(out.name + ".staging")
    proc = subprocess.Popen([sys.executable, "-m", "wuxi_archive", "build", "--no-cache", "--seeds", str(seeds),
                             "--out", str(out)], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if moment == "processing":
        # Seed workers running, nothing staged yet (without a cache the reports wait for render).
        killed = _kill_when(proc, lambda: _has_children(proc.pid) and staging.is_dir() and not any(staging.iterdir()))
    else:
        # Only new and changed files are staged: kill once the first of them is there.
        killed = _kill_when(proc, lambda: staging.is_dir() and any(staging.iterdir()))
    assert killed, "the build finished before it could be interrupted; make the corpus larger"
    assert tree(out) == before
    build_site(seeds, out, config)   # the next build recovers and completes
    # (the staging folder stays: it holds the site before, the spare the next build updates)
    assert tree(out) == cold(seeds, tmp_path, config)


def test_memo_entries_are_reused_only_while_their_templates_are_unchanged(tmp_path, config):
    from wuxi_archive.page_keys import KeyedBlobs

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "editor.html").write_text("one", encoding="utf-8")
    store = Store(tmp_path / "c")
    before = KeyedBlobs(store, config, templates)
    before.put(before.key("article"), b"<p>old</p>")
    assert KeyedBlobs(store, config, templates).get(before.key("article")) == b"<p>old</p>"
    (templates / "editor.html").write_text("two", encoding="utf-8")
    after = KeyedBlobs(store, config, templates)
    assert after.key("article") != before.key("article")
    assert after.get(after.key("article")) is None
    store.close()


def _open_and_store(folder: Path, start, name: str) -> None:
    """In a forked process: open the store the moment `start` lets every process go, store a row."""
    start.wait(60)
    store = Store(folder)
    store.put_outcomes([(name, (b"{}", b"[]", b"{}"))])
    start.wait(60)             # every process still has the store open here (a failure breaks it, not hangs)
    store.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="processes released at one instant need fork")
def test_builds_opening_a_new_store_at_once_all_keep_what_they_store(tmp_path):
    # Builds queue for the output folder only after opening the store: one that deleted and
    # remade a store the others had just made left their writes in a file no longer there.
    import multiprocessing
    context = multiprocessing.get_context("fork")
    for attempt in range(8):
        folder = tmp_path / str(attempt)
        start = context.Barrier(6)
        procs = [context.Process(target=_open_and_store, args=(folder, start, f"p{k}")) for k in range(6)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(60)
        assert [proc.exitcode for proc in procs] == [0] * 6
        store = Store(folder)
        assert store.outcome_keys() == {f"p{k}" for k in range(6)} and not store.notices, attempt
        store.close()


def test_two_builds_into_one_folder_at_once_both_finish_and_agree(tmp_path, config):
    seeds = copy_seeds(tmp_path, copies=3)
    out = tmp_path / "site"
    # With the store: both open it (a new one) before they queue for the output folder.
    command = [sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds), "--out", str(out)]
    runs = [subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for proc in runs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "warning" not in err, err
    assert tree(out) == cold(seeds, tmp_path, config)
    assert len(stored(out, "SELECT key FROM outcomes")) == len(list(seeds.glob("*.txt")))
    assert [p.name for p in cache_dir_for(out).iterdir()] == [STORE_FILE]      # closed: one file
    assert build_site(seeds, out, config).unchanged


def test_an_unchanged_build_writes_nothing_but_repairs_a_site_edited_by_hand(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    assert not build_site(seeds, out, config).unchanged
    site = tree(out)
    assert build_site(seeds, out, config).unchanged
    assert tree(out) == site
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    victim = sorted(p for p in out.rglob("*.html") if "editor" in p.parts)[0]
    victim.unlink()
    repaired = build_site(seeds, out, config)
    assert not repaired.unchanged and tree(out) == site
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    assert not build_site(seeds, out, config).unchanged
    assert tree(out) == cold(seeds, tmp_path, config)


def test_a_build_interrupted_while_moving_files_in_is_finished_by_the_next(tmp_path, config, monkeypatch):
    """Into an output folder that is a mount point, files are moved in one by one under a journal."""
    from wuxi_archive.render import writer as writer_module
    monkeypatch.setattr(writer_module, "is_mount_point", lambda folder: True)
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    moves = []
    real_replace = os.replace

    def replace_then_die(src, dst):
        # The third file moved into the site is where the process "dies".
        if str(src).startswith(str(out / ".wuxi-staging")):
            moves.append(dst)
            if len(moves) == 3:
                raise KeyboardInterrupt("killed while moving files in")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        build_site(seeds, out, config)
    monkeypatch.setattr(os, "replace", real_replace)
    journal = out.with_name(f".{out.name}.journal")
    assert journal.exists() and len(moves) == 3
    build_site(seeds, out, config)          # finishes the move, then builds
    assert not journal.exists()
    writer_module.wait_for_removals()       # what was staged inside the mount point, deleted beside
    assert tree(out) == cold(seeds, tmp_path, config)


def test_reports_are_made_again_from_stored_details_or_from_the_seed_when_those_are_lost(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    expected = tree(out)
    parts = "SELECT length(light), length(bodies), length(details) FROM outcomes"
    assert len(stored(out, parts)) == len(list(seeds.glob("*.txt")))
    assert all(min(sizes) > 2 for sizes in stored(out, parts))     # outcome, paragraphs, details
    # Without the site's reports and article pages, every one is rendered again:
    # from the stored paragraphs, raw lines, fixes and removed lines...
    shutil.rmtree(out / "editor")
    shutil.rmtree(out / "articles")
    assert build_site(seeds, out, config).recomputed == 0
    assert tree(out) == expected
    # ...and, when those are gone too, from the seeds themselves.
    for lost in ("editor", "articles"):
        shutil.rmtree(out / lost)
    change_store(out, "UPDATE outcomes SET bodies = x'', details = x''")
    build_site(seeds, out, config)
    assert tree(out) == expected
    assert all(min(sizes) > 2 for sizes in stored(out, parts))     # and the store is whole again


def test_a_rebuild_loads_the_paragraphs_of_only_the_articles_it_shows_again(tmp_path, config, monkeypatch):
    from dataclasses import replace

    import wuxi_archive.build.seeds as seeds_module
    import wuxi_archive.index.search as search
    import wuxi_archive.render.report_shards as report_shards

    # Search indexes chunks of consecutive documents and keeps their postings: with chunks
    # of 4 on average (the real ones hold 256, more than these seeds), a rebuild indexes the
    # new article's.
    monkeypatch.setattr(search, "CHUNK_DOCS", 4)
    # Reports are packed in shards of about 64 (more than these seeds): with 2, a rebuild
    # makes the new article's shard again, not every report.
    monkeypatch.setattr(report_shards, "SHARD_REPORTS", 2)

    config = replace(config, feed_entries=2)
    seeds = copy_seeds(tmp_path, copies=6)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    loaded: list[str] = []
    real_fill_bodies = seeds_module.fill_bodies

    def counting_fill_bodies(outcome, bodies):
        loaded.append(outcome.seed)
        return real_fill_bodies(outcome, bodies)

    monkeypatch.setattr(seeds_module, "fill_bodies", counting_fill_bodies)
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    build_site(seeds, out, config, jobs=1)
    # the new article's related articles, the newest in the feed, the others of its search
    # chunk and of its report shard
    assert 0 < len(set(loaded)) < len(list(seeds.glob("*.txt"))) // 3
    assert tree(out) == cold(seeds, tmp_path, config)


def test_a_stored_article_refuses_to_be_read_before_its_paragraphs_are_loaded(config):
    from wuxi_archive.build.seeds import decode_light, encode_outcome, fill_bodies, fill_details
    from wuxi_archive.build.pipeline import process_seed_file

    seed = sorted(SEEDS.glob("*.txt"))[0]
    outcome = process_seed_file(seed, config)
    light, bodies, details = encode_outcome(outcome)
    stored_outcome = decode_light(light)
    with pytest.raises(RuntimeError, match=seed.name):
        "".join(p.text for p in stored_outcome.articles[0].clean.paragraphs)
    assert fill_bodies(stored_outcome, bodies) and fill_details(stored_outcome, details)
    made = [a.clean for a in outcome.articles]
    assert [replace_record(a.clean) for a in stored_outcome.articles] == [replace_record(c) for c in made]
    assert stored_outcome.lines == outcome.lines


def replace_record(clean):
    return (clean.title, clean.paragraphs, clean.fixes, clean.removed)


def test_a_duplicate_arriving_later_changes_the_kept_article_as_a_cold_build_does(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    first = sorted(seeds.glob("*.txt"))[0]
    (seeds / "zz_copy.txt").write_bytes(first.read_bytes())   # triage adds a warning to the original
    result = build_site(seeds, out, config)
    assert result.recomputed == 1 and any("duplicate" in n for n in result.notices)
    assert tree(out) == cold(seeds, tmp_path, config)


def test_the_collector_is_off_during_a_build_and_back_on_after_one_even_a_failed_one(tmp_path, config, monkeypatch):
    import gc

    import wuxi_archive.index as index

    seen: list[bool] = []
    real_index = index.build_index

    def index_noting_the_collector(articles):
        seen.append(gc.isenabled())
        return real_index(articles)

    monkeypatch.setattr(index, "build_index", index_noting_the_collector)
    assert gc.isenabled()
    build_site(copy_seeds(tmp_path), tmp_path / "site", config)
    assert seen == [False] and gc.isenabled()

    def broken_index(articles):
        raise RuntimeError("index failed")

    monkeypatch.setattr(index, "build_index", broken_index)
    with pytest.raises(RuntimeError, match="index failed"):
        build_site(tmp_path / "seeds", tmp_path / "site2", config)
    assert gc.isenabled()


def test_articles_json_reuses_the_records_it_holds_and_is_made_whole_again_when_edited(tmp_path, config, monkeypatch):
    import wuxi_archive.render.records_file as records_file

    seeds = copy_seeds(tmp_path, copies=2)
    out = tmp_path / "site"
    build_site(seeds, out, config, jobs=1)
    made: list[str] = []
    real_record_text = records_file.record_text

    def counting_record_text(article):
        made.append(article.id)
        return real_record_text(article)

    monkeypatch.setattr(records_file, "record_text", counting_record_text)
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    build_site(seeds, out, config, jobs=1)
    assert made == []       # the new record from the seed's run, every other one from the last file
    assert tree(out) == cold(seeds, tmp_path, config)
    # A changed seed in the middle: the old file's records are copied in two runs around its new records.
    middle = sorted(seeds.glob("c001_*.txt"))[1]
    middle.write_bytes(middle.read_bytes().replace("。".encode(), "(改)。".encode(), 3))
    build_site(seeds, out, config, jobs=1)
    assert made == []
    assert tree(out) == cold(seeds, tmp_path, config)
    # Edited by hand, the file is not trusted: every record is made again (from the cache).
    data = out / "data" / "articles.json"
    data.write_bytes(data.read_bytes().replace("无锡".encode(), "无 锡".encode()))
    build_site(seeds, out, config, jobs=1)
    records = json.loads(data.read_text(encoding="utf-8"))
    assert sorted(made) == sorted(r["id"] for r in records)
    assert tree(out) == cold(seeds, tmp_path, config)


def test_seeds_are_hashed_again_only_when_their_file_changed(tmp_path, config, monkeypatch):
    import hashlib as real_hashlib

    import wuxi_archive.build.seeds as seeds_module

    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    hashed: list[int] = []

    class CountingHashlib:
        @staticmethod
        def sha256(data=b""):
            hashed.append(len(data))
            return real_hashlib.sha256(data)

    monkeypatch.setattr(seeds_module, "hashlib", CountingHashlib)
    sizes = {p.stat().st_size for p in seeds.glob("*.txt")}
    assert build_site(seeds, out, config).unchanged
    assert not sizes & set(hashed)                   # no seed's bytes hashed
    first = sorted(seeds.glob("*.txt"))[0]
    first.write_bytes(first.read_bytes().replace("。".encode(), "(改)。".encode(), 1))
    again = build_site(seeds, out, config)
    assert again.recomputed == 1 and first.stat().st_size in hashed
    assert tree(out) == cold(seeds, tmp_path, config)


def test_new_seeds_processed_in_worker_processes_are_stored_and_give_the_same_site(tmp_path, config, monkeypatch):
    import wuxi_archive.build.executor as executor

    monkeypatch.setattr(executor, "MIN_TASKS_FOR_WORKERS", 1)    # two new seeds go to the pool
    seeds = copy_seeds(tmp_path, copies=2)
    out = tmp_path / "site"
    build_site(seeds, out, config, jobs=2)
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    first = sorted(seeds.glob("*.txt"))[0]
    first.write_bytes(first.read_bytes().replace("。".encode(), "(改)。".encode(), 2))
    result = build_site(seeds, out, config, jobs=2)
    assert result.recomputed == 2
    assert tree(out) == cold(seeds, tmp_path, config)
    # What the workers handed back is in the store: nothing is computed again the next time.
    (seeds / "zz_other.txt").write_bytes(new_seed_bytes().replace("。".encode(), "(另)。".encode()))
    assert build_site(seeds, out, config, jobs=2).recomputed == 1
    assert tree(out) == cold(seeds, tmp_path, config)


def test_a_rebuild_asks_pypinyin_nothing_an_earlier_build_read(tmp_path, config, monkeypatch):
    # The pinyin memos kept in the store (readings.py): after a first build, whose
    # workers hand back what they read, a new seed with the same names and the same
    # toneless annotations is cleaned, indexed and rendered without pypinyin, which takes
    # a quarter of a second to load.
    import wuxi_archive.build.executor as executor
    import wuxi_archive.clean.pinyin as pinyin
    import wuxi_archive.readings as readings
    from wuxi_archive.build import readings_version

    def forget_all_pinyin():
        for memo in ("_READINGS", "_CHARACTER_READINGS", "_CHARACTERS_TO_HAND_BACK"):
            monkeypatch.setattr(readings, memo, {})
        pinyin._without_reading.cache_clear()
        pinyin.strip_pinyin_annotations.cache_clear()

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    traditional = sorted(SEEDS.glob("*.txt"))[1].read_text(encoding="utf-8")
    annotated = traditional.replace("的", "的(de)").replace("們", "們(men)")
    assert annotated.count("(de)") > 3
    (seeds / "a.txt").write_text(annotated, encoding="utf-8")
    (seeds / "b.txt").write_text(annotated.replace("。", "(又)。"), encoding="utf-8")
    out = tmp_path / "site"
    forget_all_pinyin()
    monkeypatch.setattr(executor, "MIN_TASKS_FOR_WORKERS", 1)      # the seeds go to worker processes
    build_site(seeds, out, config, jobs=2)
    store = Store(cache_dir_for(out))
    saved = store.load("character-readings", readings_version())
    store.close()
    assert "de" in saved["的"]

    forget_all_pinyin()
    monkeypatch.setitem(sys.modules, "pypinyin", None)        # importing it now fails
    (seeds / "c.txt").write_text(annotated.replace("。", "(新)。"), encoding="utf-8")
    again = build_site(seeds, out, config, jobs=1)
    assert again.recomputed == 1 and not again.errors
    assert len(again.articles) == 3
    pinyin._without_reading.cache_clear()
    pinyin.strip_pinyin_annotations.cache_clear()


def test_the_store_holds_data_only(tmp_path, config):
    # A store restored by CI is data: nothing in it may be code the build would load
    # (pickle, marshal'd or compiled templates). Every outcome part and memo is JSON, every
    # blob JSON or a chunk of search postings (numbers); the folder holds the database alone.
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config, jobs=1)
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    build_site(seeds, out, config, jobs=1)
    assert [p.name for p in cache_dir_for(out).iterdir()] == [STORE_FILE]
    rows = stored(out, "SELECT light, bodies, details FROM outcomes")
    memos = stored(out, "SELECT data FROM memos")
    blobs = stored(out, "SELECT data FROM blobs")
    assert len(rows) == len(list(seeds.glob("*.txt"))) and len(memos) >= 3 and len(blobs) >= 1
    for data in [part for row in rows for part in row] + [data for (data,) in memos]:
        json.loads(data)
    # The search index's memo (the files it wrote, their digests and sizes) and each chunk's
    # postings: a header line, then 32-bit numbers, compressed (render/search_files.py): each
    # kind's distinct grams, their counts and their postings.
    import zlib
    chunks = [data for (data,) in blobs if data.startswith(b"search chunk ")]
    assert chunks and len(chunks) < len(blobs)
    for data in chunks:
        head, _, body = data.partition(b"\n")
        _, _, size, pair_grams, pairs, single_grams, singles = head.decode("ascii").split(" ")
        numbers = 2 * int(pair_grams) + int(pairs) + 2 * int(single_grams) + int(singles)
        assert int(size) > 0 and len(zlib.decompress(body)) == 4 * numbers
    # the rest: the whole index's listing, and each range's (its name, shard counts, characters)
    listings = [set(json.loads(data)) for (data,) in blobs if data not in chunks]
    assert {"files", "text_bytes"} in listings
    shapes = ({"files", "text_bytes"}, {"name", "files", "b", "c", "used", "text_bytes"})
    assert all(keys in shapes for keys in listings)


def test_a_memo_holding_a_lone_surrogate_is_not_kept(tmp_path):
    store = Store(tmp_path / "c")
    store.save("m", "v1", {"甲.txt": [1, "x"]})
    assert store.load("m", "v1") == {"甲.txt": [1, "x"]} and store.load("m", "v2") == {}
    store.save("n", "v1", {"坏\udc80.txt": [1, "x"]})       # a file name no codec decodes
    assert store.load("n", "v1") == {}
    store.close()


def test_a_memo_of_rows_keeps_what_each_save_wrote_under_its_version(tmp_path):
    # The related lists are saved a row per article: a rebuild writes the rows it changed.
    store = Store(tmp_path / "c")
    store.save_rows("m", "v1", {"a": b"1", "b": b"2", "c": b"3"}, [])
    store.save_rows("m", "v1", {"b": b"22"}, ["c"])          # one row changed, one gone
    assert dict(store.iter_rows("m", "v1")) == {"a": b"1", "b": b"22"}
    assert dict(store.iter_rows("m", "v2")) == {}                   # another version's rows are not given
    store.save_rows("m", "v2", {"d": b"4"}, [])               # nor kept beside a new version's
    assert dict(store.iter_rows("m", "v2")) == {"d": b"4"} and dict(store.iter_rows("m", "v1")) == {}
    store.close()
    assert dict(Store(tmp_path / "c").iter_rows("m", "v2")) == {"d": b"4"}     # committed, not only held


def test_the_site_scan_in_a_child_finds_what_a_scan_here_finds_and_ends_unasked(tmp_path, config, monkeypatch):
    import sys

    from wuxi_archive.render.writer import SiteWriter
    out = tmp_path / "site"
    seeds = copy_seeds(tmp_path)
    build_site(seeds, out, config)
    build_site(seeds, out, config, use_cache=False)      # a spare: the site before this one
    (out / "index.html").write_text("edited by hand", encoding="utf-8")
    meanwhile = SiteWriter(out, scan_meanwhile=True)
    child = meanwhile._scan._child                  # a child interpreter, which scans
    found, spare = meanwhile.on_disk, meanwhile.spare
    assert child.returncode == 0                    # its answer, not a scan here instead
    meanwhile.abort(keep_spare=True)
    here = SiteWriter(out)
    assert found == here.on_disk and len(found) > 10 and found["index.html"][0] == len("edited by hand")
    assert spare == here.spare and len(spare) > 10
    here.abort(keep_spare=True)
    unasked = SiteWriter(out, scan_meanwhile=True)
    child = unasked._scan._child
    unasked.abort()                         # never asked for: stopped, so the staging folder can go
    assert child.returncode is not None and unasked._scan is None      # ended and reaped
    # No interpreter to start: the folders are scanned here, with the same result.
    monkeypatch.setattr(sys, "executable", "")
    alone = SiteWriter(out, scan_meanwhile=True)
    assert alone._scan._child is None and alone.on_disk == found
    alone.abort()


def test_the_pinyin_memos_are_keyed_on_the_installed_pypinyin():
    # Read from pypinyin's source, not importlib.metadata (13 ms of every rebuild's start).
    from importlib.metadata import version

    from wuxi_archive.build import readings_version
    assert readings_version().endswith(" " + version("pypinyin"))


def test_an_unchanged_archive_keeps_its_search_files_without_loading_a_body(tmp_path, config, monkeypatch):
    # The search index is built whole from every article's text when any article changed
    # (postings are numbered across the archive); with none changed its files are kept
    # from the memo's list, not one article's paragraphs loaded for it.
    from wuxi_archive.index.search import SEARCH_DIR
    from wuxi_archive import render
    from wuxi_archive.render import search_files

    seeds = copy_seeds(tmp_path, copies=4)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    build_site(seeds, out, config)              # the index rebuilt: one more article
    built: list[int] = []
    real_build = search_files.build_search_files
    monkeypatch.setattr(search_files, "build_search_files", lambda docs: built.append(1) or real_build(docs))
    (out / "index.html").unlink()               # something to do, so the build does not stop early
    asked: list[int] = []
    real_write = search_files.write_search_files

    def noting_write(writer, articles, memo=None, digest_of=None, load_bodies=None):
        asked.append(len(articles))
        # the bodies are loaded only to build the index again
        return real_write(writer, articles, memo, digest_of, lambda some: built.append(2) or load_bodies(some))

    monkeypatch.setattr(render, "write_search_files", noting_write)
    build_site(seeds, out, config, jobs=1)
    assert asked and built == []
    assert len(list((out / SEARCH_DIR).rglob("*.js"))) >= 3
    assert tree(out) == cold(seeds, tmp_path, config)
