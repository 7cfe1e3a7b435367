"""Run one task in a forked copy of this process while this one goes on.

A fork inherits everything loaded so far for free (copy-on-write), so
work that needs the whole build's state can run on the second core
without sending that state anywhere; only the task's result comes back,
pickled through a pipe.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import threading
import traceback
from typing import Callable, Generic, Iterator, TypeVar

T = TypeVar("T")


class BesideError(RuntimeError):
    """The forked process failed; its traceback is the message."""


def can_fork(jobs: int) -> bool:
    """With a second core to use, fork on a POSIX system, and no other thread running
    (a fork copies locks another thread may hold: `serve` builds in one process)."""
    return jobs > 1 and hasattr(os, "fork") and threading.active_count() == 1


def _die_with(parent: int) -> None:
    """In a forked child: be killed when the parent dies (Linux), then check it is still there.

    A render process left running after its build was killed went on writing
    pages into the staging folder, which the next build was already using."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:                    # it died before the line above
        os._exit(1)


class Beside(Generic[T]):
    """`task` running in a forked process; `join()` waits for it and returns its result."""

    def __init__(self, task: Callable[[], T], what: str) -> None:
        self.what = what
        self._owner = os.getpid()
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:                             # the child: work, report, exit at once
            status = 1
            try:
                _die_with(self._owner)
                os.close(read_end)
                try:
                    payload: tuple = ("ok", task())
                    status = 0
                except OSError as exc:                # the parent tells it as it would its own
                    payload = ("oserror", (exc.errno, exc.strerror, exc.filename, traceback.format_exc()))
                except BaseException:                 # noqa: BLE001 - everything goes back to the parent
                    payload = ("error", traceback.format_exc())
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:                     # noqa: BLE001 - the parent is gone (a broken pipe)
                status = 1
            finally:
                # Whatever happened, the child ends here: an exception let out would run
                # the rest of the parent's code in this copy (and abort its staging).
                os._exit(status)                      # no cleanup: locks and staging are the parent's
        os.close(write_end)
        self._read_end = read_end

    def ready(self) -> bool:
        """Whether the task has ended (join will not wait)."""
        return bool(select.select([self._read_end], [], [], 0)[0])

    def join_while(self, chores: Iterator[object]) -> T:
        """join, doing `chores` one at a time while the task runs (none once it has ended):
        work this process would do later anyway, done in time it would spend waiting.
        A chore that fails stops the task (cancel) and its error goes on."""
        try:
            while not self.ready() and next(chores, None) is not None:
                pass
        except BaseException:
            self.cancel()
            raise
        return self.join()

    def join(self) -> T:
        if os.getpid() != self._owner:
            # A copy forked after this task began holds the pipe too but is not the task's
            # parent: waitpid fails (ChildProcessError) and a read would steal the result.
            raise BesideError(f"the {self.what} process was joined from a forked copy of its parent; "
                              "finish it (join) before forking again")
        with os.fdopen(self._read_end, "rb") as pipe:
            data = pipe.read()
        _, code = os.waitpid(self.pid, 0)
        if not data:
            raise BesideError(f"the {self.what} process died (wait status {code})")
        status, result = pickle.loads(data)   # from our own child, never from disk
        if status == "oserror":               # a full disk, a read-only folder: the caller's message
            code, reason, filename, _ = result
            raise OSError(code, reason, filename)
        if status != "ok":
            raise BesideError(f"the {self.what} process failed:\n{result}")
        return result

    def cancel(self) -> None:
        """Stop the process and reap it, instead of `join`: this one failed and will not
        use its result (a render process left running would go on writing files)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self._read_end)
