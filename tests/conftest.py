"""Shared fixtures: the project's seeds, ../shared when present, a built site."""
from __future__ import annotations

import json
from contextlib import contextmanager
import shutil
from pathlib import Path

import pytest

from wuxi_archive.build import build_site
from wuxi_archive.config import load_config

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@contextmanager
def launched_chromium():
    """Debian's Chromium driven by Playwright (its own browser download cannot work
    offline); the test is skipped where neither Playwright nor a browser is there."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_api.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=chromium) if chromium else pw.chromium.launch()
        except Exception as exc:  # no browser in this environment
            pytest.skip(f"chromium cannot start: {exc}")
        try:
            yield browser
        finally:
            browser.close()


def site_report(site: Path, article_id: str) -> dict:
    """An article's cleaning report data, from the shards of a built site (render/report_shards.py)."""
    from wuxi_archive.render.report_shards import unpack_shard
    for shard in sorted((site / "editor" / "data").glob("*.js")):
        for report in unpack_shard(shard.read_bytes())[1]:
            if report["id"] == article_id:
                return report
    raise KeyError(article_id)


def copy_seeds(tmp_path: Path) -> Path:
    """A writable copy of the project's seed files, in tmp_path/seeds."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy(path, seeds / path.name)
    return seeds


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests needing it skip on a fresh clone."""
    if not (SHARED / "seeds-expected.yaml").is_file():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def testpages_dir(shared_dir: Path) -> Path:
    path = shared_dir / "testpages"
    if not path.is_dir():
        pytest.skip("../shared/testpages is missing")
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, config) -> Path:
    """The site built once from the project's seeds."""
    out = tmp_path_factory.mktemp("site") / "build"
    result = build_site(SEEDS, out, config)
    assert not result.errors, result.errors
    return out


@pytest.fixture(scope="session")
def site_records(built_site: Path) -> list[dict]:
    return json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))
