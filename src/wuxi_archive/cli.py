"""The `wuxi-archive` command line."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .build import build_site
from .config import DEFAULT_CONFIG_NAME, ConfigError, load_config
from .load import SeedError, load_seed
from .pipeline import process_page

EXIT_OK, EXIT_USAGE, EXIT_SEED_ERRORS = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wuxi-archive",
        description="Turn a folder of scraped Chinese news pages into a clean, cross-linked static site.",
        epilog="Run 'wuxi-archive COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--config", type=Path, default=None,
                        help=f"site configuration file (default: ./{DEFAULT_CONFIG_NAME} when it exists)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="build the site from every seed", description="Build the whole site and data/articles.json. Exit 0: all seeds read; 2: some seeds could not be read (named on stderr); 1: usage or configuration error.")
    build.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of seed files (default: seeds/)")
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")

    clean = sub.add_parser("clean", help="clean one seed and print the result", description="Clean one seed and print its articles: readable text, or the JSON records with --json.")
    clean.add_argument("seed", type=Path, help="a seed file (.txt, .html or .htm)")
    clean.add_argument("--json", action="store_true", help="print the JSON records of the data contract")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        config_path = args.config or (Path(DEFAULT_CONFIG_NAME) if Path(DEFAULT_CONFIG_NAME).is_file() else None)
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build":
        return _cmd_build(args, config)
    if args.command == "clean":
        return _cmd_clean(args, config)
    parser.print_help()
    return EXIT_USAGE


def _cmd_build(args: argparse.Namespace, config) -> int:
    if not args.seeds.is_dir():
        print(f"error: seeds folder {args.seeds} does not exist", file=sys.stderr)
        return EXIT_USAGE
    result = build_site(args.seeds, args.out, config)
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"built {len(result.articles)} articles into {args.out}/ in {result.seconds:.2f}s "
          f"({result.warnings} warnings, {len(result.errors)} unreadable seeds); open {args.out / 'index.html'}")
    return EXIT_SEED_ERRORS if result.errors else EXIT_OK


def _cmd_clean(args: argparse.Namespace, config) -> int:
    try:
        articles = process_page(load_seed(args.seed), config)
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SEED_ERRORS
    if args.json:
        print(json.dumps([a.to_json() for a in articles], ensure_ascii=False, indent=1))
        return EXIT_OK
    for a in articles:
        c = a.clean
        print(f"# {c.title}")
        print(f"id: {a.id}  date: {c.date} ({c.date_basis})  source: {c.source}  authors: {'、'.join(c.authors)}")
        for p in c.paragraphs:
            prefix = {"h": "## ", "caption": "[图] "}.get(p.kind, "")
            print(f"\n{prefix}{p.text}")
        print(f"\n-- removed {len(c.removed)} lines; warnings: {'; '.join(c.warnings) or 'none'}\n")
    return EXIT_OK
