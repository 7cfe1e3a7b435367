"""Fuzz the loader and the cleaner with hypothesis for a few minutes.

    python benchmarks/fuzz.py --minutes 3

Runs the properties of tests/test_properties.py with many examples, each
for an equal share of the time, plus mutated real seeds (bytes flipped,
cut, re-encoded) through load -> clean -> convert. Prints, per property,
how many examples ran and the first failure found (with its input), and
exits 1 if any property failed.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import test_properties as props  # noqa: E402
from wuxi_archive.config import load_config  # noqa: E402
from wuxi_archive.load import SeedError, load_seed_bytes  # noqa: E402
from wuxi_archive.build.pipeline import process_page  # noqa: E402

CONFIG = load_config()
FUZZ_SETTINGS = settings(max_examples=500, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
                         suppress_health_check=list(HealthCheck))
SEED_BYTES = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]


@given(st.sampled_from(range(len(SEED_BYTES))), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=20),
       st.integers(0, 10**6), st.sampled_from(["utf-8", "gb18030", "utf-16", "keep"]), st.sampled_from(["s.txt", "s.html"]))
def mutated_seed_through_the_pipeline(which, flips, cut, codec, name):
    data = SEED_BYTES[which]
    if codec != "keep":
        data = data.decode("utf-8").encode(codec)
    data = bytearray(data[: max(1, cut % (len(data) + 1))])
    for pos, value in flips:
        data[pos % len(data)] = value
    try:
        page = load_seed_bytes(name, bytes(data))
    except SeedError:
        return
    process_page(page, CONFIG)


def properties() -> dict[str, object]:
    found = {name: getattr(props, name) for name in dir(props) if name.startswith("test_")}
    found["mutated_seed_through_the_pipeline"] = mutated_seed_through_the_pipeline
    return found


def run(name: str, test, seconds: float) -> tuple[int, str | None]:
    """Run one property for about `seconds`; return (examples run, failure or None)."""
    count = 0
    inner = test.hypothesis.inner_test

    def counted(*args, **kwargs):
        nonlocal count
        count += 1
        return inner(*args, **kwargs)

    test.hypothesis.inner_test = counted
    deadline = time.monotonic() + seconds
    failure = None
    try:
        while time.monotonic() < deadline and failure is None:
            # Replace the modest settings the test suite uses with fuzzing ones.
            test._hypothesis_internal_use_settings = FUZZ_SETTINGS
            try:
                test()
            except Exception:
                failure = traceback.format_exc(limit=3)[-2000:]
    finally:
        test.hypothesis.inner_test = inner
    return count, failure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    args = parser.parse_args()
    tests = properties()
    share = args.minutes * 60 / len(tests)
    failed = 0
    total = 0
    for name, test in tests.items():
        started = time.monotonic()
        count, failure = run(name, test, share)
        total += count
        status = "ok" if failure is None else "FAILED"
        print(f"{status:6} {name}: {count} examples in {time.monotonic() - started:.0f}s", flush=True)
        if failure:
            failed += 1
            print(failure, flush=True)
    print(f"{total} examples, {failed} failing properties")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
