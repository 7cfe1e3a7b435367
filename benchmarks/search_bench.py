"""Search benchmark: bytes loaded and time to first results per query, in Chromium from file://.

    python benchmarks/search_bench.py --articles 2000 [--site build/] [--work /tmp/sb] [--screenshot shot.png]

Takes a built site (--site), or builds one from a synthetic corpus of up to
2,000 articles (benchmarks/synth.py, a full build). Then it builds the search
files alone (index/search.py's build_search_files, timed) for --articles
documents: the site's own records, and beyond them synthetic records made by
recombining the site's titles, sentences and entity names (a full site build
of 100,000 articles takes too long to repeat here; the search index is built
from records alone, so only its input is synthetic). They replace the site's
search files in a copy of the site.

Each query is typed into a fresh search page, opened from file:// in
headless Chromium (Playwright, /usr/bin/chromium): bytes are the sizes of
the scripts the query loaded (the shards and document blocks, not the page
and data/search-index.js, loaded before), time is from Enter to the first
results on screen, as the page measures it (performance.now) and as the
benchmark sees it.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from wuxi_archive.index.search import INDEX_PATH, SEARCH_DIR, SearchDoc, build_search_files
from wuxi_archive.render import asset_dir

HERE = Path(__file__).resolve().parent
QUERIES = ["发展", "无锡", "企业", "大会", "人才", "合作", "發展"]
CHROMIUM = "/usr/bin/chromium"


def site_docs(site: Path) -> list[SearchDoc]:
    """The site's articles as search documents (from data/articles.json)."""
    docs = []
    for r in json.loads((site / "data" / "articles.json").read_text(encoding="utf-8")):
        names = [o["name"] for o in r["organisations"]] + [a for o in r["organisations"] for a in o["aliases"]]
        names += [e["name"] for e in r["events"]]
        docs.append(SearchDoc(r["id"], r["title"], r["date"] or "", tuple(dict.fromkeys(names)),
                              "\n".join(p["text"] for p in r["paragraphs"])))
    return docs


def synthetic_docs(real: list[SearchDoc], count: int, seed: int = 1) -> list[SearchDoc]:
    """`count` documents: the real ones, then recombinations of their titles, sentences and names."""
    rng = random.Random(seed)
    sentences = [s for d in real for s in re.findall(r"[^。!?\n]+[。!?]?", d.body) if len(s) > 4]
    titles = [d.title for d in real if d.title]
    names = sorted({n for d in real for n in d.entities})
    lengths = [len(d.body) for d in real]
    docs = list(real[:count])
    for n in range(len(docs), count):
        target = rng.choice(lengths)
        body, size = [], 0
        while size < target:
            sentence = rng.choice(sentences)
            body.append(sentence)
            size += len(sentence)
        date = "" if rng.random() < 0.05 else f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        entities = tuple(rng.sample(names, min(len(names), rng.randint(0, 4))))
        docs.append(SearchDoc(f"synthetic-{n:06d}", rng.choice(titles), date, entities, "".join(body)))
    return docs


def base_site(args: argparse.Namespace) -> Path:
    if args.site:
        return args.site
    corpus, site = args.work / "corpus", args.work / "site"
    if not (site / "data" / "articles.json").exists():
        subprocess.run([sys.executable, str(HERE / "synth.py"), "--articles", str(min(args.articles, 2000)),
                        "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(Path(sys.executable).with_name("wuxi-archive")), "build", "--seeds", str(corpus),
                        "--out", str(site)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return site


def write_search(site: Path, out: Path, docs: list[SearchDoc]) -> tuple[float, float, dict[str, bytes]]:
    """A copy of `site` with the search files of `docs`; (CPU s, wall s, the files) of the index build."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(site, out, ignore=shutil.ignore_patterns("search", "search-index.js"), copy_function=shutil.copy)
    shutil.copytree(asset_dir("static"), out / "static", dirs_exist_ok=True)     # this checkout's search.js
    cpu, wall = time.process_time(), time.perf_counter()
    files = build_search_files(docs)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    for path, data in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return cpu, wall, files


def added_one(docs: list[SearchDoc], files: dict[str, bytes]) -> list[dict]:
    """What adding one document changes in the search files: a newest dated one, one dated in the
    middle of the archive, an undated one (its text a copy of the first document's)."""
    rows = []
    dates = sorted(d.date for d in docs if d.date)
    for label, date in (("newest", "2099-12-31"), ("mid-archive", dates[len(dates) // 2] if dates else ""),
                        ("undated", "")):
        first = docs[0]
        again = build_search_files(docs + [SearchDoc(f"added-{label}", first.title, date, first.entities, first.body)])
        changed = [p for p, data in again.items() if files.get(p) != data]
        rows.append({"added": label, "files_written": len(changed), "bytes_written": sum(len(again[p]) for p in changed),
                     "files_gone": len(set(files) - set(again))})
        del again
    return rows


def measure(site: Path, queries: list[str], screenshot: Path | None, repeat: int = 1) -> list[dict]:
    """Each query `repeat` times, each in a fresh page; the median run of each (by the page's time)."""
    runs = [measure_once(site, queries, screenshot if n == 0 else None) for n in range(repeat)]
    return [sorted(tries, key=lambda r: r["page_ms"])[len(tries) // 2] for tries in zip(*runs)]


def measure_once(site: Path, queries: list[str], screenshot: Path | None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        loaded: list[str] = []
        page.on("request", lambda request: loaded.append(request.url))
        for query in queries:
            page.goto((site / "search.html").resolve().as_uri())
            page.wait_for_load_state("load")
            loaded.clear()
            page.fill("#q", query)
            started = time.perf_counter()
            page.press("#q", "Enter")
            page.wait_for_function("q => window.WUXI_SEARCH_DONE && window.WUXI_SEARCH_DONE.query === q",
                                   arg=query, polling=5)
            wall_ms = (time.perf_counter() - started) * 1000
            done = page.evaluate("window.WUXI_SEARCH_DONE")
            paths = [Path(unquote(urlparse(u).path)) for u in loaded if u.startswith("file:")]
            scripts = [p for p in paths if p.suffix == ".js"]
            rows.append({"query": query, "status": page.inner_text("#search-status"),
                         "shown": page.locator("#search-results li").count(), "scripts": len(scripts),
                         "bytes": sum(p.stat().st_size for p in scripts), "page_ms": round(done["ms"], 1),
                         "ranked_ms": round(done["ranked_ms"], 1),
                         "wall_ms": round(wall_ms, 1)})
            if screenshot and query == queries[0]:
                page.screenshot(path=str(screenshot), full_page=False)
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--site", type=Path, help="a built site to take (else one is built from synth.py)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--screenshot", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query; the median is shown")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--added", action="store_true",
                        help="also build the index again with one document more (newest, mid-archive, undated) "
                             "and report the files that changed: what a one-seed rebuild rewrites")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    site = base_site(args)
    docs = synthetic_docs(site_docs(site), args.articles)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = args.work / f"bench-{args.articles}"
    cpu, wall, files = write_search(site, out, docs)
    size, count = sum(map(len, files.values())), len(files)
    up_front = sum((out / p).stat().st_size for p in (INDEX_PATH, "static/search.js"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(docs)} documents: index built in {cpu:.2f} CPU s ({wall:.2f} s wall), "
          f"peak RSS {peak:.0f} MB ({before:.0f} MB before the build, the documents in memory); "
          f"{count} files, {size / 2**20:.1f} MB; up front {up_front / 1024:.1f} KB "
          f"(search-index.js {(out / INDEX_PATH).stat().st_size / 1024:.1f} KB)")
    largest = max((p.stat().st_size for p in (out / SEARCH_DIR).rglob("*.js")), default=0)
    index = json.loads((out / INDEX_PATH).read_text(encoding="utf-8").split("=", 1)[1].rstrip(";\n"))
    ranges = len(index.get("ranges", ()))
    print(f"largest shard {largest / 1024:.0f} KB; {ranges} ranges (a query loads one shard of each a gram)")
    added = added_one(docs, files) if args.added else []
    del files
    for row in added:
        print(f"one {row['added']} document added: {row['files_written']} files written "
              f"({row['bytes_written'] / 2**20:.1f} MB), {row['files_gone']} gone")
    rows = measure(out, QUERIES, args.screenshot, args.repeat)
    print("| query | hits | scripts loaded | KB loaded | ranked, ms | first results, ms (page) | ms (Enter to screen) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        hits = re.search(r"找到 (\d+)", r["status"])
        print(f"| {r['query']} | {hits.group(1) if hits else 0} | {r['scripts']} | {r['bytes'] / 1024:.0f} | "
              f"{r['ranked_ms']:.0f} | {r['page_ms']:.0f} | {r['wall_ms']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps({"documents": len(docs), "index_cpu_s": round(cpu, 2), "index_wall_s": round(wall, 2),
                                         "peak_rss_mb": round(peak), "rss_before_mb": round(before), "files": count, "bytes": size,
                                         "up_front": up_front, "largest_shard": largest, "ranges": ranges,
                                         "added": added, "queries": rows},
                                        ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
