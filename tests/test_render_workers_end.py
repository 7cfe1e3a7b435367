"""Render workers end with the build process that started them."""
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import SEEDS

# A build killed (kill -9, the OOM killer, a CI timeout) once its render workers have started.
_KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
import wuxi_archive.render.workers as workers
from wuxi_archive.build import build_site
from wuxi_archive.config import load_config
workers.MIN_ARTICLES_FOR_WORKERS = 1
real = workers.RenderPool.plan_article_pages
def plan_then_die(self, renderer):
    real(self, renderer)
    for _, future in list(self._units):
        future.result()                    # every worker has started and rendered
    print(*[p.pid for p in self._pool._processes.values()], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
workers.RenderPool.plan_article_pages = plan_then_die
build_site(Path(sys.argv[1]), Path(sys.argv[2]), load_config(), jobs=3)     # two workers
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _build_in_a_child(script: str, tmp_path: Path) -> tuple[int, str, str]:
    """Run a build `script` (given the seeds and the site folder) in a fresh interpreter: its
    exit code, stdout and stderr. Into files, not pipes: a worker left running would hold a
    pipe open (and this test, or a CI step reading the build's output, would wait for it forever)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        done = subprocess.run([sys.executable, "-c", script, str(SEEDS), str(tmp_path / "site")],
                              stdout=stdout, stderr=stderr, env=env, timeout=120)
    return done.returncode, out.read_text(), err.read_text()


def test_render_workers_end_when_the_build_process_is_killed(tmp_path):
    # A worker left running goes on writing into the staging folder the next build uses
    # (the fault 1f716be fixed for the forked render), and holds the site's index meanwhile.
    code, out, err = _build_in_a_child(_KILLED_BUILD, tmp_path)
    assert code == -9, err
    pids = [int(pid) for pid in out.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(map(_alive, pids)):
        time.sleep(0.05)
    left = [pid for pid in pids if _alive(pid)]
    for pid in left:
        os.kill(pid, 9)                    # not left behind by the test either
    assert left == []


# The command line's build with render workers (two), ended as the console script ends it.
_CLI_BUILD = """
import sys
import wuxi_archive.render.workers as workers
from wuxi_archive.commands.cli import run
workers.MIN_ARTICLES_FOR_WORKERS = 1
sys.argv = ["wuxi-archive", "build", "--seeds", sys.argv[1], "--out", sys.argv[2], "--jobs", "3"]
run()
"""


def test_a_build_with_render_workers_ends_leaving_nothing_to_clean_up(tmp_path):
    # The CLI ends with os._exit (no atexit work): the queue that gives the workers their
    # state must be let go before, or the resource tracker warns of leaked semaphores.
    code, _, err = _build_in_a_child(_CLI_BUILD, tmp_path)
    assert code == 0, err
    assert (tmp_path / "site" / "index.html").exists()
    assert "leaked" not in err, err
