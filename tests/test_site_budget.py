"""benchmarks/site_budget.py: every byte of a built site counted once, by kind, against a budget."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUDGET = Path(__file__).resolve().parent.parent / "benchmarks" / "site_budget.py"


def _run(site: Path, budget: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUDGET), "--site", str(site), "--budget-kb", budget],
                          capture_output=True, text=True, timeout=120)


def test_the_table_counts_every_file_once_and_the_budget_decides_the_exit(built_site, site_records):
    sys.path.insert(0, str(BUDGET.parent))
    try:
        from site_budget import site_table
    finally:
        sys.path.pop(0)
    rows, total, articles = site_table(built_site)
    files = [p for p in built_site.rglob("*") if p.is_file()]
    assert articles == len(site_records) > 5
    assert total == sum(p.stat().st_size for p in files) == sum(size for _, size, _ in rows)
    assert sum(count for _, _, count in rows) == len(files)
    kinds = {name: count for name, _, count in rows}
    shards = len(list((built_site / "editor" / "data").glob("*.js")))
    assert kinds["editor/ reports (data)"] == shards >= 1 and kinds["article pages"] == len(site_records)
    per_article = total / articles / 1024
    over, under = _run(built_site, f"{per_article * 0.9:.3f}"), _run(built_site, f"{per_article * 1.1:.3f}")
    assert (over.returncode, under.returncode) == (1, 0)
    assert "| **whole site** |" in under.stdout and "over budget" in over.stderr
