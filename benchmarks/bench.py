"""Benchmark the build at archive scale (the contract is in design.md).

    python benchmarks/bench.py [--articles N] [--json] [--seed S] [--workdir DIR] [--no-profile] [--no-floors] [--search]

Synthesises N articles (benchmarks/synth.py) in a work folder under /tmp,
then measures, in one run: a cold build, a rebuild with no change, with
one new seed, with one changed seed, the I/O floor (reading every seed and
writing as many files of the same sizes) and, beside it, the floor of
writing the site's files instead, the peak memory of the build's
whole process tree, the size of the site and of its search index against
the size of the article text, and a per-stage profile of a serial build.
Every build runs `python -m wuxi_archive build` in a subprocess, the way CI
runs it. With --json the last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import edit_page, synthesise, write_page  # noqa: E402

HERE = Path(__file__).resolve().parent
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> list[int]:
    """A process and all its descendants, from /proc."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return found


def _tree_rss(root: int) -> int:
    """Resident bytes summed over a process tree: an upper bound, since pages a
    forked worker shares with its parent are counted in both."""
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * _PAGE
        except (OSError, ValueError):
            continue
    return total


def _tree_pss(root: int) -> int:
    """Proportional set size summed over a process tree: each shared page counted
    once in all, split between the processes sharing it (what the build really holds)."""
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError):
            continue
    return total


@dataclass
class Run:
    seconds: float
    peak_rss: int
    output: str
    peak_pss: int = 0
    cpu_seconds: float = 0.0      # user + system of the process and every child it reaped


def adopt_orphans() -> None:
    """Become the reaper of this process's orphaned descendants (Linux, PR_SET_CHILD_SUBREAPER):
    the build's render workers are children of a forkserver that outlives the build by a
    moment, and their CPU time counts in RUSAGE_CHILDREN only once that server is reaped here."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(36, 1)
    except (OSError, AttributeError):
        pass


def direct_children() -> set[int]:
    """This process's children now (adopted orphans among them), from /proc."""
    found: set[int] = set()
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as fh:
                found.update(int(c) for c in fh.read().split())
    except (OSError, ValueError):
        pass
    return found


def reap_orphans(before: set[int]) -> None:
    """Wait for the children this process has now and had not `before` a command ran (a
    build's forkserver, adopted by adopt_orphans), leaving its own others alone (a caller's
    pool, a browser driver: waiting for those would never end)."""
    for pid in sorted(direct_children() - before):
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run a command; wall time, CPU time and the peak RSS and PSS summed over its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = direct_children()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        ticks = 0
        while not done.is_set():
            rss = _tree_rss(proc.pid)
            peak = max(peak, rss)
            # PSS walks the page tables (costly on a big heap): every 200 ms at most,
            # and only when it could beat its peak (PSS never exceeds RSS).
            if ticks % 10 == 0 and rss > peak_pss:
                peak_pss = max(peak_pss, _tree_pss(proc.pid))
            ticks += 1
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    reap_orphans(children)
    if proc.returncode not in (0, 2):   # 2: some seeds unreadable, site still built
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, peak, output, peak_pss, cpu)


def build(work: Path, seeds: Path, out: Path, env: dict[str, str]) -> Run:
    return run_measured([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds), "--out", str(out)],
                        work, env)


_IO_FLOOR = r"""
import sys
from pathlib import Path
seeds, out, listing = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
files = [line.split("\t", 1) for line in listing.read_text(encoding="utf-8").splitlines()]
for path in sorted(seeds.iterdir()):
    path.read_bytes()
made = set()
for size, relpath in files:
    target = out / relpath
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    target.write_bytes(bytes(int(size)))
"""


# On ext4 without a journal (the root file system of the machine these figures come from)
# the inode allocator skips, one by one, inodes freed in about the last half minute
# (recently_deleted() in the kernel): files created where thousands were just deleted can
# cost more than ten times the system time (2,000 files of 10 KB: 0.05-0.10 s, and
# 1.25-1.38 s when made at once where 2,000 had just been deleted). A cold build is
# measured once that has passed, not charged for the deletion of the last run's site.
RECENT_DELETION_SECONDS = 35
MANY_FILES = 1000


def remove_stale(paths: list[Path]) -> float | None:
    """Delete what an earlier run left in the work folder; when that was many files, when."""
    files = sum(len(names) for path in paths for _, _, names in os.walk(path))
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
    return time.monotonic() if files >= MANY_FILES else None


def wait_out_recent_deletion(deleted_at: float | None) -> None:
    left = RECENT_DELETION_SECONDS - (time.monotonic() - deleted_at) if deleted_at is not None else 0
    if left > 0:
        print(f"waiting {left:.0f}s before the cold build: files deleted moments ago slow the creation "
              "of new ones (RECENT_DELETION_SECONDS)", flush=True)
        time.sleep(left)


def _floor(work: Path, seeds: Path, env: dict[str, str], name: str, files: list[tuple[int, str]]) -> float:
    """Seconds a fresh process takes to read every seed and write `files` (size, relative
    path) of zeros into work/`name`."""
    target = work / name
    shutil.rmtree(target, ignore_errors=True)
    listing = work / f"{name}.txt"
    listing.write_text("".join(f"{size}\t{relpath}\n" for size, relpath in files), encoding="utf-8")
    # The files are left in the work folder, and deleted with it: on ext4 without a journal,
    # files deleted in the last minutes slow the creation of new ones (README), and the
    # next run of a series starts with a cold build.
    return run_measured([sys.executable, "-c", _IO_FLOOR, str(seeds), str(target), str(listing)], work, env).seconds


def io_floor(work: Path, seeds: Path, env: dict[str, str]) -> float:
    """Seconds to read every seed and write as many files of the same sizes (the contract's floor)."""
    return _floor(work, seeds, env, "io-floor", [(p.stat().st_size, p.name) for p in sorted(seeds.iterdir())])


def io_floor_site(work: Path, seeds: Path, site: Path, env: dict[str, str]) -> float:
    """Seconds to read every seed and write the site's files (as many, the same sizes, the
    same folders): the floor where the output, not a copy of the input, is written. Not in
    the contract; beside io_floor_s."""
    return _floor(work, seeds, env, "io-floor-site",
                  [(p.stat().st_size, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*")) if p.is_file()])


def largest_file(folder: Path) -> tuple[int, str]:
    """(bytes, site path) of the largest file the build wrote."""
    return max((p.stat().st_size, p.relative_to(folder).as_posix()) for p in folder.rglob("*") if p.is_file())


def folder_bytes(folder: Path) -> tuple[int, int, int]:
    """(all bytes, bytes of the search index: data/search-index.js and its blocks in data/search/, file count)."""
    total = search = files = 0
    for path in folder.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            files += 1
            rel = path.relative_to(folder).parts
            if rel == ("data", "search-index.js") or rel[:2] == ("data", "search"):
                search += size
    return total, search, files


def site_records(site: Path) -> list[dict]:
    """The article records of a built site (data/articles.json)."""
    return json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))


def text_bytes(records: list[dict]) -> int:
    """UTF-8 bytes of the article text (titles and paragraphs) of the records."""
    return sum(len((r.get("title") or "").encode()) + sum(len(p["text"].encode()) for p in r.get("paragraphs", []))
               for r in records)


def search_figures(work: Path, site: Path, documents: int, env: dict[str, str]) -> dict:
    """search_bench.py over the built site: bytes loaded and time to first results per query."""
    figures = work / "search.json"
    run_measured([sys.executable, str(HERE / "search_bench.py"), "--site", str(site), "--articles", str(documents),
                  "--work", str(work / "search-bench"), "--repeat", "1", "--json", str(figures)], work, env)
    return json.loads(figures.read_text(encoding="utf-8"))


def stage_profile(work: Path, seeds: Path, env: dict[str, str]) -> dict:
    out = work / "profile-site"
    run = run_measured([sys.executable, str(HERE / "stage_profile.py"), "--seeds", str(seeds), "--out", str(out),
                        "--json"], work, env)
    # Its site stays in the work folder (removed with it unless --keep): deleting
    # thousands of files slows this kind of disk's file creation for minutes after,
    # which would slow the next run of a series (see README).
    lines = [line for line in run.output.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"stage profile printed no result:\n{run.output}")
    return json.loads(lines[-1])


def snapshot_code(work: Path) -> Path:
    """Copy the package (with its templates and static files) into the work folder,
    byte-compiled.

    Other people edit the checkout while a benchmark runs; the cache keys on
    a hash of the code, so an edit mid-run would turn the no-change rebuild
    into a cold one. Every build of one run uses this frozen copy.
    """
    repo = HERE.parent
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    package = code / "wuxi_archive"
    shutil.copytree(repo / "src" / "wuxi_archive", package, ignore=shutil.ignore_patterns("__pycache__"))
    for assets in ("templates", "static"):
        if (repo / assets).is_dir() and not (package / assets).exists():
            shutil.copytree(repo / assets, package / assets)
    # Byte-compiled, as pip leaves an installed package: where PYTHONDONTWRITEBYTECODE is
    # set (this sandbox sets it), every build would otherwise compile the whole package
    # from source, 0.04 s of a no-change rebuild and more of one that processes a seed.
    compileall.compile_dir(package, quiet=1)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    adopt_orphans()
    parser.add_argument("--articles", type=int, default=2000, help="articles in the synthetic corpus (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="synthesiser seed (default 1)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the results")
    parser.add_argument("--workdir", type=Path, default=None, help="work folder (default: a new one in /tmp)")
    parser.add_argument("--no-profile", action="store_true", help="skip the per-stage profile")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-floors", action="store_true",
                        help="skip the two I/O floors (each writes as many files as the site: long at 100,000)")
    parser.add_argument("--search", action="store_true",
                        help="also run search_bench.py on the built site (Playwright, Chromium) and report its figures")
    parser.add_argument("--live-code", action="store_true",
                        help="run the checkout's code as installed, not a frozen copy of src/")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix=f"wuxi-bench-{args.articles}-"))     # in TMPDIR, else /tmp
    work.mkdir(parents=True, exist_ok=True)
    seeds, out = work / "seeds", work / "site"
    deleted_at = remove_stale([out, work / "xdg-cache", work / ".site.cache"])
    # Builds run in the work folder with their own cache home: nothing of a
    # previous run, nor the user's config, can leak into the cold build.
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "xdg-cache"), PYTHONHASHSEED="0")
    if not args.live_code:
        env["PYTHONPATH"] = str(snapshot_code(work))
    print(f"synthesising {args.articles} articles in {seeds} ...", flush=True)
    corpus, paths = synthesise(seeds, args.articles, args.seed)
    corpus_bytes = sum(p.stat().st_size for p in paths)
    print(f"  {len(paths)} seeds, {corpus_bytes / 1e6:.1f} MB", flush=True)

    results: dict[str, object] = {"articles": args.articles, "seeds": len(paths)}
    wait_out_recent_deletion(deleted_at)
    cold = build(work, seeds, out, env)
    print(f"cold      {cold.seconds:7.2f}s  {cold.cpu_seconds:7.2f} CPU-s  "
          f"{cold.output.strip().splitlines()[-1] if cold.output.strip() else ''}")
    # The rate counts the articles the build found, not the ones asked for: a
    # page the cleaner splits differently from the synthesiser changes it.
    built = len(site_records(out))
    noop = build(work, seeds, out, env)
    print(f"no-op     {noop.seconds:7.2f}s  {noop.cpu_seconds:7.2f} CPU-s")
    write_page(corpus, len(paths), seeds)
    add = build(work, seeds, out, env)
    print(f"add one   {add.seconds:7.2f}s  {add.cpu_seconds:7.2f} CPU-s")
    edit_page(paths[len(paths) // 2], args.seed)
    edit = build(work, seeds, out, env)
    print(f"edit one  {edit.seconds:7.2f}s  {edit.cpu_seconds:7.2f} CPU-s")
    if args.no_floors:
        floor = site_floor = None
    else:
        floor = io_floor(work, seeds, env)
        print(f"I/O floor {floor:7.2f}s")
        site_floor = io_floor_site(work, seeds, out, env)
        print(f"I/O floor, site files {site_floor:7.2f}s")
    site, search, files = folder_bytes(out)
    biggest, biggest_path = largest_file(out)
    text = text_bytes(site_records(out))
    peak = max(r.peak_rss for r in (cold, noop, add, edit))
    peak_pss = max(r.peak_pss for r in (cold, noop, add, edit))
    results.update(
        cold_s=round(cold.seconds, 3), noop_s=round(noop.seconds, 3), add_one_s=round(add.seconds, 3),
        edit_one_s=round(edit.seconds, 3), io_floor_s=floor and round(floor, 3), peak_rss_mb=round(peak / 2**20, 1),
        peak_pss_mb=round(peak_pss / 2**20, 1),
        site_bytes=site, search_index_bytes=search, text_bytes=text, site_files=files,
        articles_built=built, articles_per_s=round(built / cold.seconds, 1), cold_over_floor=floor and round(cold.seconds / floor, 1),
        io_floor_site_s=site_floor and round(site_floor, 3),
        cold_over_site_floor=site_floor and round(cold.seconds / site_floor, 1),
        cold_cpu_s=round(cold.cpu_seconds, 2), cold_cpu_ms_per_article=round(1000 * cold.cpu_seconds / built, 2),
        noop_cpu_s=round(noop.cpu_seconds, 2), add_one_cpu_s=round(add.cpu_seconds, 2),
        edit_one_cpu_s=round(edit.cpu_seconds, 2), add_one_share_of_cold=round(add.seconds / cold.seconds, 4),
        site_kb_per_article=round(site / 1024 / built, 1), largest_file_bytes=biggest, largest_file=biggest_path,
    )
    print(f"peak RSS {results['peak_rss_mb']} MB (PSS {results['peak_pss_mb']} MB); site {site / 1e6:.1f} MB in {files} files; "
          f"search index {search / 1e6:.1f} MB; article text {text / 1e6:.1f} MB; "
          f"{built} articles built, {results['articles_per_s']} articles/s"
          + (f"; cold = {results['cold_over_floor']}x I/O floor "
             f"({results['cold_over_site_floor']}x the floor writing the site's files)" if floor else ""))
    print(f"cold CPU {results['cold_cpu_ms_per_article']} ms/article; site {results['site_kb_per_article']} KB/article; "
          f"largest file {biggest / 1024:.0f} KB ({biggest_path}); add one = {100 * add.seconds / cold.seconds:.2f}% of cold")
    if args.search:
        results["search"] = search_figures(work, out, built, env)
        for query in results["search"].get("queries", []):
            print(f"search {query.get('query')}: {query.get('bytes', 0) / 1024:.0f} KB loaded, "
                  f"first results {query.get('page_ms')} ms (page)")
    if not args.no_profile:
        profile = stage_profile(work, seeds, env)
        total = profile["total_s"]
        print(f"stage profile (serial cold build, {total:.2f}s CPU in one process):")
        for name, seconds in sorted(profile["stages"].items(), key=lambda kv: -kv[1]):
            print(f"  {name:8s} {seconds:7.2f}s {100 * seconds / total:5.1f}%")
        results["stages_s"] = profile["stages"]
    if not args.keep and args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
