"""Per-stage profile of one cold, serial build.

    python benchmarks/stage_profile.py --seeds DIR --out DIR [--json] [--top N]

The stage entry points (load, clean, convert, extract, index, render,
write) are wrapped, for this process only, by timers that keep exclusive
time: a convert call made from inside clean counts as convert, not clean.
The wrapping replaces every reference to an entry point in the loaded
wuxi_archive modules, so the package itself carries no profiling code.
The per-seed stages run serially here, so the figures are CPU seconds of
work, not the wall time of a parallel build.
"""
from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import json
import pstats
import sys
import time
from pathlib import Path

# stage -> (module, attribute) entry points; missing ones are skipped, so
# the profile keeps working while the stages are being rewritten.
STAGES: dict[str, list[tuple[str, str]]] = {
    "load": [("wuxi_archive.load", "load_seed"), ("wuxi_archive.load", "load_seed_bytes")],
    "clean": [("wuxi_archive.clean", "clean_page")],
    "convert": [("wuxi_archive.convert", "convert_article"), ("wuxi_archive.script", "to_simplified"),
                ("wuxi_archive.script", "detect_script")],
    "extract": [("wuxi_archive.extract", "extract_entities")],
    "index": [("wuxi_archive.index", "build_index")],
    "render": [("wuxi_archive.render", "render_site")],       # the editor's reports too: its chores
    "write": [("wuxi_archive.render.writer", "SiteWriter.write"), ("wuxi_archive.render.writer", "SiteWriter.copy_tree"),
              ("wuxi_archive.render.writer", "SiteWriter.commit"), ("wuxi_archive.render.writer", "SiteWriter.__init__")],
}


class StageClock:
    """Exclusive time per stage, with a stack for nested stage calls."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {name: 0.0 for name in STAGES}
        self.calls: dict[str, int] = {name: 0 for name in STAGES}
        self._stack: list[list] = []   # [stage, started, time spent in nested stages]

    def wrap(self, stage: str, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            frame = [stage, time.perf_counter(), 0.0]
            self._stack.append(frame)
            try:
                return func(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.perf_counter() - frame[1]
                self.seconds[stage] += spent - frame[2]
                self.calls[stage] += 1
                if self._stack:
                    self._stack[-1][2] += spent
        timed.__wrapped_stage__ = stage
        return timed

    def install(self) -> None:
        """Replace each entry point wherever a wuxi_archive module refers to it."""
        for stage, points in STAGES.items():
            for module_name, attr in points:
                try:
                    module = importlib.import_module(module_name)
                except ImportError:
                    continue
                owner_name, _, name = attr.rpartition(".")
                owner = getattr(module, owner_name) if owner_name else module
                original = getattr(owner, name, None)
                if original is None or hasattr(original, "__wrapped_stage__"):
                    continue
                timed = self.wrap(stage, original)
                if owner_name:
                    setattr(owner, name, timed)
                    continue
                for loaded in list(sys.modules.values()):
                    if getattr(loaded, "__name__", "").startswith("wuxi_archive"):
                        for key, value in list(vars(loaded).items()):
                            if value is original:
                                setattr(loaded, key, timed)


def _import_all() -> None:
    """Import every wuxi_archive module, so every reference gets wrapped."""
    import pkgutil

    import wuxi_archive
    for info in pkgutil.walk_packages(wuxi_archive.__path__, "wuxi_archive."):
        if info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:  # a module mid-rewrite by someone else must not stop the profile
            pass


def run_build(seeds: Path, out: Path) -> int:
    """A cold build, no cache, every per-seed stage in this process."""
    from wuxi_archive.build import build_site
    from wuxi_archive.config import load_config

    result = build_site(seeds, out, load_config(None), use_cache=False, jobs=1)
    return len(result.articles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="print the stage seconds as one JSON line")
    parser.add_argument("--top", type=int, default=0, help="also print the N functions with most own time (cProfile)")
    parser.add_argument("--dump", type=Path, default=None, help="save the cProfile statistics to this file")
    args = parser.parse_args(argv)
    _import_all()
    clock = StageClock()
    clock.install()
    profiler = cProfile.Profile() if args.top or args.dump else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    count = run_build(args.seeds, args.out)
    if profiler:
        profiler.disable()
    total = time.perf_counter() - started
    stages = {k: round(v, 3) for k, v in clock.seconds.items()}
    stages["other"] = round(total - sum(clock.seconds.values()), 3)
    if profiler and args.dump:
        profiler.dump_stats(str(args.dump))
    if profiler and args.top:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(args.top)
    if args.json:
        print(json.dumps({"articles": count, "total_s": round(total, 3), "stages": stages}))
    else:
        for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
            print(f"{name:8s} {seconds:8.2f}s {100 * seconds / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
