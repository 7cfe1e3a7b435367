"""Faults of the output folder (issue 23, items 5 and 6), simulated so they run anywhere:
a full disk, a read-only file system, a build killed at the swap or while linking. Each
ends in one message naming the path and what to do, exit 1, the old site untouched and
no temporary file left; a killed build leaves the old site or the new one, whole.
(benchmarks/faults.py does the same with real tmpfs mounts and SIGKILL.)"""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from test_incremental import cold, copy_seeds, new_seed_bytes, tree
from wuxi_archive.build import build_site
from wuxi_archive.build.store import cache_dir_for
from wuxi_archive.commands.cli import main
from wuxi_archive.render import site_files
from wuxi_archive.render import writer as writer_module
from wuxi_archive.render.writer import wait_for_removals


def _built(tmp_path, config) -> tuple[Path, Path, dict[str, bytes]]:
    seeds = copy_seeds(tmp_path)
    out = tmp_path / "site"
    build_site(seeds, out, config)
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())      # the next build has something to write
    return seeds, out, tree(out)


def _leftovers(tmp_path: Path, spare: bool = False) -> list[str]:
    """What a build left beside the site; with `spare`, its staging folder is allowed (the site
    before, which a successful build keeps for the next to update)."""
    wait_for_removals()              # what a build deletes is deleted beside it, unwaited
    names = [p.name for p in sorted(tmp_path.iterdir()) if not (spare and p.name == "site.staging")]
    temporary = [p.name for p in cache_dir_for(tmp_path / "site").rglob("*") if ".tmp" in p.name]
    return [n for n in names if n not in ("seeds", "site", ".site.cache", ".site.lock", "cold")] + temporary


@pytest.mark.parametrize("code, advice", [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"),
                                         (errno.EACCES, "permission"), (errno.EIO, "input/output")])
def test_a_write_failing_in_staging_is_one_message_exit_1_old_site_whole(tmp_path, config, monkeypatch, capsys,
                                                                          code, advice):
    seeds, out, before = _built(tmp_path, config)
    real = site_files.write_staged_pieces
    calls = []

    def fail_third(staging, relpath, pieces, source=None):
        calls.append(relpath)
        if len(calls) == 3:
            raise OSError(code, os.strerror(code), str(staging / relpath))
        return real(staging, relpath, pieces, source)

    monkeypatch.setattr(site_files, "write_staged_pieces", fail_third)
    assert main(["build", "--seeds", str(seeds), "--out", str(out), "--jobs", "1"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("error: cannot write ") and advice in err, err
    assert "site.staging" in err and "was not changed" in err and "Traceback" not in err
    assert tree(out) == before and _leftovers(tmp_path) == []


def test_a_read_only_output_is_one_message_before_anything_is_written(tmp_path, config, monkeypatch, capsys):
    seeds, out, before = _built(tmp_path, config)

    def read_only(out_dir):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(out_dir.with_name(f".{out_dir.name}.lock")))

    monkeypatch.setattr(writer_module, "_lock_output", read_only)
    assert main(["build", "--seeds", str(seeds), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and ".site.lock" in err and "read-only" in err, err
    assert tree(out) == before


def test_a_store_write_failing_midway_leaves_the_store_as_its_last_commit(tmp_path):
    import sqlite3

    from wuxi_archive.build.store import Store
    store = Store(tmp_path / "cache")
    store.put_outcomes([("kept", (b"{}", b"[]", b"{}"))])
    with pytest.raises(sqlite3.Error):
        # The second row cannot be stored: the first of the batch must not be either.
        store.put_outcomes([("first", (b"{}", b"[]", b"{}")), ("second", (None, b"[]", b"{}"))])
    assert store.outcome_keys() == {"kept"}
    store.close()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["store.sqlite"]


@pytest.mark.parametrize("where", ["linking", "before the exchange", "after the exchange"])
def test_a_build_killed_at_the_swap_leaves_the_old_site_or_the_new_one_whole(tmp_path, config, monkeypatch, where):
    seeds, out, before = _built(tmp_path, config)
    new = cold(seeds, tmp_path, config)
    real_swap, real_link = writer_module.swap_folders, os.link
    links = []

    def link_then_die(src, dst, **kwargs):
        links.append(dst)
        if len(links) == 20:
            raise KeyboardInterrupt("killed while linking")
        return real_link(src, dst, **kwargs)

    def swap_then_die(new_dir, current, aside):
        if where == "after the exchange":
            real_swap(new_dir, current, aside)
        raise KeyboardInterrupt(f"killed {where}")

    if where == "linking":
        monkeypatch.setattr(os, "link", link_then_die)
    else:
        monkeypatch.setattr(writer_module, "swap_folders", swap_then_die)
    monkeypatch.setattr(writer_module.SiteWriter, "abort", lambda self: None)    # killed: no clean-up runs
    with pytest.raises(KeyboardInterrupt):
        build_site(seeds, out, config)
    assert tree(out) == (new if where == "after the exchange" else before)
    monkeypatch.undo()
    build_site(seeds, out, config)           # the next build clears what the killed one left
    assert tree(out) == new and _leftovers(tmp_path, spare=True) == []


def test_without_the_exchange_a_build_killed_between_the_renames_is_put_back(tmp_path, config, monkeypatch):
    seeds, out, before = _built(tmp_path, config)
    new = cold(seeds, tmp_path, config)
    monkeypatch.setattr(writer_module, "exchange", lambda a, b: False)
    real_rename = os.rename

    def die_after_setting_aside(src, dst):
        real_rename(src, dst)
        if str(dst).endswith("site.previous"):
            raise KeyboardInterrupt("killed between the renames")

    monkeypatch.setattr(os, "rename", die_after_setting_aside)
    with pytest.raises(KeyboardInterrupt):
        build_site(seeds, out, config)
    assert not out.exists() and tree(out.with_name("site.previous")) == before
    monkeypatch.setattr(os, "rename", real_rename)
    build_site(seeds, out, config)
    assert tree(out) == new and _leftovers(tmp_path, spare=True) == []


def test_the_fallback_swap_builds_the_same_site(tmp_path, config, monkeypatch):
    seeds, out, _ = _built(tmp_path, config)
    monkeypatch.setattr(writer_module, "exchange", lambda a, b: False)
    build_site(seeds, out, config)
    assert tree(out) == cold(seeds, tmp_path, config) and _leftovers(tmp_path, spare=True) == []


def test_kept_files_are_hard_links_not_copies(tmp_path, config):
    seeds, out, _ = _built(tmp_path, config)
    inodes = {p: p.stat().st_ino for p in out.rglob("*.html")}
    build_site(seeds, out, config)
    same = sum(1 for p, ino in inodes.items() if p.exists() and p.stat().st_ino == ino)
    assert same > len(inodes) // 2           # most pages are kept: linked, the same inode


def test_the_spare_is_updated_not_remade_and_never_shares_a_changed_file(tmp_path, config, monkeypatch):
    """The staging folder a build leaves (the site before) is the next build's spare: a rebuild
    links only what changed since, and a file written into it never changes the live site's
    copy (they may be one inode)."""
    seeds, out, _ = _built(tmp_path, config)
    build_site(seeds, out, config)                    # now there is a spare: the first site
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes().replace("新增".encode(), "再改".encode()))
    live = tree(out)
    links = []
    real_link = os.link
    monkeypatch.setattr(os, "link", lambda src, dst, **kw: links.append(dst) or real_link(src, dst, **kw))
    site_during = {}
    real_swap = writer_module.swap_folders

    def look_then_swap(new_dir, current, aside):
        site_during.update(tree(current))             # the live site, just before the swap
        real_swap(new_dir, current, aside)

    monkeypatch.setattr(writer_module, "swap_folders", look_then_swap)
    build_site(seeds, out, config)
    assert site_during == live                        # nothing written into the spare reached it
    assert tree(out) == cold(seeds, tmp_path, config)
    assert 0 < len(links) < len(live) // 2, len(links)


def test_a_seed_changed_after_its_key_was_made_is_stored_under_the_key_of_what_was_cleaned(tmp_path, config):
    """A seed edited mid-build: stored under the key made before, the other text showed in
    every later build (found by benchmarks/faults.py: reports of one version beside records
    of the other). A job's key is made from the very bytes its worker cleans."""
    from wuxi_archive.build.seeds import SeedKeys, make_job, outcome_of, process_job

    seeds = copy_seeds(tmp_path)
    seed = sorted(seeds.glob("*.txt"))[0]
    before = SeedKeys(config, None).key(seed)
    added = "编辑在构建期间又加了一句话。"
    seed.write_bytes(seed.read_bytes().replace("。".encode(), f"。{added}".encode(), 1))
    job = make_job(seed, SeedKeys(config, None), config)
    assert job.key != before and job.key == SeedKeys(config, None).key(seed)
    outcome = outcome_of(process_job(job))
    assert added in "".join(p.text for a in outcome.articles for p in a.clean.paragraphs)


def test_the_exchange_works_through_the_system_call_where_the_c_library_lacks_it(tmp_path, monkeypatch):
    """Alpine's musl (before 1.2.5) and old glibc have no renameat2(): the system call is used."""
    import ctypes
    import platform
    import sys

    if not sys.platform.startswith("linux") or platform.machine().lower() not in writer_module._SYS_RENAMEAT2:
        pytest.skip("the Linux system call numbers are known for x86_64 and aarch64")
    libc = ctypes.CDLL(None, use_errno=True)

    class WithoutRenameat2:
        def __getattr__(self, name):
            if name == "renameat2":
                raise AttributeError(name)
            return getattr(libc, name)

    monkeypatch.setattr(ctypes, "CDLL", lambda *args, **kwargs: WithoutRenameat2())
    monkeypatch.setattr(writer_module, "_RENAMEAT2", [])
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "from-a").touch()
    assert writer_module.exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"] and not any((tmp_path / "a").iterdir())
    with pytest.raises(FileNotFoundError):
        writer_module.exchange(tmp_path / "a", tmp_path / "missing")


def test_a_store_locked_by_another_build_is_one_message_and_kept(tmp_path, config, monkeypatch, capsys):
    import sqlite3

    from wuxi_archive.build import store as store_module
    seeds, out, before = _built(tmp_path, config)
    file = cache_dir_for(out) / store_module.STORE_FILE
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")          # another build, mid-transaction
    try:
        assert main(["build", "--seeds", str(seeds), "--out", str(out)]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(file) in err and "locked" in err and "Traceback" not in err, err
    assert tree(out) == before
    assert len(sqlite3.connect(file).execute("SELECT key FROM outcomes").fetchall()) == len(list(seeds.glob("*.txt"))) - 1


def test_a_store_that_cannot_grow_is_one_message_naming_it_and_the_site_is_kept(tmp_path, config, monkeypatch, capsys):
    # A real SQLITE_FULL, from a store capped at its present size (a full disk, where only the store grows).
    from wuxi_archive.build import store as store_module
    seeds, out, before = _built(tmp_path, config)
    real_connect = store_module.Store._connect

    def capped(self):
        db = real_connect(self)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(store_module.Store, "_connect", capped)
    for _ in range(3):                            # new seeds, so the store must grow
        (seeds / f"zz_more{_}.txt").write_bytes(new_seed_bytes().replace("。".encode(), f"({_})。".encode()))
    assert main(["build", "--jobs", "1", "--seeds", str(seeds), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "store.sqlite" in err and "disk is full" in err, err
    assert tree(out) == before and not _leftovers(tmp_path, spare=True)
