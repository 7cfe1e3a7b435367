"""docs/examples/site.yml, the CI workflow of docs/ci.md: its commands run on the seeds."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

import wuxi_archive
from conftest import ROOT, SEEDS

WORKFLOW = ROOT / "docs" / "examples" / "site.yml"
# The workflow installs the project; the tests run the installed one (this process's).
INSTALL = "pip install ."


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _runs(workflow: dict) -> list[str]:
    return [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]


def test_the_shipped_file_is_the_workflow_docs_ci_md_shows():
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    shown = yaml.safe_load(re.search(r"```yaml\n(.*?)```", doc, re.S).group(1))
    assert shown == _workflow()
    assert "examples/site.yml" in doc


def _shim(folder: Path) -> dict[str, str]:
    """An environment whose `wuxi-archive` is the package these tests import, as CI runs it."""
    folder.mkdir()
    script = folder / "wuxi-archive"
    script.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m wuxi_archive \"$@\"\n", encoding="utf-8")
    script.chmod(0o755)
    package_root = str(Path(wuxi_archive.__file__).resolve().parent.parent)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "CI": "true",
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}


def test_the_workflow_commands_check_build_and_leave_what_it_publishes_and_caches(tmp_path):
    workflow = _workflow()
    runs = _runs(workflow)
    assert runs[0] == INSTALL and len(runs) >= 3
    project = tmp_path / "repo"
    shutil.copytree(SEEDS, project / "seeds")
    env = _shim(tmp_path / "bin")
    steps = workflow["jobs"]["build"]["steps"]
    published = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))["with"]["path"]
    cached = next(s for s in steps if "actions/cache" in s.get("uses", ""))["with"]["path"].split()
    outputs = []
    for attempt in range(2):                 # a first run, then one with the cache and site restored
        for command in runs[1:]:
            done = subprocess.run(command, shell=True, cwd=project, env=env, capture_output=True, text=True)
            assert done.returncode == 0, (command, done.stdout, done.stderr)
            assert "Traceback" not in done.stderr
            outputs.append(done.stdout)
        assert (project / published / "index.html").is_file()
        assert all((project / path).exists() for path in cached), cached
    seeds = len(list(SEEDS.glob("*.txt")))
    assert "0 errors" in outputs[0] and f"from {seeds} seeds" in outputs[1]
    assert f"(0 seeds processed, {seeds} from cache" in outputs[-1]
