"""A task run in a forked process gives back its result, or its failure, loudly."""
from __future__ import annotations

import os

import pytest

from wuxi_archive.beside import Beside, BesideError, can_fork

pytestmark = pytest.mark.skipif(not can_fork(2), reason="needs os.fork and no other thread")


def test_the_result_comes_back_and_the_parent_is_untouched():
    seen = []
    beside = Beside(lambda: seen.append(1) or {"pid": os.getpid(), "n": [1, 2, 3]}, "test")
    result = beside.join()
    assert result["n"] == [1, 2, 3] and result["pid"] != os.getpid()
    assert seen == []           # the child's changes stay in the child


def test_a_failure_in_the_child_is_raised_with_its_traceback():
    def fail():
        raise ValueError("seed 042.txt is broken")

    with pytest.raises(BesideError, match="(?s)the test process failed.*ValueError: seed 042.txt is broken"):
        Beside(fail, "test").join()


def test_a_child_that_dies_without_a_word_is_reported():
    with pytest.raises(BesideError, match="the test process died"):
        Beside(lambda: os._exit(3), "test").join()


def test_a_cancelled_child_is_stopped_and_reaped_at_once():
    import time
    beside = Beside(lambda: time.sleep(60), "test")
    started = time.monotonic()
    beside.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):      # already reaped: no zombie left
        os.waitpid(beside.pid, os.WNOHANG)


def _chores(done: list[int], count: int = 50):
    import time
    for n in range(count):
        time.sleep(0.01)
        done.append(n)
        yield n


def test_chores_are_done_while_the_task_runs_and_not_after():
    import time
    done: list[int] = []
    beside = Beside(lambda: time.sleep(0.3) or "slow", "test")
    assert beside.join_while(_chores(done)) == "slow"
    assert 0 < len(done) < 50          # some done in the wait, none once the task had ended

    quick, idle = Beside(lambda: "quick", "test"), []
    time.sleep(0.2)                    # it has ended: nothing to wait for
    assert quick.ready()
    assert quick.join_while(_chores(idle)) == "quick" and idle == []


def test_a_chore_that_fails_stops_the_task_and_its_error_goes_on():
    import time

    def broken():
        yield 1
        raise ValueError("template editor.html is broken")

    beside = Beside(lambda: time.sleep(60), "test")
    started = time.monotonic()
    with pytest.raises(ValueError, match="editor.html"):
        beside.join_while(broken())
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):      # stopped and reaped
        os.waitpid(beside.pid, 0)



_PARENT_GONE = r"""
import os, time
from wuxi_archive.beside import Beside
try:
    beside = Beside(lambda: time.sleep(0.3) or "x" * 1_000_000, "test")
except BaseException:
    print(f"the caller's error handling ran in {os.getpid()}", flush=True)   # build_site aborts its staging here
    raise
os.close(beside._read_end)          # the parent stops listening: the child's report hits a broken pipe
_, status = os.waitpid(beside.pid, 0)
print(f"child exited {os.waitstatus_to_exitcode(status)}", flush=True)
"""


def test_a_child_whose_parent_stopped_listening_ends_there():
    # In a subprocess: a child that let the broken pipe out would run its copy of the
    # caller's code, here pytest's own.
    import subprocess
    import sys
    run = subprocess.run([sys.executable, "-c", _PARENT_GONE], capture_output=True, text=True, timeout=60)
    assert "error handling ran" not in run.stdout, run.stdout + run.stderr
    assert "child exited 1" in run.stdout, run.stdout + run.stderr


def test_a_render_forked_while_the_site_scan_runs_beside_reads_the_scan(tmp_path):
    """`build --no-cache` over an existing site on 2 CPUs died of ChildProcessError:
    the second render process asked for the site scan its parent had forked (issue 23)."""
    from types import SimpleNamespace

    from wuxi_archive.render.parallel import start_beside
    from wuxi_archive.render.writer import SiteWriter

    out = tmp_path / "build"
    for i in range(50):
        (out / "articles").mkdir(parents=True, exist_ok=True)
        (out / "articles" / f"{i}.html").write_text("x" * i, encoding="utf-8")
    writer = SiteWriter(out, scan_beside=True)
    try:
        renderer = SimpleNamespace(written=[])
        second = start_beside(lambda: len(writer.on_disk), writer, renderer)
        assert second.join() == 50
        assert len(writer.on_disk) == 50
    finally:
        writer.abort()


def test_joining_from_a_forked_copy_is_refused_with_a_message():
    inner = Beside(lambda: 1, "inner")
    outer = Beside(lambda: inner.join(), "outer")
    with pytest.raises(BesideError, match="joined from a forked copy"):
        outer.join()
    assert inner.join() == 1
