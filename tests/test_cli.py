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
from wuxi_archive.commands.progress import Progress, wants_bar


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


def _one_seed(tmp_path: Path, name: str = "002_c83e22518ca00d00.txt") -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / name, seeds / name)
    return seeds


def test_clean_of_a_folder_is_an_error_without_a_traceback(tmp_path):
    done = run(["clean", str(SEEDS)], tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "is a folder" in done.stderr
    missing = run(["clean", str(tmp_path / "nope.txt")], tmp_path)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr and "nope.txt" in missing.stderr


def test_clean_into_a_closed_pipe_ends_quietly(tmp_path):
    # Long enough to fill a pipe's buffer (64 KiB) many times over.
    seed = tmp_path / "long.txt"
    text = (SEEDS / "000_a44f7b69ee84a8bd.txt").read_text(encoding="utf-8")
    # every paragraph its own (a page printing one paragraph twice keeps it once)
    body = text[:300].replace("\n", "")
    seed.write_text("标题\n\n" + "\n\n".join(f"第{n}段。{body}。" for n in range(2000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "wuxi_archive", "clean", str(seed)], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline()           # like `| head -1`: read a line, then close the pipe
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert proc.returncode == 141


def test_clean_prints_the_warnings_the_report_and_check_give(tmp_path):
    seeds = _one_seed(tmp_path)                 # seed 002 gives no date
    cleaned = run(["clean", str(seeds / "002_c83e22518ca00d00.txt")], tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert "None" not in cleaned.stdout and "date: none found" in cleaned.stdout
    assert "1 warning\n   - undated: no publication date found" in cleaned.stdout
    checked = run(["check", "--seeds", str(seeds), "--out", str(tmp_path / "site")], tmp_path)
    assert "warning:" in checked.stdout and "undated: no publication date found" in checked.stdout
    assert "checked 1 seed (1 article): 0 errors, 1 warning" in checked.stdout


def test_counts_are_worded_in_the_singular_and_plural(tmp_path):
    seeds = _one_seed(tmp_path)
    built = run(["build", "--seeds", str(seeds), "--out", str(tmp_path / "site")], tmp_path)
    assert "built 1 article from 1 seed " in built.stdout and "(1 seed processed" in built.stdout
    assert "0 errors" in built.stdout
    (seeds / "002_c83e22518ca00d00.yaml").write_text("titel: 新标题\n", encoding="utf-8")
    broken = run(["build", "--seeds", str(seeds), "--out", str(tmp_path / "site")], tmp_path)
    assert "build stopped: 1 broken sidecar;" in broken.stderr and "(s)" not in broken.stderr
    assert "did you mean 'title'?" in broken.stderr
    config = tmp_path / "wuxi-archive.yaml"
    config.write_text("site_title: 档案\nfeed_entries: many\n", encoding="utf-8")
    bad = run(["build", "--seeds", str(seeds), "--out", str(tmp_path / "site")], tmp_path)
    assert bad.returncode == 1 and "wuxi-archive.yaml:2: 'feed_entries' must be a whole number, 1 or more, not a text ('many')" in bad.stderr


def test_a_typo_in_a_sidecar_is_one_error_and_the_seed_still_counts(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    articles = run(["check", "--seeds", str(seeds), "--out", str(tmp_path / "b")], tmp_path).stdout
    (seeds / "001_b52bb0bb0369eda1.yaml").write_text("titel: 新标题\n", encoding="utf-8")
    checked = run(["check", "--seeds", str(seeds), "--out", str(tmp_path / "b")], tmp_path)
    assert checked.returncode == 1
    assert "no article text" not in checked.stdout + checked.stderr
    counted = articles.strip().splitlines()[-1].split(":")[0]          # "checked 5 seeds (9 articles)"
    assert checked.stdout.strip().splitlines()[-1].startswith(counted)
    assert "001_b52bb0bb0369eda1.yaml:1: unknown key 'titel'" in checked.stderr


def test_a_misspelled_chrome_list_is_reported_at_its_line(tmp_path):
    seeds = _one_seed(tmp_path)
    (tmp_path / "wuxi-archive.yaml").write_text(
        "site_title: 档案\nchrome:\n  # extra menu words\n  widgets: [首页]\n  widgts: [分享]\n", encoding="utf-8")
    done = run(["build", "--seeds", str(seeds), "--out", str(tmp_path / "site")], tmp_path)
    assert done.returncode == 1 and "wuxi-archive.yaml:5: chrome.widgts is not a known word list" in done.stderr


def test_config_is_accepted_before_and_after_the_command(tmp_path):
    seeds = _one_seed(tmp_path)
    config = tmp_path / "site.yaml"
    config.write_text("site_title: 配置标题测试\n", encoding="utf-8")
    for n, args in enumerate((["--config", str(config), "build"], ["build", "--config", str(config)])):
        out = tmp_path / f"site{n}"
        done = run([*args, "--seeds", str(seeds), "--out", str(out)], tmp_path)
        assert done.returncode == 0, done.stderr
        assert "配置标题测试" in (out / "index.html").read_text(encoding="utf-8")
    checked = run(["check", "--seeds", str(seeds), "--config", str(tmp_path / "missing.yaml")], tmp_path)
    assert checked.returncode == 1 and "missing.yaml" in checked.stderr
