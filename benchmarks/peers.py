"""Build the same articles with wuxi-archive, Pelican and Hugo, in one sitting, and compare.

    python benchmarks/peers.py --seeds /tmp/corpus [--pelican PATH] [--hugo PATH] [--rounds 2]

Issue 21 measures the build's CPU per article and its bytes per article
against two well-known static site generators. This script makes that a
fair, repeatable comparison: it builds `--seeds` with wuxi-archive (cold,
`--no-cache`), exports the articles it made (data/articles.json) as Markdown
with front matter (title, date, source as category, authors, tags, the
organisations as a taxonomy of their own) and builds those with Pelican and
Hugo, each given a small theme of the same scope: article pages, the list
pages of every taxonomy, a full-content feed. Rounds alternate the three,
so all see the same load; the table gives the best round of each: CPU
seconds (user + system of the process and its children, from
getrusage), CPU ms per article, wall seconds, output KB per article, files.

Pelican is a Python package (`pip install pelican markdown`, best in a venv of
its own: `--pelican that-venv/bin/pelican`), Hugo a binary (Debian: `apt
install hugo`). A peer that is not found is skipped with a note. wuxi-archive
does far more per article (cleaning raw pages, conversion, extraction, the
cleaning reports, the search index): the figures say what that costs, not
that the peers are slow or fast.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import adopt_orphans, direct_children, reap_orphans  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    tool: str
    cpu: float
    wall: float
    bytes: int
    files: int


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(tool: str, command: list[str], out: Path, cwd: Path | None = None) -> Run:
    """Run `command` and measure it; its output folder is `out`, a new one (see main)."""
    cpu, wall, children = _children_cpu(), time.perf_counter(), direct_children()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    reap_orphans(children)          # wuxi-archive's render workers, children of a fork server it leaves
    wall, cpu = time.perf_counter() - wall, _children_cpu() - cpu
    if done.returncode not in (0, 2):           # 2: wuxi-archive built, some seeds unreadable
        raise SystemExit(f"{tool} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    files = [p for p in out.rglob("*") if p.is_file()]
    return Run(tool, cpu, wall, sum(p.stat().st_size for p in files), len(files))


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)       # a JSON string is a YAML string


def markdown_body(record: dict) -> str:
    """The article's paragraphs as Markdown: headings as `##`, captions in italics."""
    out = []
    for p in record["paragraphs"]:
        text = p["text"].replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#")
        out.append(f"## {text}" if p["kind"] == "h" else f"*{text}*" if p["kind"] == "caption" else text)
    return "\n\n".join(out) + "\n"


def write_pelican_articles(records: list[dict], content: Path) -> None:
    """One Markdown file per article, with Pelican's metadata lines."""
    content.mkdir(parents=True)
    for r in records:
        meta = [f"Title: {r['title']}", f"Date: {r['date'] or '2000-01-01'}", f"Slug: {r['id']}",
                f"Category: {r['source'] or '未知来源'}"]
        if r["authors"]:
            meta.append("Authors: " + ", ".join(a.replace(",", " ") for a in r["authors"]))
        tags = [t.replace(",", " ") for t in r["tags"]] + [o["name"].replace(",", " ") for o in r["organisations"]]
        if tags:
            meta.append("Tags: " + ", ".join(tags))
        (content / f"{r['id']}.md").write_text("\n".join(meta) + "\n\n" + markdown_body(r), encoding="utf-8")


def write_hugo_articles(records: list[dict], site: Path) -> None:
    """One Markdown file per article with YAML front matter, and a theme of the same scope."""
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    for r in records:
        front = [f"title: {_yaml_string(r['title'])}", f"date: {r['date'] or '2000-01-01'}",
                 f"slug: {_yaml_string(r['id'])}",
                 f"sources: [{_yaml_string(r['source'] or '未知来源')}]",
                 f"authors: [{', '.join(map(_yaml_string, r['authors']))}]",
                 f"tags: [{', '.join(map(_yaml_string, r['tags']))}]",
                 f"organisations: [{', '.join(_yaml_string(o['name']) for o in r['organisations'])}]"]
        (posts / f"{r['id']}.md").write_text("---\n" + "\n".join(front) + "\n---\n\n" + markdown_body(r),
                                             encoding="utf-8")
    (site / "config.toml").write_text(
        'baseURL = "http://example.org/"\ntitle = "peers"\nlanguageCode = "zh-cn"\n'
        'disableKinds = ["robotsTXT"]\npaginate = 20\n[pagination]\npagerSize = 20\n'
        '[taxonomies]\nsource = "sources"\nauthor = "authors"\ntag = "tags"\norganisation = "organisations"\n'
        '[services.rss]\nlimit = 20\n', encoding="utf-8")
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        '<body><nav><a href="/">首页</a></nav><main>{{ block "main" . }}{{ end }}</main></body></html>\n',
        encoding="utf-8")
    (layouts / "single.html").write_text(
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}'
        '{{ range .Params.sources }} · {{ . }}{{ end }}</p>{{ .Content }}'
        '<p>{{ range .GetTerms "organisations" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>'
        '</article>{{ end }}\n', encoding="utf-8")
    (layouts / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>'
        '{{ end }}</ul>{{ end }}\n', encoding="utf-8")
    (layouts / "terms.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}'
        '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}\n',
        encoding="utf-8")
    (layouts / "rss.xml").write_text(     # full content, as wuxi-archive's feed
        '<rss version="2.0"><channel><title>{{ .Site.Title }}</title>'
        '{{ range first 20 .Pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>'
        '<description>{{ .Content | html }}</description></item>{{ end }}</channel></rss>\n', encoding="utf-8")


def pelican_settings(work: Path) -> Path:
    """Pelican's settings: the default theme, the same taxonomies and a full-content feed."""
    settings = work / "pelicanconf.py"
    settings.write_text(
        'SITENAME = "peers"\nTIMEZONE = "Asia/Shanghai"\nDEFAULT_LANG = "zh"\nDEFAULT_PAGINATION = 20\n'
        'FEED_ALL_ATOM = "feeds/all.atom.xml"\nFEED_MAX_ITEMS = 20\nRSS_FEED_SUMMARY_ONLY = False\n'
        'ARTICLE_URL = ARTICLE_SAVE_AS = "articles/{slug}.html"\nRELATIVE_URLS = True\n'
        'CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n', encoding="utf-8")
    return settings


def table(runs: list[Run], articles: int) -> str:
    rows = ["| tool | CPU s | CPU ms/article | wall s | KB/article | files |", "|---|---:|---:|---:|---:|---:|"]
    for r in runs:
        rows.append(f"| {r.tool} | {r.cpu:.2f} | {1000 * r.cpu / articles:.2f} | {r.wall:.2f} | "
                    f"{r.bytes / articles / 1024:.1f} | {r.files:,} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="a folder of seeds (benchmarks/synth.py makes one)")
    parser.add_argument("--pelican", default=shutil.which("pelican"), help="the pelican command (default: on PATH)")
    parser.add_argument("--hugo", default=shutil.which("hugo"), help="the hugo command (default: on PATH)")
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds; the best of each tool is shown")
    parser.add_argument("--jobs", type=int, default=None, help="wuxi-archive's --jobs (default: its own)")
    args = parser.parse_args()
    adopt_orphans()
    work = Path(tempfile.mkdtemp(prefix="wuxi-peers-"))
    try:
        best: dict[str, Run] = {}
        records: list[dict] = []
        # Every build writes into a folder of its own, and all are deleted at the end: on
        # ext4 without a journal, files created where others were deleted in about the last
        # half minute can cost more than ten times the system time (bench.RECENT_DELETION_SECONDS),
        # which would charge each tool for the deletion of its previous round's output.
        for round_number in range(args.rounds):
            ours = [sys.executable, "-m", "wuxi_archive", "build", "--no-cache", "--seeds", str(args.seeds.resolve()),
                    "--out", str(work / f"wuxi-{round_number}")]
            if args.jobs:
                ours += ["--jobs", str(args.jobs)]
            runs = [timed("wuxi-archive", ours, work / f"wuxi-{round_number}")]
            if not records:
                records = json.loads((work / "wuxi-0" / "data" / "articles.json").read_text(encoding="utf-8"))
                write_pelican_articles(records, work / "pelican-content")
                write_hugo_articles(records, work / "hugo")
            if args.pelican:
                out = work / f"pelican-out-{round_number}"
                runs.append(timed("Pelican", [args.pelican, str(work / "pelican-content"), "-o", str(out),
                                              "-s", str(pelican_settings(work)), "-q"], out))
            if args.hugo:
                out = work / f"hugo-out-{round_number}"
                runs.append(timed("Hugo", [args.hugo, "--quiet", "-s", str(work / "hugo"), "-d", str(out)], out))
            for run in runs:
                if run.tool not in best or run.cpu < best[run.tool].cpu:
                    best[run.tool] = run
            print(f"round {round_number + 1}: " + ", ".join(f"{r.tool} {r.cpu:.1f} CPU s" for r in runs),
                  file=sys.stderr)
        for missing, path in (("Pelican", args.pelican), ("Hugo", args.hugo)):
            if not path:
                print(f"note: {missing} not found: skipped (see --help)", file=sys.stderr)
        print(f"{len(records)} articles ({args.seeds}), best of {args.rounds} alternated rounds, "
              f"{os.cpu_count()} CPUs\n")
        print(table(list(best.values()), len(records)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
