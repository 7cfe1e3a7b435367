"""The benchmark keeps its contract (design.md): it runs end to end and its last line is the JSON."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"
CONTRACT = {"articles", "cold_s", "noop_s", "add_one_s", "edit_one_s", "io_floor_s", "peak_rss_mb",
            "site_bytes", "search_index_bytes", "text_bytes"}


def test_a_tiny_benchmark_runs_and_ends_with_the_contract_json(tmp_path):
    run = subprocess.run([sys.executable, str(BENCH), "--articles", "12", "--json", "--no-profile",
                          "--workdir", str(tmp_path / "work")], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr + run.stdout
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert CONTRACT <= set(results)
    assert results["articles"] == 12 and 0 < results["articles_built"] <= 16 and results["site_bytes"] > results["search_index_bytes"] > 0
    # Sizes and memory are measured, not made up: the tree's RSS bounds its PSS from above.
    assert 0 < results["peak_pss_mb"] <= results["peak_rss_mb"]
    assert results["text_bytes"] > 0 and all(results[k] > 0 for k in ("cold_s", "noop_s", "add_one_s"))
    # The second floor writes the site's files: as many as the site holds, the same bytes.
    work = tmp_path / "work"
    written = [p for p in (work / "io-floor-site").rglob("*") if p.is_file()]
    assert len(written) == results["site_files"] and sum(p.stat().st_size for p in written) == results["site_bytes"]
    assert results["io_floor_site_s"] > 0
    # The frozen code is byte-compiled, as an installed package is.
    assert list((work / "code" / "wuxi_archive" / "build" / "__pycache__").glob("site.*.pyc"))


def test_the_synthetic_pages_hold_the_articles_the_synthesiser_counts(tmp_path):
    # The benchmark's rate is only honest if the corpus holds what it claims: a
    # footer cut mid-article carried a real article's tail into every page that
    # borrowed it (pages left out as duplicates), and sentence fragments and
    # field lines inside bodies hid where one article ends (94 % came out).
    sys.path.insert(0, str(BENCH.parent))
    from synth import synthesise

    _, paths = synthesise(tmp_path / "seeds", 150, seed=1)
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(tmp_path / "seeds"),
                          "--out", str(tmp_path / "site"), "--no-cache"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    records = json.loads((tmp_path / "site" / "data" / "articles.json").read_text(encoding="utf-8"))
    assert {r["seed"] for r in records} == {p.name for p in paths}      # no page lost as a duplicate or empty
    assert len(records) >= 0.98 * 150


def test_reaping_waits_for_the_children_a_command_left_and_not_for_the_others():
    # peers.py runs inside pytest (tests/test_peers.py), whose process has children of its
    # own that never end (a render pool's fork server): reaping must not wait for those.
    import time
    sys.path.insert(0, str(BENCH.parent))
    from bench import direct_children, reap_orphans

    lasting = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        before = direct_children()
        assert lasting.pid in before
        left = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])   # as if adopted
        started = time.monotonic()
        reap_orphans(before)
        assert time.monotonic() - started < 30 and lasting.poll() is None
        assert left.pid not in direct_children()          # waited for, and reaped
    finally:
        lasting.kill()
        lasting.wait()
