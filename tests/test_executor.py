"""Where the per-seed map runs (build/executor.py): the choice, and the order of results."""
from __future__ import annotations

import os

from conftest import copy_seeds
from wuxi_archive.build.executor import InProcess, LocalPool, make_executor
from wuxi_archive.build.seeds import NoProgress, collect_outcomes


def test_the_executor_is_chosen_by_the_work_there_is():
    for tasks, jobs, other_work, kind in [(100, 2, False, LocalPool), (5, 2, False, InProcess),
                                          (1, 2, True, LocalPool), (1, 1, True, InProcess), (0, 2, True, InProcess)]:
        chosen = make_executor(tasks, jobs, other_work=other_work)
        try:
            assert type(chosen) is kind, (tasks, jobs, other_work)
        finally:
            chosen.close()


def test_a_local_pool_gives_results_in_order_from_other_processes():
    pool = LocalPool(2)
    try:
        results = list(pool.map(_pid_and_square, list(range(40))))
    finally:
        pool.close()
    assert [square for _, square in results] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for pid, _ in results}


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_a_large_map_runs_every_task_in_a_worker_and_gives_the_results_in_order():
    # None in the build process: what a task loads on first use (pypinyin's tables, the
    # lexicons) stays in the workers, not in the process that holds the archive to the end.
    pool = LocalPool(2, tasks=100)
    try:
        results = list(pool.map(_pid_and_square, list(range(100))))
    finally:
        pool.close()
    assert [square for _, square in results] == [n * n for n in range(100)]
    assert all(pid != os.getpid() for pid, _ in results)


def test_the_build_works_while_its_jobs_run_and_gets_the_same_outcomes(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    paths = sorted(seeds.glob("*.txt"))
    waited = []
    chosen = []

    def executor(tasks, other_work):
        chosen.append((tasks, other_work))
        return LocalPool(2)

    pooled = collect_outcomes(paths, None, config, None, executor, lambda label, total: NoProgress(),
                              while_waiting=lambda: waited.append(1))
    here = collect_outcomes(paths, None, config, None, lambda tasks, other: InProcess(),
                            lambda label, total: NoProgress())
    assert waited == [1] and chosen == [(len(paths), False)]
    assert pooled.keys == here.keys and pooled.processed == here.processed == len(paths)
    assert [o.articles for o in pooled.outcomes] == [o.articles for o in here.outcomes]


def test_workers_hand_back_each_name_reading_once_and_the_build_holds_every_one(tmp_path, config, monkeypatch):
    import wuxi_archive.build.seeds as seeds
    import wuxi_archive.readings as readings
    from wuxi_archive.build.seeds import SeedKeys, make_job, process_job
    from wuxi_archive.records import entity_names

    monkeypatch.setattr(readings, "_READINGS", {})
    monkeypatch.setattr(readings, "_NAMES_TO_HAND_BACK", {})
    paths = sorted(copy_seeds(tmp_path).glob("*.txt"))
    keys = SeedKeys(config, None)
    results = [process_job(make_job(path, keys, config)) for path in paths]
    handed = [name for result in results for name in result.readings]
    assert len(handed) == len(set(handed))                    # each name once
    # Every name of every article, and its NFKC form, with its reading, as readings_of gives them.
    outcomes = [seeds.outcome_of(result) for result in results]
    names = [n for o in outcomes for a in o.articles for n in entity_names(a)]
    back = {name: syllables for result in results for name, syllables in result.readings.items()}
    assert names and all(back[form] == syllables for form, syllables in readings.readings_of(names).items())
    assert all(process_job(make_job(path, keys, config)).readings == {} for path in paths)   # nothing new


def test_a_pooled_collect_leaves_the_build_the_readings_of_every_name(tmp_path, config, monkeypatch):
    import wuxi_archive.readings as readings
    from wuxi_archive.records import entity_names

    monkeypatch.setattr(readings, "_READINGS", {})
    monkeypatch.setattr(readings, "_NAMES_TO_HAND_BACK", {})
    paths = sorted(copy_seeds(tmp_path).glob("*.txt"))
    pooled = collect_outcomes(paths, None, config, None, lambda tasks, other: LocalPool(2),
                              lambda label, total: NoProgress())
    names = [n for o in pooled.outcomes for a in o.articles for n in entity_names(a)]
    held = dict(readings.readings_memo())
    monkeypatch.setattr(readings, "_READINGS", {})
    assert held and all(held[form] == syllables for form, syllables in readings.readings_of(names).items())
