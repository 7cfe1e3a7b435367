"""The fault suite of issue 23: hostile input, kills, full and read-only disks, odd file systems,
a hostile web page at the preview server. Prints one table row per fault with counts.

    .venv/bin/python benchmarks/faults.py [--kills 50] [--articles 300] [--only ROW] [--src DIR]

Every build runs `python -m wuxi_archive` of this checkout in a subprocess, in a
work folder under TMPDIR (else /tmp). The rows that need a mount (a small tmpfs
for a full disk, one remounted read-only, one mounted on the output folder
itself) run as root only and say "skipped" otherwise; tests/test_output_faults.py
simulates the same faults anywhere. Exit 1 when any row misses its target.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"), CI="true")
PY = sys.executable
ROWS: list[tuple[str, str, str, bool]] = []          # fault, result, target, met


def row(fault: str, result: str, target: str, met: bool) -> None:
    ROWS.append((fault, result, target, met))
    print(f"{'ok ' if met else 'MISS'} {fault}: {result}", flush=True)


def cli(*args: str, cwd: Path | None = None, timeout: float = 600) -> tuple[int, str, str, float, float]:
    """Run the command; (exit code, stdout, stderr, seconds, peak RSS MB of the process)."""
    started = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "wuxi_archive", *args], cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return -9, out, err + "\n(timed out)", time.perf_counter() - started, 0.0
    return proc.returncode, out, err, time.perf_counter() - started, 0.0


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=12).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def synth(articles: int, out: Path) -> Path:
    subprocess.run([PY, str(ROOT / "benchmarks" / "synth.py"), "--articles", str(articles), "--out", str(out)],
                   env=ENV, check=True, stdout=subprocess.DEVNULL)
    return out


def toggle(seeds: Path, on: bool, every: int = 9) -> None:
    """Version B of the corpus: a sentence appended to every ninth seed (A without it)."""
    mark = "\n改动之后的页面多了这一句话，供中断测试使用。\n".encode()
    for path in sorted(seeds.glob("*.txt"))[::every]:
        data = path.read_bytes()
        has = data.endswith(mark)
        if on and not has:
            path.write_bytes(data + mark)
        elif not on and has:
            path.write_bytes(data[: -len(mark)])


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


def mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True).returncode == 0


def umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def settled(folder: Path, seconds: float = 30) -> None:
    """Wait until the deletions a build left running beside it (`*.done-*` folders) are done."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(".done-" in p.name for p in folder.rglob("*.done-*")):
        time.sleep(0.1)


def one_line_no_traceback(err: str) -> bool:
    lines = [line for line in err.strip().splitlines() if line.startswith("error:")]
    return "Traceback" not in err and len(lines) >= 1


# --- rows -------------------------------------------------------------------------------------

def hostile_notes(work: Path) -> None:
    """Sidecar notes with every javascript: spelling, built and opened in Chromium; every link clicked."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_note_links import BYPASSES           # the spellings the issue lists, and more
    seeds = work / "notes" / "seeds"
    seeds.mkdir(parents=True)
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], seeds / "a.txt")
    import yaml
    note = " ".join(f"[l{i}]({t}) ![i{i}]({t})" for i, t in enumerate(BYPASSES))
    note += " [safe](https://example.org/) [relative](../index.html)"      # these two must stay
    (seeds / "a.yaml").write_text(yaml.safe_dump({"note": note}, allow_unicode=True), encoding="utf-8")
    code, _, err, _, _ = cli("build", "--seeds", str(seeds), "--out", str(work / "notes" / "site"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return row("hostile notes in Chromium", "skipped (no playwright)", "0 live script", True)
    live = fired = links = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in sorted((work / "notes" / "site" / "articles").glob("*.html")):
            page.goto(path.as_uri())
            # Chromium's own URL parser judges each link of the note; then every one is clicked.
            protocols = page.evaluate("[...document.querySelectorAll('aside.note [href], aside.note [src]')]"
                                      ".map(e => new URL(e.getAttribute('href') ?? e.getAttribute('src'), "
                                      "document.baseURI).protocol)")
            links += len(protocols)
            live += sum(p not in ("http:", "https:", "mailto:", "file:") for p in protocols)
            page.evaluate("for (const a of document.querySelectorAll('aside.note a')) a.click()")
            page.wait_for_timeout(100)
        fired = len(dialogs)
        browser.close()
    row("hostile notes in Chromium", f"{live} live script links of {links} left (the 2 safe ones), {fired} alerts "
        f"on clicking ({len(BYPASSES)} spellings; build exit {code})", "0 live script",
        live == 0 and fired == 0 and code == 0 and links == 2)


def lost_articles(work: Path) -> None:
    names = ["a.txt", "a.htm", "Case.txt", "case.txt", "index.txt", "search.txt", "404.txt", "news.txt",
             "news-2.txt", "x" * 251 + ".txt", "b.txt"]
    seeds = work / "ids" / "seeds"
    seeds.mkdir(parents=True)
    for n, name in enumerate(names):
        body = (f"无锡举办科技大会第{n}次会议\n2024-05-30 来源：新华社\n"
                f"无锡市今天举办了一场科技大会，来自全国的专家参加了会议，会上发布了第{n}项新的产业政策。\n")
        (seeds / name).write_text(body, encoding="utf-8")
    from wuxi_archive.seed_ids import seed_id     # noqa: E402 - this checkout's, for the forged name
    forged = seed_id("a.htm") + ".txt"
    (seeds / forged).write_text("无锡举办科技大会第99次会议\n2024-05-30\n无锡市今天举办了一场科技大会，专家参加了会议。\n",
                                encoding="utf-8")
    names.append(forged)
    site = work / "ids" / "site"
    code, _, err, _, _ = cli("build", "--seeds", str(seeds), "--out", str(site))
    ccode, _, cerr, _, _ = cli("check", "--seeds", str(seeds), "--out", str(site))
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    built = {r["seed"] for r in records}
    silent = [n for n in names if n not in built and n[:40] not in err]
    files = [p.relative_to(site).as_posix().casefold() for p in site.rglob("*") if p.is_file()]
    clash = len(files) - len(set(files))
    row("articles lost (a.txt+a.htm, case, index, forged id, 255-byte name)",
        f"{len(silent)} lost silently, {clash} case clashes; {len(built)} of {len(names)} built, "
        f"build exit {code}, check exit {ccode}", "0 lost without an error naming both", not silent and not clash)


def hostile_yaml(work: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_hostile_yaml import HOSTILE
    texts = dict(HOSTILE)
    texts["empty alias in config"] = 'aliases: {"": 无锡}\n'
    worst_s = worst_mb = 0.0
    tracebacks = answered = 0
    for name, text in texts.items():
        for as_config in (False, True):
            folder = work / "yaml" / f"{abs(hash(name))}{as_config}"
            seeds = folder / "seeds"
            seeds.mkdir(parents=True)
            shutil.copy(sorted(SEEDS.glob("*.txt"))[0], seeds / "a.txt")
            args = ["check", "--seeds", str(seeds)]
            if as_config:
                (folder / "c.yaml").write_text(text.replace("organisations:", "protected_terms:")
                                               .replace("keep_lines:", "feed_entries:").replace("title:", "chrome:"),
                                               encoding="utf-8")
                args = ["--config", str(folder / "c.yaml"), *args]
            else:
                (seeds / "a.yaml").write_text(text, encoding="utf-8")
            started = time.perf_counter()
            proc = subprocess.Popen([PY, "-c", MEASURED, *args], env=ENV, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            try:
                out, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
            seconds = time.perf_counter() - started
            peak = float(err.rsplit("MAXRSS_KB ", 1)[1]) / 1024 if "MAXRSS_KB " in err else 1e9
            worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, peak)
            tracebacks += "Traceback" in err
            answered += proc.returncode == 1 and ("error" in err or "error" in out)
    total = 2 * len(texts)
    row("hostile YAML (alias bomb, nesting, long int, self-alias, 1 MB, empty alias) as sidecar and config",
        f"{answered} of {total} answered with an error, {tracebacks} tracebacks, worst {worst_s:.2f} s "
        f"and {worst_mb:.0f} MB peak RSS for the whole `check` process (about 1 s and 70 MB of it start-up "
        f"and the seed)", "each answered, no traceback, < 100 MB over a plain check",
        answered == total and not tracebacks and worst_mb < 250)


# The command in a process that reports its own peak RSS at the end (ru_maxrss, KB on Linux).
MEASURED = ("import resource, sys\nfrom wuxi_archive.commands.cli import main\ncode = main(sys.argv[1:])\n"
            "sys.stderr.write(f'\\nMAXRSS_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n')\nsys.exit(code)")


def no_cache_rebuild(work: Path, corpus: Path) -> None:
    site = work / "nocache" / "site"
    codes = []
    for _ in range(3):
        code, _, err, _, _ = cli("build", "--no-cache", "--jobs", "2", "--seeds", str(corpus), "--out", str(site))
        codes.append(code)
    ok = all(c == 0 for c in codes)
    row("build --no-cache over an existing site, 2 jobs", f"exit codes {codes}", "all 0", ok)


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def kills(work: Path, corpus: Path, count: int, aimed: bool) -> None:
    """`count` builds killed (SIGKILL) at random moments, or aimed at the swap; after each, the
    site must be version A or version B whole, and the next build must finish it."""
    seeds = work / ("aimed" if aimed else "random") / "seeds"
    shutil.copytree(corpus, seeds)
    site = seeds.parent / "site"
    toggle(seeds, False)
    cli("build", "--seeds", str(seeds), "--out", str(site))
    tree_a = tree(site)
    toggle(seeds, True)
    started = time.perf_counter()
    cli("build", "--seeds", str(seeds), "--out", str(site))
    duration = time.perf_counter() - started
    tree_b = tree(site)
    staging = site.with_name(site.name + ".staging")
    rng = random.Random(23)
    outcomes = {"old": 0, "new": 0, "mixed": 0, "finished": 0}
    version = True
    killed = 0
    for _ in range(count * 6):
        if killed == count:
            break
        version = not version
        toggle(seeds, version)
        records = staging / "data" / "articles.json"
        before = _inode(records)
        proc = subprocess.Popen([PY, "-m", "wuxi_archive", "build", "--seeds", str(seeds), "--out", str(site)],
                                env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if aimed:
            # The swap comes soon after data/articles.json is written anew into staging (a new
            # file: the staging folder is the spare of the build before); then a random few
            # milliseconds on, before, during or after the linking and the exchange.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None and _inode(records) in (None, before):
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.015))
        else:
            time.sleep(rng.uniform(0, duration * 0.8))   # start-up included: most kills land mid-build
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        else:
            outcomes["finished"] += 1       # not a kill: another try follows
        proc.wait()
        now = tree(site)
        expected_new, expected_old = (tree_b, tree_a) if version else (tree_a, tree_b)
        outcomes["new" if now == expected_new else "old" if now == expected_old else "mixed"] += 1
        if now not in (tree_a, tree_b):
            odd = sorted(k for k, v in now.items() if v not in (tree_a.get(k), tree_b.get(k)))
            missing = sorted(set(expected_old) - set(now))
            print(f"  mixed site after a {'finished build' if proc.returncode == 0 else 'kill'}: {len(odd)} files "
                  f"of neither version {odd[:4]}, {len(missing)} missing", flush=True)
    code, _, err, _, _ = cli("build", "--seeds", str(seeds), "--out", str(site))
    final = tree(site)
    expected = tree_b if version else tree_a
    whole_after = final == expected and code == 0
    if not whole_after:
        differ = sorted(k for k in set(final) | set(expected) if final.get(k) != expected.get(k))
        print(f"  after the last build: exit {code}, {len(differ)} files differ: {differ[:5]} {err[-300:]}", flush=True)
    settled(site.parent)
    # site.staging stays: the site before, which the next build updates (render/writer.py)
    leftovers = [p.name for p in site.parent.iterdir()
                 if p.name not in ("seeds", "site", ".site.cache", ".site.lock", "site.staging")]
    what = "aimed at the swap" if aimed else "at random moments"
    row(f"{killed} builds killed {what}",
        f"{outcomes['mixed']} mixed sites (old {outcomes['old']}, new {outcomes['new']}; "
        f"{outcomes['finished']} more finished before their kill); next build whole: {whole_after}; "
        f"leftovers {leftovers}", "0 mixed", outcomes["mixed"] == 0 and whole_after and not leftovers and killed == count)


def readers_during_swaps(work: Path, corpus: Path, builds: int = 6) -> None:
    """A reader opening build/index.html and the pages it links while builds swap sites:
    every link of a home page it read must open (no page of one site pointing into the other's gap)."""
    seeds = work / "readers" / "seeds"
    shutil.copytree(corpus, seeds)
    site = seeds.parent / "site"
    cli("build", "--seeds", str(seeds), "--out", str(site))
    stop = threading.Event()
    misses = reads = 0

    def read() -> None:
        nonlocal misses, reads
        import re
        while not stop.is_set():
            try:
                home = (site / "index.html").read_text(encoding="utf-8")
            except OSError:
                misses += 1
                continue
            for link in re.findall(r'href="(articles/[^"]+\.html)"', home)[:5]:
                reads += 1
                if not (site / link).is_file():
                    misses += 1
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for k in range(builds):
        # a new seed each time: the home page's newest list changes, so its links do
        shutil.copy(sorted(corpus.glob("*.txt"))[k], seeds / f"zz_reader_{k}.txt")
        cli("build", "--seeds", str(seeds), "--out", str(site))
    stop.set()
    reader.join()
    row(f"a reader following home-page links during {builds} builds", f"{misses} missing of {reads} opened",
        "0 missing", misses == 0)


def two_builds(work: Path, corpus: Path, rounds: int = 3) -> None:
    seeds = work / "two" / "seeds"
    shutil.copytree(corpus, seeds)
    site = seeds.parent / "site"
    cli("build", "--seeds", str(seeds), "--out", str(site))
    expected = None
    bad = 0
    for k in range(rounds):
        toggle(seeds, k % 2 == 0)
        procs = [subprocess.Popen([PY, "-m", "wuxi_archive", "build", "--seeds", str(seeds), "--out", str(site)],
                                  env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        codes = [p.wait(timeout=600) for p in procs]
        bad += sum(c != 0 for c in codes)
        cold = seeds.parent / f"cold{k}"
        cli("build", "--no-cache", "--seeds", str(seeds), "--out", str(cold))
        expected = tree(cold)
        bad += tree(site) != expected
    row(f"two builds of one folder at once, {rounds} times", f"{bad} failures or differences from a cold build",
        "0", bad == 0)


def disk_faults(work: Path) -> None:
    """Full disk, read-only file system, output folder a mount point: real tmpfs mounts."""
    if not can_mount():
        for fault in ("full disk (ENOSPC)", "read-only output (EROFS)", "output folder a mount point (EXDEV)"):
            row(fault, "skipped (needs root to mount a tmpfs; tests/test_output_faults.py simulates it)", "-", True)
        return
    seeds = work / "disk" / "seeds"
    shutil.copytree(SEEDS, seeds)
    # Full disk: the site fits, then the disk is filled but for a little, and a seed is added.
    mnt = work / "disk" / "full"
    if mount_tmpfs(mnt, "64m"):
        try:
            site = mnt / "site"
            cli("build", "--seeds", str(seeds), "--out", str(site))
            before = tree(site)
            free = shutil.disk_usage(mnt).free
            with open(mnt / "filler", "wb") as filler:
                filler.truncate(0)
                filler.write(b"\0" * max(0, free - 96 * 1024))
            shutil.copy(sorted(SEEDS.glob("*.txt"))[1], seeds / "zz_more.txt")
            for path in sorted(seeds.glob("0*.txt")):
                path.write_bytes(path.read_bytes() + "\n新增的一句话让每一页都要重写。\n".encode())
            code, _, err, _, _ = cli("build", "--seeds", str(seeds), "--out", str(site))
            settled(mnt)
            temporary = [p.name for p in mnt.rglob("*") if ".tmp" in p.name or p.name.startswith("site.staging")]
            ok = code == 1 and one_line_no_traceback(err) and tree(site) == before and not temporary
            row("full disk (ENOSPC, 64 MB tmpfs filled)", f"exit {code}; old site whole: {tree(site) == before}; "
                f"temporary files left: {len(temporary)}; message: {err.strip().splitlines()[-1][:110]!r}",
                "exit 1, one line, old site whole, no temp files", ok)
        finally:
            umount(mnt)
            (seeds / "zz_more.txt").unlink(missing_ok=True)
    # Read-only: built, then remounted read-only, then a rebuild with a change.
    mnt = work / "disk" / "ro"
    if mount_tmpfs(mnt, "64m"):
        try:
            site = mnt / "site"
            cli("build", "--seeds", str(seeds), "--out", str(site))
            before = tree(site)
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
            shutil.copy(sorted(SEEDS.glob("*.txt"))[2], seeds / "zz_ro.txt")
            code, _, err, _, _ = cli("build", "--seeds", str(seeds), "--out", str(site))
            ok = code == 1 and one_line_no_traceback(err) and tree(site) == before
            row("read-only output (EROFS)", f"exit {code}; old site whole: {tree(site) == before}; "
                f"message: {err.strip().splitlines()[-1][:110]!r}", "exit 1, one line, old site whole", ok)
        finally:
            umount(mnt)
            (seeds / "zz_ro.txt").unlink(missing_ok=True)
    # The output folder is a mount point (a Docker volume): builds work, and say the swap is per file.
    site = work / "disk" / "mounted" / "site"
    if mount_tmpfs(site, "64m"):
        try:
            codes = [cli("build", "--seeds", str(seeds), "--out", str(site))[0]]
            shutil.copy(sorted(SEEDS.glob("*.txt"))[3], seeds / "zz_mnt.txt")
            code, _, err, _, _ = cli("build", "--seeds", str(seeds), "--out", str(site))
            codes.append(code)
            cold = work / "disk" / "cold"
            cli("build", "--no-cache", "--seeds", str(seeds), "--out", str(cold))
            same = tree(site) == tree(cold)
            row("output folder a mount point (EXDEV before)", f"exit codes {codes}; same as a cold build: {same}; "
                f"notice given: {'mount point' in err}", "exit 0, same site", codes == [0, 0] and same)
        finally:
            umount(site)
            (seeds / "zz_mnt.txt").unlink(missing_ok=True)


def long_names(work: Path) -> None:
    seeds = work / "long" / "seeds"
    seeds.mkdir(parents=True)
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], seeds / ("长" * 83 + "xx.txt"))     # 255 bytes
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], seeds / "b.txt")
    results = [cli("build", "--seeds", str(seeds), "--out", str(work / "long" / "site")),
               cli("check", "--seeds", str(seeds), "--out", str(work / "long" / "site"))]
    clean = cli("clean", str(seeds / "b.txt"))
    built = json.loads((work / "long" / "site" / "data" / "articles.json").read_text(encoding="utf-8"))
    tracebacks = sum("Traceback" in r[2] for r in [*results, clean])
    ok = results[0][0] == 2 and len(built) >= 1 and not tracebacks and clean[0] == 0
    row("255-byte seed name (ENAMETOOLONG before)", f"build exit {results[0][0]} ({len(built)} articles from the "
        f"rest), check exit {results[1][0]}, clean of another seed exit {clean[0]}, {tracebacks} tracebacks",
        "named, the rest built, no traceback", ok)


def server(work: Path) -> None:
    seeds = work / "serve" / "seeds"
    shutil.copytree(SEEDS, seeds)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([PY, "-m", "wuxi_archive", "serve", "--port", str(port), "--seeds", str(seeds),
                             "--out", str(work / "serve" / "site")], env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)

    def get(path: str = "/index.html", host: str | None = None) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            if host is None:
                conn.request("GET", path)
            else:
                conn.putrequest("GET", path, skip_host=True)
                conn.putheader("Host", host)
                conn.endheaders()
            response = conn.getresponse()
            response.read()
            return response.status
        except OSError:
            return 0
        finally:
            conn.close()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and get() != 200:
            time.sleep(0.2)
        foreign = get(host="evil.attacker.example")
        with ThreadPoolExecutor(max_workers=200) as pool:
            statuses = list(pool.map(lambda _: get(), range(200)))
        failed = sum(s != 200 for s in statuses)
        row("preview: foreign Host; 200 concurrent GETs", f"foreign Host answered {foreign}; {failed} of 200 GETs failed",
            "refused; 0 failed", foreign == 421 and failed == 0)
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
        threads = len(os.listdir(f"/proc/{proc.pid}/task")) if Path(f"/proc/{proc.pid}/task").is_dir() else -1
        served = get()
        for sock in idle:
            sock.close()
        with ThreadPoolExecutor(max_workers=100) as pool:
            polls = list(pool.map(lambda _: [get("/__livereload/stamp") for _ in range(20)], range(100)))
        poll_failed = sum(s != 200 for client in polls for s in client)
        row("preview: 200 half-open connections; 100 clients polling live reload",
            f"{threads} threads with 200 idle connections, a page still served: {served == 200}; "
            f"{poll_failed} of 2,000 polls failed", "threads bounded; 0 failed",
            0 < threads < 40 and served == 200 and poll_failed == 0)
        busy = subprocess.run([PY, "-m", "wuxi_archive", "serve", "--port", str(port), "--seeds", str(seeds),
                               "--out", str(work / "serve" / "other")], env=ENV, capture_output=True, text=True,
                              timeout=60)
        row("preview: port already in use", f"exit {busy.returncode}: {busy.stderr.strip()[:100]!r}",
            "one line, exit 1", busy.returncode == 1 and busy.stderr.strip().count("\n") == 0)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def spoofing(work: Path) -> None:
    seeds = work / "spoof" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "s.txt").write_text("无锡\u202e会大技科\u200b举办\n2024-05-30 来源：新\u200d华社 记者 张\u2066三\u2069\n"
                                 "无锡市今天举办了一场科技大会，来自全国的专家参加了会议，会上发布了新的产业政策。\n",
                                 encoding="utf-8")
    cli("build", "--seeds", str(seeds), "--out", str(work / "spoof" / "site"))
    records = json.loads((work / "spoof" / "site" / "data" / "articles.json").read_text(encoding="utf-8"))
    from wuxi_archive.invisible import CONTROLS
    fields = [str(r.get(k)) for r in records for k in ("title", "source", "authors", "organisations", "people")]
    left = sum(c in f for f in fields for c in CONTROLS)
    warned = sum(any("U+202E" in w for w in r["warnings"]) for r in records)
    row("bidi and zero-width controls in titles and names", f"{left} left; warned in {warned} of {len(records)}",
        "0 left, warned", left == 0 and warned == len(records))


def long_report(work: Path) -> None:
    seeds = work / "report" / "seeds"
    seeds.mkdir(parents=True)
    lines = ["无锡举办科技大会", "2024-05-30 来源：新华社"]
    lines += [f"首页 | 新闻 | 第{i}条导航" if i % 2 else f"无锡市第{i}次举办了科技大会，来自全国的专家参加了会议并发布了政策。"
              for i in range(20_000)]
    (seeds / "long.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli("build", "--seeds", str(seeds), "--out", str(work / "report" / "site"), timeout=1200)
    page_file = work / "report" / "site" / "editor" / "report.html"
    records = json.loads((work / "report" / "site" / "data" / "articles.json").read_text(encoding="utf-8"))
    ids = sorted(r["id"] for r in records if r["seed"] == "long.txt")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return row("cleaning report of 20,000 lines", "skipped (no playwright)", "-", True)
    worst = 0.0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        for article_id in ids:       # report.js builds each report from its shard in editor/data/
            started = time.perf_counter()
            page.goto(page_file.as_uri() + f"?id={article_id}", timeout=600_000)
            page.wait_for_selector("#report .editor-columns", timeout=600_000)
            page.evaluate("document.body.offsetHeight")
            worst = max(worst, time.perf_counter() - started)
        browser.close()
    row("cleaning report of a 20,000-line seed in Chromium", f"{worst:.1f} s to open ({len(ids)} reports)",
        "< 5 s", 0 < worst < 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50, help="builds killed at random moments, and as many at the swap")
    parser.add_argument("--articles", type=int, default=300, help="corpus size for the kills and --no-cache rows")
    parser.add_argument("--only", default="", help="run only the rows whose function name contains this")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the code to run (default: this checkout's src/; another to measure 'before')")
    args = parser.parse_args()
    ENV["PYTHONPATH"] = str(args.src.resolve())
    sys.path.insert(0, str(args.src.resolve()))
    work = Path(tempfile.mkdtemp(prefix="wuxi-faults-"))
    try:
        corpus = None

        def corpus_of() -> Path:
            nonlocal corpus
            corpus = corpus or synth(args.articles, work / "corpus")
            return corpus
        steps = {
            "hostile_notes": lambda: hostile_notes(work),
            "lost_articles": lambda: lost_articles(work),
            "hostile_yaml": lambda: hostile_yaml(work),
            "no_cache_rebuild": lambda: no_cache_rebuild(work, corpus_of()),
            "disk_faults": lambda: disk_faults(work),
            "long_names": lambda: long_names(work),
            "kills_random": lambda: kills(work, corpus_of(), args.kills, aimed=False),
            "kills_aimed": lambda: kills(work, corpus_of(), args.kills, aimed=True),
            "readers_during_swaps": lambda: readers_during_swaps(work, corpus_of()),
            "two_builds": lambda: two_builds(work, corpus_of()),
            "server": lambda: server(work),
            "spoofing": lambda: spoofing(work),
            "long_report": lambda: long_report(work),
        }
        for name, step in steps.items():
            if args.only and args.only not in name:
                continue
            try:
                step()
            except Exception as exc:      # noqa: BLE001 - a row that cannot run is a miss, the rest go on
                row(name, f"could not run: {type(exc).__name__}: {exc}"[:200], "-", False)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print("| fault | result | target | met |")
    print("|---|---|---|---|")
    for fault, result, target, met in ROWS:
        print(f"| {fault} | {result} | {target} | {'yes' if met else 'NO'} |")
    return 0 if all(met for *_, met in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
