"""What the built site weighs per article, by kind of file, against a budget.

    .venv/bin/python benchmarks/site_budget.py --site /tmp/site            # a site already built
    .venv/bin/python benchmarks/site_budget.py --articles 2000             # synth + cold build first

Prints one Markdown table (KB per article and files, per kind) and exits 1
when the whole site is over `--budget-kb` per article (issue 21: 30 KB).
Bytes are the files' sizes (what a CI artefact or a web host stores), not
blocks on disk; an article is a line of data/articles.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# First match wins: (kind, test on the site path).
KINDS: list[tuple[str, object]] = [
    ("editor/ reports (data)", lambda p: p.startswith("editor/data/")),
    ("editor/ pages", lambda p: p.startswith("editor/")),
    ("article pages", lambda p: p.startswith("articles/")),
    ("org/ pages", lambda p: p.startswith("org/")),
    ("data/articles.json", lambda p: p == "data/articles.json"),
    ("search index", lambda p: p.startswith("data/search")),
    ("person, date, event, source, tag pages", lambda p: p.split("/", 1)[0] in ("person", "date", "event", "source", "tag")),
    ("static/", lambda p: p.startswith("static/")),
    ("home, feed, sitemap, other", lambda p: True),
]


def kind_of(relpath: str) -> str:
    return next(name for name, test in KINDS if test(relpath))


def site_table(site: Path) -> tuple[list[tuple[str, int, int]], int, int]:
    """Per kind (name, bytes, files), in KINDS order, the site's total bytes and its article count."""
    sizes: dict[str, int] = defaultdict(int)
    files: dict[str, int] = defaultdict(int)
    total = 0
    for path in site.rglob("*"):
        if path.is_file():
            kind = kind_of(path.relative_to(site).as_posix())
            size = path.stat().st_size
            sizes[kind] += size
            files[kind] += 1
            total += size
    records = site / "data" / "articles.json"
    articles = len(json.loads(records.read_text(encoding="utf-8"))) if records.exists() else 0
    rows = [(name, sizes[name], files[name]) for name, _ in KINDS if files[name]]
    return rows, total, articles


def format_table(rows: list[tuple[str, int, int]], total: int, articles: int) -> str:
    per = max(articles, 1) * 1024
    lines = [f"{articles} articles", "", "| kind | KB/article | files |", "|---|---:|---:|"]
    lines += [f"| {name} | {size / per:.1f} | {count} |" for name, size, count in rows]
    lines.append(f"| **whole site** | **{total / per:.1f}** | **{sum(r[2] for r in rows)}** |")
    return "\n".join(lines)


def build(articles: int, work: Path) -> Path:
    corpus, site = work / "corpus", work / "site"
    subprocess.run([sys.executable, str(HERE / "synth.py"), "--articles", str(articles), "--out", str(corpus)],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(corpus), "--out", str(site),
                    "--no-cache"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--site", type=Path, help="a built site to measure")
    given.add_argument("--articles", type=int, help="synthesise this many articles and build them first")
    parser.add_argument("--budget-kb", type=float, default=30.0, help="KB per article allowed (default 30)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="site-budget-") as tmp:
        site = args.site or build(args.articles, Path(tmp))
        rows, total, articles = site_table(site)
        print(format_table(rows, total, articles))
    per_article = total / max(articles, 1) / 1024
    if per_article > args.budget_kb:
        print(f"over budget: {per_article:.1f} KB per article > {args.budget_kb:g}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
