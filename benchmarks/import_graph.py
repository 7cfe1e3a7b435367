"""The package's import graph between its parts, and what breaks the layout's rules.

Parts: the six stages in pipeline order (load, clean, convert, extract,
index, render), `build` (executor, store, the per-seed jobs, the build),
`commands` (the command line, `__main__`), `editorial` (sidecars, review),
`config`, and `shared` (records.py and the small helpers every stage may use).

Rules, checked on every `import` (type-only imports too: a cycle hidden
behind TYPE_CHECKING is still a cycle for a reader):
- no stage imports a later stage, nor build or commands;
- shared imports no other part; config and editorial only shared (and config);
- build never imports commands;
- no cycle between parts, and none between modules.

    python benchmarks/import_graph.py [--dot]

prints one line per edge (`from -> to  (n imports)`), then the problems;
exits 1 when there is one. `--dot` prints the graph in Graphviz's language.
"""
from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "wuxi_archive"
STAGES = ["load", "clean", "convert", "extract", "index", "render"]
PARTS = [*STAGES, "build", "commands", "editorial", "config", "shared"]
# What each part may import besides itself (the stages: the earlier stages too).
ALLOWED = {
    "shared": set(),
    "config": {"shared"},
    "editorial": {"shared", "config"},
    "build": {"shared", "config", "editorial", *STAGES},
    "commands": {"shared", "config", "editorial", "build", *STAGES},
}
for position, stage in enumerate(STAGES):
    ALLOWED[stage] = {"shared", "config", "editorial", *STAGES[:position]}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str:
    """The part a module belongs to: its folder under the package, else shared."""
    pieces = module.split(".")
    if module == "wuxi_archive.__main__":
        return "commands"
    if len(pieces) > 1 and pieces[1] in PARTS:
        return pieces[1]
    return "shared"


def imports_of(path: Path, module: str, modules: set[str]) -> list[str]:
    """The package's modules this file imports."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from .x import y`: y may be a module of x, else a name in x.
            names = [f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in modules else stem for alias in node.names]
        else:
            continue
        found += [name for name in names if name in modules and name != module]
    return found


def module_graph() -> dict[str, list[str]]:
    files = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    modules = set(files)
    return {module: imports_of(path, module, modules) for module, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected component of more than one node (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def problems(graph: dict[str, list[str]]) -> list[str]:
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(set(targets)):
            source, destination = part_of(module), part_of(target)
            if source != destination and destination not in ALLOWED[source]:
                found.append(f"{module} ({source}) imports {target} ({destination})")
    found += [f"module cycle: {' <-> '.join(c)}" for c in cycles({m: set(t) for m, t in graph.items()})]
    parts: dict[str, set[str]] = {}
    for module, targets in graph.items():
        parts.setdefault(part_of(module), set()).update(part_of(t) for t in targets if part_of(t) != part_of(module))
    found += [f"part cycle: {' <-> '.join(c)}" for c in cycles(parts)]
    return found


def part_edges(graph: dict[str, list[str]]) -> Counter:
    return Counter((part_of(m), part_of(t)) for m, targets in graph.items() for t in targets
                   if part_of(m) != part_of(t))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dot", action="store_true", help="print the part graph in Graphviz's language")
    args = parser.parse_args()
    graph = module_graph()
    edges = part_edges(graph)
    if args.dot:
        print("digraph wuxi_archive {")
        for (source, destination), n in sorted(edges.items()):
            print(f'  "{source}" -> "{destination}" [label={n}];')
        print("}")
    else:
        for (source, destination), n in sorted(edges.items(), key=lambda e: (PARTS.index(e[0][0]), PARTS.index(e[0][1]))):
            print(f"{source:>9} -> {destination:<9} ({n} imports)")
    found = problems(graph)
    for problem in found:
        print(f"problem: {problem}")
    print(f"{len(graph)} modules, {sum(len(t) for t in graph.values())} imports, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
