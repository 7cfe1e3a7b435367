"""Where the per-seed map runs: here, in a pool of local processes, or on a Dask cluster.

Every task is a plain function of plain data (a seed's bytes, its name,
the configuration) that returns plain data and writes nothing, so the same
map runs anywhere a worker can import wuxi-archive. Results come back in
the order of the tasks, whichever runs them: the site is the same bytes.
"""
from __future__ import annotations

import os
import signal
from typing import Callable, Iterator, Protocol, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many tasks, starting worker processes costs more than it saves.
MIN_TASKS_FOR_WORKERS = 24
SCHEDULER_VARIABLE = "WUXI_SCHEDULER"
CONNECT_SECONDS = 10


class SchedulerError(RuntimeError):
    """The Dask scheduler named cannot be used: nothing was built."""


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


class Executor(Protocol):
    """Runs `fn` over `items`, yielding the results in order."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]: ...
    def close(self) -> None: ...


class InProcess:
    """Every task in this process: for a few seeds, or `--jobs 1`."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        return map(fn, items)

    def close(self) -> None:
        pass


def _end_with_parent() -> None:
    """In a worker: be stopped when the build process dies (Linux), instead of
    waiting forever for work that will not come."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class LocalPool:
    """A stdlib process pool of `jobs` workers, the tasks sent in chunks so that
    each costs one round trip per chunk, not per seed. Workers inherit nothing:
    they work on any start method (fork, forkserver, spawn)."""

    def __init__(self, jobs: int) -> None:
        from concurrent.futures import ProcessPoolExecutor
        self.jobs = jobs
        self._pool = ProcessPoolExecutor(max_workers=jobs, initializer=_end_with_parent)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        chunk = max(1, min(16, len(items) // (self.jobs * 8)))
        return self._pool.map(fn, items, chunksize=chunk)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """A Dask distributed cluster already running at `address` (tcp://host:port).

    Tasks go in batches (one Dask task runs a batch of seeds one by one),
    so that the scheduler's per-task cost stays small beside the work."""

    BATCH = 16

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise SchedulerError(f"{address}: running on a Dask cluster needs Dask: "
                                 "pip install 'wuxi-archive[dask]'") from None
        self.address = address
        try:
            self._client = Client(address, set_as_default=False, timeout=CONNECT_SECONDS)
        except (OSError, ValueError, TypeError) as exc:      # unreachable, or not a scheduler's address
            raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {exc}") from None

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        batches = [list(items[start:start + self.BATCH]) for start in range(0, len(items), self.BATCH)]
        futures = self._client.map(run_batch, [fn] * len(batches), batches, pure=False)
        for future in futures:          # in order: the results of the first batch first
            yield from future.result()

    def close(self) -> None:
        self._client.close()


def run_batch(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """One Dask task: `fn` over a batch of items."""
    return [fn(item) for item in items]


def make_executor(tasks: int, jobs: int, scheduler: str | None = None) -> Executor:
    """The executor for `tasks` tasks: the cluster at `scheduler` (or $WUXI_SCHEDULER) when
    one is named; else a local pool of `jobs` processes when there are enough tasks; else here."""
    scheduler = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    if scheduler and tasks:
        return DaskCluster(scheduler)
    if jobs > 1 and tasks >= MIN_TASKS_FOR_WORKERS:
        return LocalPool(jobs)
    return InProcess()
