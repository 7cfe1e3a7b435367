"""A/B of the per-seed stages in lock-step, for a shared, busy machine.

    python benchmarks/stage_lockstep.py --seeds DIR --trees A,B [--rounds N]

Each tree (a checkout: its own src/ and benchmarks/) gets a worker process
that wraps the stage entry points with stage_profile.py's exclusive clocks,
counting CPU seconds (time.process_time) instead of wall time. The workers
run process_seed on the same seed in turn, seed by seed, so both see the
same load from other processes: alternating whole builds on a machine whose
load changes by the minute gave differences larger than the one measured.
Rounds alternate which tree goes first. Render and write are not run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path


def worker(seeds_dir: str) -> None:
    """Run in a tree's directory with PYTHONPATH=src: one seed per line read from stdin."""
    import gc
    sys.path.insert(0, "benchmarks")
    import stage_profile as sp
    sp.time.perf_counter = time.process_time      # CPU seconds: the machine is shared
    sp._import_all()
    clock = sp.StageClock()
    clock.install()
    from wuxi_archive.config import load_config
    try:      # the pipeline moved into build/; older checkouts (the reference) keep it at the top
        import wuxi_archive.build.pipeline as pipeline
    except ImportError:
        import wuxi_archive.pipeline as pipeline
    collecting = [0.0, 0.0]      # garbage collection: CPU seconds, start of the current pass

    def timed_gc(phase: str, info: dict) -> None:
        if phase == "start":
            collecting[1] = time.process_time()
        else:
            collecting[0] += time.process_time() - collecting[1]
    gc.callbacks.append(timed_gc)
    config = load_config(None)
    seeds = sorted(p for p in Path(seeds_dir).iterdir() if p.is_file())
    articles = 0
    print("ready", flush=True)
    for line in sys.stdin:
        k = int(line)
        if k < 0:
            break
        articles += len(pipeline.process_seed(seeds[k], config))
        print(json.dumps({"articles": articles, "gc": collecting[0],
                          **{s: clock.seconds[s] for s in ("load", "clean", "convert", "extract")}}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", required=True)
    parser.add_argument("--trees", required=True, help="checkouts to compare, comma-separated")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    trees = args.trees.split(",")
    count = sum(1 for p in Path(args.seeds).iterdir() if p.is_file())
    for r in range(args.rounds):
        procs = {}
        for tree in trees:
            env = dict(os.environ, PYTHONPATH=str(Path(tree) / "src"))
            procs[tree] = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", args.seeds],
                                           cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            assert procs[tree].stdout.readline().strip() == "ready"
        last: dict[str, dict] = {}
        order = trees if r % 2 == 0 else trees[::-1]
        for k in range(count):
            for tree in order:
                procs[tree].stdin.write(f"{k}\n")
                procs[tree].stdin.flush()
                last[tree] = json.loads(procs[tree].stdout.readline())
        for tree in trees:
            procs[tree].stdin.write("-1\n")
            procs[tree].stdin.close()
            procs[tree].wait()
            d = last[tree]
            both = d["clean"] + d["extract"]
            print(f"round {r} {tree}: articles {d['articles']} clean {d['clean']:.3f} extract {d['extract']:.3f} "
                  f"convert {d['convert']:.3f} gc {d['gc']:.3f} clean+extract {both:.3f} "
                  f"per article {1000 * both / d['articles']:.3f} ms", flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
