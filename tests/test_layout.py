"""The package's layout shows the pipeline: no stage imports a later one, no cycles
(benchmarks/import_graph.py states the rules and prints the graph)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "import_graph.py"


def load_script():
    spec = importlib.util.spec_from_file_location("import_graph", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_package_keeps_the_layout_rules():
    graph = load_script()
    assert graph.problems(graph.module_graph()) == []


def test_the_rules_catch_a_stage_importing_a_later_one_and_a_cycle():
    graph = load_script()
    modules = {"wuxi_archive.clean.a": ["wuxi_archive.render.b"], "wuxi_archive.render.b": ["wuxi_archive.clean.a"],
               "wuxi_archive.records": []}
    found = graph.problems(modules)
    assert any("clean.a (clean) imports wuxi_archive.render.b (render)" in p for p in found)
    assert any(p.startswith("module cycle") for p in found) and any(p.startswith("part cycle") for p in found)


def test_the_script_prints_the_graph_and_exits_0():
    run = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    assert "build -> render" in run.stdout.replace("  ", " ") or "build ->" in run.stdout
    assert run.stdout.rstrip().endswith("0 problems")
