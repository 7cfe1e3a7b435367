"""The `wuxi-archive` command line."""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path

from .. import __version__
from ..build import SidecarErrors, build_site
from ..build.executor import SchedulerError
from ..config import DEFAULT_CONFIG_NAME, Config, ConfigError, load_config
from ..load import SeedError, load_seed
from ..load.discover import OutputFolderError, SeedsFolderError
from ..build.output_errors import OutputError
from ..editorial.sidecars import SidecarError, load_sidecar
from .progress import Progress
from ..wording import plural

EXIT_OK, EXIT_USAGE, EXIT_SEED_ERRORS = 0, 1, 2
EXIT_CHECK_FAILED = 1
EXIT_CLOSED_PIPE, EXIT_INTERRUPTED = 141, 130    # as a shell reports SIGPIPE and SIGINT (128 + signal)


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

    def seeds_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of seed files and their .yaml sidecars (default: seeds/)")

    def config_option(p: argparse.ArgumentParser) -> None:
        # Accepted after the command too, as global options are by git and others; SUPPRESS
        # keeps one given before the command when none is given after it.
        p.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="site configuration file (as before the command)")

    build = sub.add_parser("build", help="build the site from every seed", description="Build the whole site and data/articles.json, reusing unchanged seeds from the cache beside the output folder. Exit 0: all seeds read; 2: some seeds could not be read (named on stderr); 1: usage or configuration error (a broken config or sidecar: nothing is written).")
    seeds_option(build)
    build.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    build.add_argument("--no-cache", action="store_true", help="recompute every seed (the cache is neither read nor written)")
    build.add_argument("--jobs", type=int, default=None, help="worker processes for the per-seed stages (default: up to 2)")
    build.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT", help="run the per-seed stages on this Dask distributed scheduler (default: $WUXI_SCHEDULER, else local processes; needs wuxi-archive[dask])")

    clean = sub.add_parser("clean", help="clean one seed and print the result", description="Clean one seed (with its sidecar) and print its articles: readable text, or the JSON records with --json.")
    clean.add_argument("seed", type=Path, help="a seed file (.txt, .html or .htm)")
    clean.add_argument("--json", action="store_true", help="print the JSON records of the data contract")

    serve = sub.add_parser("serve", help="preview the site with live reload", description="Build, serve the site on 127.0.0.1, and rebuild and reload the open page whenever a seed, sidecar, the config, a template or a static file changes.")
    seeds_option(serve)
    serve.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")

    check = sub.add_parser("check", help="validate seeds, sidecars and config", description="Validate the config, every seed and every sidecar without writing the site. Exit 0: no errors; 1: errors (with --strict: errors or warnings).")
    seeds_option(check)
    check.add_argument("--out", type=Path, default=Path("build"), help="reuse this build's cache for unchanged seeds, read only (default: build/)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    for command in (build, clean, serve, check):
        config_option(command)
    return parser


def _config_path(args: argparse.Namespace) -> Path | None:
    return args.config or (Path(DEFAULT_CONFIG_NAME) if Path(DEFAULT_CONFIG_NAME).is_file() else None)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if args.command == "check":    # lists config errors itself, with the rest
        return _cmd_check(args)
    try:
        config = load_config(_config_path(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build":
        return _cmd_build(args, config)
    if args.command == "clean":
        return _cmd_clean(args, config)
    if args.command == "serve":
        return _cmd_serve(args)
    parser.print_help()
    return EXIT_USAGE


def run() -> None:
    """The process entry point (the console script and `python -m wuxi_archive`): main, then exit.

    Exits without tearing the interpreter down: freeing a 10,000-article
    build's objects one by one takes a second or more and serves no one.
    Output is flushed first; no atexit work is pending once main returns.
    The cyclic garbage collector stays off (build_site pauses it anyway):
    switched back on after a build, its first pass walked every object the
    build left, 0.4 s at 10,000 articles, in a process about to exit.
    `serve`, which lives on, switches it on again.
    """
    gc.disable()
    try:
        code = main()
        sys.stdout.flush()
    except SystemExit as exc:          # argparse's --help, --version and usage errors
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BrokenPipeError:            # `clean SEED | head`: the reader has all it wanted
        code = EXIT_CLOSED_PIPE
    except KeyboardInterrupt:          # Ctrl-C: a user's choice, not a crash
        code = EXIT_INTERRUPTED
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, OSError):
            pass                       # the pipe is closed: what is left has nowhere to go
    os._exit(code)


def _progress(label: str, total: int) -> Progress:
    return Progress(label, total, stream=sys.stderr)


def _run_build(args: argparse.Namespace, config: Config, errors: list[str] | None = None) -> int:
    """Build and print the summary; the exit code of `build`. Each error line printed is
    also added to `errors` (serve shows them in the open page)."""
    from ..render.workers import RenderWorkerError      # a build imports render anyway
    shown = errors if errors is not None else []

    def error(message: str) -> None:
        shown.append(message)
        print(message, file=sys.stderr)

    try:
        result = build_site(args.seeds, args.out, config, use_cache=not getattr(args, "no_cache", False),
                            jobs=getattr(args, "jobs", None), progress=_progress,
                            scheduler=getattr(args, "scheduler", None))
    except SidecarErrors as exc:
        for message in exc.messages:
            error(f"error: {message}")
        error(f"build stopped: {plural(len(exc.messages), 'broken sidecar')}; {args.out}/ was not changed")
        return EXIT_USAGE
    except (SeedsFolderError, OutputFolderError, OutputError, SchedulerError) as exc:
        error(f"error: {exc}")
        return EXIT_USAGE
    except RenderWorkerError as exc:
        error(f"error: {exc}; {args.out}/ was not changed")
        return EXIT_USAGE
    for message in result.errors:
        error(f"error: {message}")
    for notice in result.notices:
        print(f"warning: {notice}", file=sys.stderr)
    if not config.base_url:
        print("note: no sitemap.xml: its URLs must be absolute; set base_url in the config to have one", flush=True)
    print(f"built {plural(len(result.articles), 'article')} from {plural(result.seeds, 'seed')} into {args.out}/ "
          f"in {result.seconds:.2f}s ({plural(result.recomputed, 'seed')} processed, "
          f"{result.seeds - result.recomputed} from cache{', site unchanged' if result.unchanged else ''}; "
          f"{plural(result.warnings, 'warning')}, {plural(len(result.errors), 'error')}); "
          f"open {args.out / 'index.html'}", flush=True)
    return EXIT_SEED_ERRORS if result.errors else EXIT_OK


def _cmd_build(args: argparse.Namespace, config: Config) -> int:
    if not args.seeds.is_dir():
        print(f"error: seeds folder {args.seeds} does not exist", file=sys.stderr)
        return EXIT_USAGE
    return _run_build(args, config)


def _cmd_serve(args: argparse.Namespace) -> int:
    gc.enable()       # rebuild after rebuild in one process: cycles must not pile up
    from ..render import asset_dir
    from .serve import PreviewState, Rebuilt, ServeError, open_server, serve

    if not args.seeds.is_dir():
        print(f"error: seeds folder {args.seeds} does not exist", file=sys.stderr)
        return EXIT_USAGE
    try:       # the port first: a busy one is told in a line, before a build nobody will see
        server = open_server(PreviewState(args.out, (asset_dir("static") / "livereload.js").read_bytes()), args.port)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE

    def rebuild() -> Rebuilt:
        try:
            config = load_config(_config_path(args))   # the config may be what changed
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr, flush=True)
            return Rebuilt(False, f"error: {exc}")
        errors: list[str] = []
        code = _run_build(args, config, errors)
        return Rebuilt(code != EXIT_USAGE, "\n".join(errors))

    def watched() -> list[Path]:
        config_path = _config_path(args) or Path(DEFAULT_CONFIG_NAME)
        return [args.seeds, config_path, asset_dir("templates"), asset_dir("static")]

    first = rebuild()
    if not first.site_changed and not (args.out / "index.html").is_file():
        server.server_close()
        return EXIT_USAGE
    serve(args.out, args.port, watched, rebuild, b"", first.errors, server=server)
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import check_project

    if not args.seeds.is_dir():
        print(f"error: seeds folder {args.seeds} does not exist", file=sys.stderr)
        return EXIT_USAGE
    report = check_project(args.seeds, _config_path(args), build_dir=args.out)
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    if args.format == "json":
        print(json.dumps({**report.to_json(), "ok": not failed}, ensure_ascii=False, indent=1))
    else:
        for problem in report.errors + report.warnings:
            print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)
        print(f"checked {plural(report.seeds, 'seed')} ({plural(report.articles, 'article')}): "
              f"{plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}")
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def _cmd_clean(args: argparse.Namespace, config: Config) -> int:
    from ..build.pipeline import process_page     # not for a build: its workers import it (build.process_seed_file)
    from ..editorial.review import attention
    if args.seed.is_dir():
        print(f"error: {args.seed} is a folder; clean takes one seed file "
              f"(for a folder: wuxi-archive check --seeds {args.seed}, or build)", file=sys.stderr)
        return EXIT_USAGE
    try:
        page = load_seed(args.seed)
        articles = process_page(page, config, load_sidecar(args.seed))
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SEED_ERRORS
    except SidecarError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps([a.to_json() for a in articles], ensure_ascii=False, indent=1))
        return EXIT_OK
    for a in articles:
        c = a.clean
        # The same list the cleaning report and `check` give (review.attention; the page's
        # reading warnings are among the article's).
        warnings = attention(a, page.lines)
        date = f"{c.date} ({c.date_basis})" if c.date else "none found"
        print(f"# {c.title}")
        print(f"id: {a.id}  date: {date}  source: {c.source or 'none found'}  "
              f"authors: {'、'.join(c.authors) or 'none found'}")
        for p in c.paragraphs:
            prefix = {"h": "## ", "caption": "[图] "}.get(p.kind, "")
            print(f"\n{prefix}{p.text}")
        print(f"\n-- {plural(len(c.removed), 'line')} removed; {plural(len(warnings), 'warning')}"
              + "".join(f"\n   - {w}" for w in warnings) + "\n")
    return EXIT_OK
