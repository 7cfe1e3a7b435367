"""Cleaning quality: build a folder of pages and score it against its answers.

    python benchmarks/quality.py GOLD SEEDS_DIR [--json] [--keep DIR]
    python benchmarks/quality.py --all [--json]

The first form builds SEEDS_DIR with `wuxi-archive build --no-cache` into a
temporary folder and prints the score table of `../shared/tools/score.py`
for GOLD. When SEEDS_DIR holds saved web pages (`NAME.html`) where the gold
names text dumps (`NAME.txt`), the gold is read for the HTML pages.

`--all` scores every set the project is measured on, each against its
targets (issue 19), and prints one table:

- the 42 dev pages as text dumps and as their HTML originals
  (../shared/devpages/, ../shared/devpages/html/);
- the five seeds (../shared/seeds-expected.yaml);
- the eight foreign test pages (answers in benchmarks/gold/testpages.yaml),
  the simplified pages and their `_trad` twins built apart, since a build
  keeps the same article once.

Exit status 0 when every target is met, 1 otherwise: a rule is worth keeping
only when the whole set gains, and this prints whether it did.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score.py"

# The targets, by metric of score.py. Sets not listed here must
# keep every metric they have at 1.000.
DEV_TEXT_TARGETS = {
    "found": 0.98, "title": 0.95, "date": 0.95, "source": 0.90, "body_first": 0.95,
    "body_last": 0.95, "chrome_absent_rate": 0.98, "organisations_recall": 0.80, "people_recall": 0.80,
}
DEV_HTML_TARGETS = {"title": 0.95, "date": 0.95}
PERFECT = ("found", "title", "date", "source", "body_first", "body_last", "no_pinyin", "simplified")
COLUMNS = ("found", "title", "date", "source", "body_first", "body_last", "body_contains",
           "chrome_absent_rate", "organisations_recall", "people_recall", "events_recall")


def load_scorer():
    if not SCORER.exists():
        sys.exit(f"quality: the scorer {SCORER} is missing (it ships in ../shared/, beside the checkout)")
    spec = importlib.util.spec_from_file_location("score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_for(gold_path: Path, seeds: Path) -> list[dict]:
    """The gold entries of the pages in `seeds`, renamed to the HTML originals
    when the folder holds those instead of the text dumps."""
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    kept = []
    for entry in gold:
        page = Path(entry["page"])
        if not (seeds / page).exists() and (seeds / page.with_suffix(".html")).exists():
            entry["page"] = page.with_suffix(".html").name
        if (seeds / entry["page"]).exists():
            kept.append(entry)
    return kept


def build(seeds: Path, out: Path) -> list[dict]:
    """Build a folder with the project's own command; the articles it wrote."""
    command = [sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds), "--out", str(out), "--no-cache"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in (0, 2):
        sys.exit(f"quality: build of {seeds} failed:\n{done.stderr}")
    return json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))


def score_folder(scorer, gold_path: Path, seeds: Path, keep: Path | None = None) -> dict:
    """score.py's rows and summary ({metric: (hits, total, share)}) for one folder."""
    with tempfile.TemporaryDirectory(prefix="quality-") as tmp:
        articles = build(seeds, keep or Path(tmp) / "site")
    from opencc import OpenCC
    rows, summary = scorer.score(gold_for(gold_path, seeds), articles,
                                 OpenCC("t2s").convert, OpenCC("s2t").convert)
    return {"rows": rows, "summary": summary}


def _split_testpages(into: Path) -> tuple[Path, Path]:
    simple, trad = into / "simplified", into / "traditional"
    simple.mkdir()
    trad.mkdir()
    for page in sorted((SHARED / "testpages").glob("*.txt")):
        shutil.copy(page, (trad if page.stem.endswith("_trad") else simple) / page.name)
    return simple, trad


def run_all() -> list[tuple[str, dict, dict]]:
    """(set name, summary, targets) for every measured set."""
    scorer = load_scorer()
    dev = SHARED / "devpages"
    runs = [("dev pages (text)", dev / "gold.yaml", dev, DEV_TEXT_TARGETS),
            ("dev pages (HTML)", dev / "gold.yaml", dev / "html", DEV_HTML_TARGETS),
            ("seeds", SHARED / "seeds-expected.yaml", SHARED / "seeds", None)]
    results = []
    with tempfile.TemporaryDirectory(prefix="quality-pages-") as tmp:
        simple, trad = _split_testpages(Path(tmp))
        runs += [("test pages", HERE / "gold" / "testpages.yaml", simple, None),
                 ("test pages (_trad)", HERE / "gold" / "testpages.yaml", trad, None)]
        for name, gold, seeds, targets in runs:
            result = score_folder(scorer, gold, seeds)
            results.append((name, result, targets or {m: 1.0 for m in PERFECT}))
    return results


def table(results: list[tuple[str, dict, dict]]) -> tuple[str, bool]:
    """A Markdown table, each cell `hits/total`, a missed target marked with ✗."""
    lines = ["| set | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    met = True
    for name, result, targets in results:
        cells = []
        for metric in COLUMNS:
            hit_total = result["summary"].get(metric)
            if not hit_total or not hit_total[1]:
                cells.append("–")
                continue
            hits, total = hit_total[0], hit_total[1]
            cell = f"{hits}/{total}"
            if metric in targets and hits / total < targets[metric]:
                cell += " ✗"
                met = False
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
        for metric, floor in targets.items():      # targets outside the columns (no_pinyin, ...)
            hit_total = result["summary"].get(metric)
            if metric not in COLUMNS and hit_total and hit_total[1] and hit_total[0] / hit_total[1] < floor:
                lines.append(f"|   {metric} missed: {hit_total[0]}/{hit_total[1]} |")
                met = False
    return "\n".join(lines), met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="?", type=Path, help="gold YAML (score.py's format)")
    parser.add_argument("seeds", nargs="?", type=Path, help="folder of pages to build")
    parser.add_argument("--all", action="store_true", help="score every measured set against its targets")
    parser.add_argument("--json", action="store_true", help="print the summaries as JSON")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it (single-set form)")
    args = parser.parse_args(argv)
    if args.all:
        results = run_all()
    elif args.gold and args.seeds:
        results = [(str(args.seeds), score_folder(load_scorer(), args.gold, args.seeds, args.keep), {})]
    else:
        parser.error("give GOLD and SEEDS_DIR, or --all")
    if args.json:
        print(json.dumps({name: result["summary"] for name, result, _ in results}, ensure_ascii=False, indent=1))
        return 0
    if not args.all:
        for row in results[0][1]["rows"]:
            bad = {k: v for k, v in row.items() if v is False or (isinstance(v, list) and v)}
            print(row["page"], row["title"], "OK" if not bad else bad)
    text, met = table(results)
    print(text)
    if args.all:
        print("targets met" if met else "targets missed (✗)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
