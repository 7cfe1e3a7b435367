"""The command line: build summary, progress for terminals and CI, exit codes."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS
from wuxi_archive.progress import Progress, wants_bar


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wuxi_archive", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_build_prints_a_summary_and_no_bar_in_ci(tmp_path):
    run_ = run(["build", "--seeds", str(SEEDS), "--out", str(tmp_path / "site")], tmp_path, {"CI": "true"})
    assert run_.returncode == 0, run_.stderr
    summary = run_.stdout.strip().splitlines()[-1]
    n = len(list(SEEDS.glob("*.txt")))
    articles = len(json.loads((tmp_path / "site" / "data" / "articles.json").read_text(encoding="utf-8")))
    assert f"built {articles} articles from {n} seeds" in summary
    assert "warnings" in summary and "errors" in summary and "s (" in summary
    assert "\r" not in run_.stderr


def test_a_broken_sidecar_stops_the_build_and_leaves_the_site(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    out = tmp_path / "site"
    assert run(["build", "--seeds", str(seeds), "--out", str(out)], tmp_path).returncode == 0
    before = (out / "data" / "articles.json").read_bytes()
    stem = sorted(seeds.glob("*.txt"))[0].stem
    (seeds / f"{stem}.yaml").write_text("title: [oops\n", encoding="utf-8")
    broken = run(["build", "--seeds", str(seeds), "--out", str(out)], tmp_path)
    assert broken.returncode == 1
    assert f"{stem}.yaml:" in broken.stderr
    assert (out / "data" / "articles.json").read_bytes() == before


def test_commands_are_documented():
    for command in ("build", "serve", "check", "clean"):
        helped = run([command, "--help"], SEEDS.parent)
        assert helped.returncode == 0 and "usage: wuxi-archive " + command in helped.stdout


def test_progress_bar_on_a_terminal_redraws_one_line():
    stream = io.StringIO()
    bar = Progress("seeds", 200, stream=stream, bar=True)
    for _ in range(200):
        bar.advance()
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") >= 200 and text.count("\n") == 1 and "200/200" in text


def test_progress_in_ci_is_a_few_plain_lines():
    stream = io.StringIO()
    lines = Progress("seeds", 1000, stream=stream, bar=False)
    for _ in range(1000):
        lines.advance()
    lines.close()
    out = stream.getvalue().splitlines()
    assert out == ["seeds: 250/1000", "seeds: 500/1000", "seeds: 750/1000", "seeds: 1000/1000"]


def test_short_builds_print_no_progress():
    stream = io.StringIO()
    small = Progress("seeds", 5, stream=stream, bar=True)
    for _ in range(5):
        small.advance()
    small.close()
    assert stream.getvalue() == ""


def test_bar_only_on_an_interactive_terminal_outside_ci():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True
    assert wants_bar(Tty(), {"TERM": "xterm"})
    assert not wants_bar(Tty(), {"TERM": "xterm", "CI": "true"})
    assert not wants_bar(io.StringIO(), {"TERM": "xterm"})


def test_the_documented_ci_workflow_checks_before_it_builds_and_publishes_build():
    import re

    import yaml

    doc = (Path(__file__).resolve().parent.parent / "docs" / "ci.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(re.search(r"```yaml\n(.*?)```", doc, re.S).group(1))
    triggers = workflow.get("on", workflow.get(True))
    assert "seeds/**" in triggers["push"]["paths"]
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    check = next(i for i, r in enumerate(runs) if r.startswith("wuxi-archive check"))
    build = next(i for i, r in enumerate(runs) if r.startswith("wuxi-archive build"))
    assert check < build and "--out build" in runs[build]
    uploads = [s for s in workflow["jobs"]["build"]["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["with"]["path"] == "build"
    # The cache and the last site are kept: a rebuild keeps the pages whose inputs did not change.
    caches = [s for s in workflow["jobs"]["build"]["steps"] if "actions/cache" in s.get("uses", "")]
    assert caches and set(caches[0]["with"]["path"].split()) == {".build.cache", "build"}
