"""Garble repairs on pages of valid text: how many, where (the floor is zero).

    python benchmarks/repairs.py [FOLDER ...] [--json]

Loads every page of each folder (default: ../shared/devpages, its html/
originals, ../shared/testpages and ../shared/seeds) and runs the cleaner's
line preparation on it, which repairs garbles (clean/mojibake.py,
clean/utf8_as_gbk.py). Prints, per folder, the repairs made (fixes of kind
`mojibake` or `mojibake-gap`) and the first few of each page that had one.

All these pages are valid text except the garbled seed (GARBLED, whose
answers in seeds-expected.yaml list the garble's pieces as absent): every
other page must get zero repairs, and the garbled seed must come out with
no private-use character and no `?` garble marker left between Han
characters. Exit status 1 when either fails: damaging good text is worse
than leaving a garble.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from wuxi_archive.clean import prepare_lines
from wuxi_archive.load import load_seed

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
DEFAULT_FOLDERS = [SHARED / "devpages", SHARED / "devpages" / "html", SHARED / "testpages", SHARED / "seeds"]
GARBLED = {"002_c83e22518ca00d00.txt"}     # the one seed scraped with a garble (seeds-expected.yaml)
REPAIR_KINDS = ("mojibake", "mojibake-gap")
PAGE_SUFFIXES = (".txt", ".html", ".htm")
# What a garble leaves when it is not repaired: private-use characters, `?` glued between Han.
LEFT_OVER = re.compile(r"[\ue000-\uf8ff]|(?<=[\u4e00-\u9fff])\?(?=[!\u4e00-\u9fff])")


def page_repairs(path: Path) -> tuple[list[dict], int]:
    """The garble repairs the cleaner makes on one page, and the garble marks left after them."""
    lines, _, fixes, _ = prepare_lines(load_seed(path), ())
    repairs = [{"line": f.line, "kind": f.kind, "before": f.before, "after": f.after}
               for f in fixes if f.kind in REPAIR_KINDS]
    left = sum(len(LEFT_OVER.findall(p.text)) for p in lines)
    return repairs, left


def measure(folders: list[Path]) -> dict:
    """{folder: {page: {"repairs": [...], "left": n, "garbled": bool}}} for the pages found."""
    out: dict = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        pages = {}
        for path in sorted(p for p in folder.iterdir() if p.suffix in PAGE_SUFFIXES and p.is_file()):
            repairs, left = page_repairs(path)
            pages[path.name] = {"repairs": repairs, "left": left, "garbled": path.name in GARBLED}
        out[str(folder)] = pages
    return out


def failures(result: dict) -> list[str]:
    """What breaks the floor: a repair on valid text, a garble left on the garbled seed."""
    bad = []
    for folder, pages in result.items():
        for name, page in pages.items():
            if page["garbled"]:
                if not page["repairs"] or page["left"]:
                    bad.append(f"{folder}/{name}: garbled seed not fully repaired "
                               f"({len(page['repairs'])} repairs, {page['left']} garble marks left)")
            elif page["repairs"]:
                bad.append(f"{folder}/{name}: {len(page['repairs'])} repairs on valid text")
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--json", action="store_true", help="print the measurement as JSON")
    args = parser.parse_args(argv)
    result = measure(args.folders or DEFAULT_FOLDERS)
    bad = failures(result)
    if args.json:
        print(json.dumps({"folders": result, "failures": bad}, ensure_ascii=False))
        return 1 if bad else 0
    for folder, pages in result.items():
        valid = [n for n, p in pages.items() if not p["garbled"]]
        count = sum(len(pages[n]["repairs"]) for n in valid)
        print(f"{folder}: {len(valid)} pages of valid text, {count} repairs")
        for name, page in pages.items():
            if page["repairs"] or page["garbled"]:
                label = "garbled seed" if page["garbled"] else "VALID TEXT CHANGED"
                print(f"  {name} ({label}): {len(page['repairs'])} repairs, {page['left']} garble marks left")
                for fix in page["repairs"][:5]:
                    print(f"    line {fix['line']} {fix['kind']}: {fix['before']!r} -> {fix['after']!r}")
    print("FAIL: " + "; ".join(bad) if bad else "OK: zero repairs on valid text, the garbled seed repaired")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
