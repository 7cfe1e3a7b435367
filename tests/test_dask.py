"""The per-seed map on a Dask distributed cluster gives the site a local build gives.

The cluster (a distributed.LocalCluster with worker processes of its own) and
the builds that use it run in processes of their own: a Dask client leaves
threads behind, and with another thread running a build does not fork.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_seeds

pytest.importorskip("distributed")

CLUSTER = """
import sys
from distributed import LocalCluster
with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()          # until the test closes its end
"""


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scheduler():
    cluster = subprocess.Popen([sys.executable, "-c", CLUSTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        address = cluster.stdout.readline().strip()
        assert address.startswith("tcp://"), address
        yield address
    finally:
        cluster.stdin.close()
        try:
            cluster.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.kill()


def build(tmp_path: Path, seeds: Path, out: str, *options: str, env: dict | None = None) -> str:
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds),
                          "--out", str(tmp_path / out), *options], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, timeout=600)
    assert run.returncode in (0, 2), run.stderr
    return run.stderr + run.stdout


def processed(summary: str) -> int:
    return int(re.search(r"(\d+) seeds? processed", summary)[1])


def test_a_build_on_a_cluster_is_byte_identical_to_a_local_one(tmp_path, scheduler):
    seeds = copy_seeds(tmp_path)
    (seeds / "broken.txt").write_bytes(b"\xff\xfe\x00garbage" * 3)        # an error travels back too
    local = build(tmp_path, seeds, "local", "--no-cache", "--jobs", "1")
    remote = build(tmp_path, seeds, "remote", "--scheduler", scheduler)
    assert processed(remote) == processed(local) == 6
    assert [l for l in remote.splitlines() if "broken.txt" in l] == [l for l in local.splitlines() if "broken.txt" in l]
    assert tree(tmp_path / "remote") == tree(tmp_path / "local")
    # What the cluster's workers handed back was stored: a rebuild asks them nothing
    # (the scheduler named now would not answer).
    again = build(tmp_path, seeds, "remote", "--scheduler", "tcp://127.0.0.1:9")
    assert "site unchanged" in again and "0 seeds processed" in again


def test_the_command_line_takes_the_scheduler_from_the_environment(tmp_path, scheduler):
    seeds = copy_seeds(tmp_path)
    remote = build(tmp_path, seeds, "remote", env={"WUXI_SCHEDULER": scheduler})
    build(tmp_path, seeds, "local", "--no-cache", "--jobs", "1")
    assert processed(remote) == 5 and tree(tmp_path / "remote") == tree(tmp_path / "local")


def test_a_scheduler_that_cannot_be_reached_is_one_clear_error(tmp_path):
    seeds = copy_seeds(tmp_path)
    run = subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(seeds),
                          "--out", str(tmp_path / "site"), "--scheduler", "tcp://127.0.0.1:9"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists()
