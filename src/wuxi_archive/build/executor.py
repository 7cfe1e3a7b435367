"""Where the per-seed map runs: here, in a pool of local processes, or on a Dask cluster.

Every task is a plain function of plain data (a seed's bytes, its name,
the configuration) that returns plain data and writes nothing, so the same
map runs anywhere a worker can import wuxi-archive. Results come back in
the order of the tasks, whichever runs them: the site is the same bytes.
"""
from __future__ import annotations

import os
import signal
from collections import deque
from itertools import islice
from typing import Callable, Iterable, Iterator, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many tasks, starting worker processes costs more than it saves.
MIN_TASKS_FOR_WORKERS = 24
SCHEDULER_VARIABLE = "WUXI_SCHEDULER"
CONNECT_SECONDS = 10
# Batches in flight per worker: enough that no worker waits for the next, few enough
# that the seeds' bytes and the outcomes not yet taken stay a handful, not the archive.
BATCHES_PER_WORKER = 4


class SchedulerError(RuntimeError):
    """The Dask scheduler named cannot be used: nothing was built."""


def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


class Executor(Protocol):
    """Runs `fn` over `items`, yielding the results in order; a pool or a cluster sends the
    first tasks off before map returns, so the caller can work while they run, and takes
    the next items only as results are taken: the items may be made as they are needed."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...
    def close(self) -> None: ...


ExecutorFactory = Callable[[int, bool], Executor]   # (tasks, other work meanwhile) -> where they run


class InProcess:
    """Every task in this process: for a few seeds, or `--jobs 1`."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
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
    """A stdlib process pool of `jobs` workers, the tasks sent in batches so that
    each costs one round trip per batch, not per seed (batches sized for `tasks`,
    the number expected). Workers inherit nothing: they work on any start method
    (fork, forkserver, spawn)."""

    def __init__(self, jobs: int, tasks: int = 0) -> None:
        from concurrent.futures import ProcessPoolExecutor
        self.jobs = jobs
        self.batch = max(1, min(16, tasks // (jobs * 8)))
        self._pool = ProcessPoolExecutor(max_workers=jobs, initializer=_end_with_parent)

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Every task in a worker. (The first once ran here, so that forked workers inherited
        what it loaded on first use: the build process then held pypinyin's tables and the
        lexicons, 59 MB, to its end, for half a second of CPU the workers spend side by side.)"""
        return bounded_map(lambda batch: self._pool.submit(run_batch, fn, batch), items, self.batch,
                           self.jobs * BATCHES_PER_WORKER)

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

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """A few batches per worker in flight; the results in order, as their batches end."""
        workers = max(1, sum(self._client.nthreads().values()))
        return bounded_map(lambda batch: self._client.submit(run_batch, fn, batch, pure=False), items,
                           self.BATCH, workers * BATCHES_PER_WORKER)

    def close(self) -> None:
        self._client.close()


class Pending(Protocol[R]):
    def result(self) -> list[R]: ...


def bounded_map(submit: Callable[[list[T]], Pending[R]], items: Iterable[T], batch: int,
                in_flight: int) -> Iterator[R]:
    """`submit` each batch of `items`, at most `in_flight` batches at a time; their results
    in order. The first batches are sent before this returns; the others as results are taken."""
    source = iter(items)
    sent: deque[Pending[R]] = deque()

    def send_next() -> bool:
        taken = list(islice(source, batch))
        if taken:
            sent.append(submit(taken))
        return bool(taken)

    while len(sent) < in_flight and send_next():
        pass

    def results() -> Iterator[R]:
        while sent:
            done = sent.popleft()
            send_next()        # before waiting: the workers keep busy while this one is taken
            yield from done.result()
    return results()


def run_batch(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """One Dask task: `fn` over a batch of items."""
    return [fn(item) for item in items]


def make_executor(tasks: int, jobs: int, scheduler: str | None = None, other_work: bool = False) -> Executor:
    """The executor for `tasks` tasks: the cluster at `scheduler` (or $WUXI_SCHEDULER) when
    one is named; else a local pool of up to `jobs` processes when there are enough tasks,
    or when this process has `other_work` to do meanwhile (a rebuild reads the store and
    compiles its templates while its new seeds are cleaned); else here."""
    scheduler = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    if scheduler and tasks:
        return DaskCluster(scheduler)
    if jobs > 1 and tasks and (tasks >= MIN_TASKS_FOR_WORKERS or other_work):
        return LocalPool(min(jobs, tasks), tasks)
    return InProcess()
