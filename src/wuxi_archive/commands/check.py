"""`wuxi-archive check`: validate config, seeds and sidecars without writing the site.

Errors are what would stop or spoil a build (an unreadable seed, a broken
sidecar or config); warnings are what an editor should look at (the
cleaner's warnings, sidecars without a seed, overrides with no effect).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..build import triage_outcomes
from ..build.executor import default_jobs, make_executor
from ..build.seeds import collect_outcomes
from ..build.store import Store, cache_dir_for
from ..config import Config, ConfigError, load_config
from ..load.discover import SEED_SUFFIXES, discover_seeds
from ..editorial.sidecars import SIDECAR_SUFFIX
from .progress import NoProgress
from ..editorial.review import attention

_WHERE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.*)$", re.S)


@dataclass
class Problem:
    severity: str                  # "error" or "warning"
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.severity}: {where}: {self.message}"


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    seeds: int = 0
    articles: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def to_json(self) -> dict:
        return {
            "seeds": self.seeds, "articles": self.articles,
            "errors": [asdict(p) for p in self.errors], "warnings": [asdict(p) for p in self.warnings],
        }


def problem_from_message(severity: str, message: str, default_file: str) -> Problem:
    """Split a 'file:line: message' error into its parts."""
    m = _WHERE.match(message)
    if m:
        return Problem(severity, m["file"], int(m["line"]), m["message"])
    if message.startswith(default_file + ": "):
        message = message[len(default_file) + 2:]
    return Problem(severity, default_file, None, message)


def check_project(seeds_dir: Path, config_path: Path | None, jobs: int | None = None,
                  build_dir: Path | None = None) -> CheckReport:
    """Everything `build` would complain about, and what an editor should look at.

    With `build_dir`, seeds unchanged since that build are read from its
    cache (read only: check writes nothing).
    """
    report = CheckReport()
    config: Config
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        report.problems.append(problem_from_message("error", str(exc), str(config_path)))
        config = load_config(None)   # still check the seeds against the defaults
    listing = discover_seeds(seeds_dir)
    report.problems += [_named_problem("error", seeds_dir, refusal) for refusal in listing.refused]
    seeds = listing.paths
    report.seeds = len(seeds)
    store = Store.reader(cache_dir_for(build_dir)) if build_dir else None
    try:
        outcomes = collect_outcomes(seeds, listing.names, config, store,
                                    lambda tasks: make_executor(tasks, jobs or default_jobs()),
                                    lambda label, total: NoProgress(label, total)).outcomes
    finally:
        if store:
            store.close()
    owners: dict[str, str] = {}
    kept, notices = triage_outcomes(outcomes)
    report.problems += [_named_problem("warning", seeds_dir, notice) for notice in notices]
    for path, outcome in zip(seeds, outcomes):
        name = str(path)
        if outcome.error:
            report.problems.append(problem_from_message("error", outcome.error, path.name))
        if outcome.sidecar_error:
            report.problems.append(problem_from_message("error", outcome.sidecar_error, name))
        for n, article in enumerate(outcome.articles):
            if article.id in owners:
                report.problems.append(Problem("error", name, None,
                                               f"article id {article.id} is also made by {owners[article.id]}"))
            owners[article.id] = name
            label = f" (article {article.clean.part})" if article.clean.parts > 1 else ""
            # The list `clean` prints and the cleaning report shows (review.attention).
            reasons = outcome.prepared[n].attention if n < len(outcome.prepared) else attention(article, outcome.lines)
            report.problems += [Problem("warning", name, None, w + label) for w in reasons]
    report.articles = len(kept)          # as the build will publish them
    report.problems += orphan_sidecars(seeds_dir)
    return report


def _named_problem(severity: str, seeds_dir: Path, message: str) -> Problem:
    """A 'seed name: message' line (from discovery or triage) as a problem on that seed."""
    name, _, text = message.partition(": ")
    return Problem(severity, str(seeds_dir / name.split(" (")[0]), None, text or message)


def orphan_sidecars(seeds_dir: Path) -> list[Problem]:
    """YAML files in the seeds folder that no seed will read."""
    stems = {p.stem for p in seeds_dir.iterdir() if p.is_file() and p.suffix.lower() in SEED_SUFFIXES}
    problems = []
    for path in sorted(seeds_dir.iterdir()):
        if path.suffix == ".yml":
            problems.append(Problem("warning", str(path), None, f"sidecars end in {SIDECAR_SUFFIX}; this file is not read"))
        elif path.suffix == SIDECAR_SUFFIX and path.stem not in stems:
            problems.append(Problem("warning", str(path), None, "no seed with this name; this sidecar is not used"))
    return problems
