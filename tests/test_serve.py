"""`wuxi-archive serve`: rebuilds and reloads after an edit; never serves outside the site."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS
import threading

from wuxi_archive.commands.serve import (PreviewState, Rebuilt, WatchedFiles, inject_livereload, site_file, start_watchers,
                                 watch)

MARKER = "预览测试"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)   # http.client sends the path as written, no normalising
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_for(check, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.2)
    return None


@pytest.fixture
def server(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (tmp_path / "secret.txt").write_text("top secret beside the site\n", encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wuxi_archive", "serve", "--port", str(port),
                             "--seeds", str(seeds), "--out", str(tmp_path / "site")],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: get(port, "/index.html")[0] == 200), "serve did not come up"
        yield port, seeds, tmp_path / "site"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=30)


def test_serve_rebuilds_and_reloads_after_a_seed_is_edited(server):
    port, seeds, site = server
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    record = next(r for r in records if r["paragraphs"])
    page_path = f"/articles/{record['id']}.html"
    status, page = get(port, page_path)
    assert status == 200 and MARKER not in page
    assert "/__livereload.js" in page                                  # served pages reload themselves
    assert "__livereload" not in (site / page_path.lstrip("/")).read_text(encoding="utf-8")   # the built site does not
    assert "location.reload" in get(port, "/__livereload.js")[1]
    stamp = get(port, "/__livereload/stamp")[1]

    seed = seeds / record["seed"]
    text = seed.read_text(encoding="utf-8")
    sentence = record["paragraphs"][0]["text"][:8]
    assert sentence in text
    seed.write_text(text.replace(sentence, sentence + MARKER, 1), encoding="utf-8")

    assert wait_for(lambda: get(port, "/__livereload/stamp")[1] != stamp), "no rebuild after the edit"
    status, page = get(port, page_path)
    assert status == 200 and MARKER in page


def test_the_watcher_rebuilds_for_seeds_and_a_config_made_later_never_for_the_site(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("一\n", encoding="utf-8")
    site = seeds / "site"                   # `--seeds . --out site`: the built site inside a watched folder
    site.mkdir()
    config = tmp_path / "wuxi-archive.yaml"  # not there when the preview starts
    state, stop, builds = PreviewState(site, b""), threading.Event(), []

    def rebuild() -> Rebuilt:
        builds.append(1)
        (site / "index.html").write_text(str(len(builds)), encoding="utf-8")   # what a build writes
        return Rebuilt(True)

    changed = start_watchers(WatchedFiles([seeds, config], site), stop)   # listening when it returns
    thread = threading.Thread(target=watch, args=(lambda: [], rebuild, state, stop, changed), daemon=True)
    thread.start()
    try:
        (seeds / "a.txt").write_text("二\n", encoding="utf-8")
        assert wait_for(lambda: state.stamp == 1, timeout=10), "no rebuild after a seed changed"
        (tmp_path / "notes.txt").write_text("not watched\n", encoding="utf-8")
        (seeds / ".a.txt.swp").write_text("an editor's swap file\n", encoding="utf-8")
        time.sleep(1.5)
        assert state.stamp == 1 and len(builds) == 1   # the site's own writes and other files bring no rebuild
        config.write_text("site_title: 新\n", encoding="utf-8")
        assert wait_for(lambda: state.stamp == 2, timeout=10), "no rebuild after the config was made"
    finally:
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/articles/..%2f..%2fsecret.txt",
    "/%252e%252e/secret.txt", "/..%5csecret.txt", "/static/%2e%2e/%2e%2e/secret.txt", "/./../secret.txt",
])
def test_serve_refuses_paths_outside_the_site(server, path):
    port, _, _ = server
    status, body = get(port, path)
    assert status in (403, 404)
    assert "top secret" not in body


def test_site_file_keeps_requests_inside_the_site(tmp_path):
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "index.html").write_text("home", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    assert site_file(site, "/") == (site / "index.html").resolve()
    assert site_file(site, "/articles/?q=1") == (site / "articles" / "index.html").resolve()
    assert site_file(site, "/index.html#top") == (site / "index.html").resolve()
    assert site_file(site, "/%E6%96%87.html") == (site / "文.html").resolve()
    for bad in ("/../secret.txt", "/%2e%2e/secret.txt", "/%252e%252e/secret.txt", "/a/%00", "/..\\secret.txt"):
        assert site_file(site, bad) is None, bad
    (site / "link").symlink_to(tmp_path)
    assert site_file(site, "/link/secret.txt") is None


def test_livereload_script_goes_before_the_last_body_end():
    assert inject_livereload(b"<html><body>x</body></html>").endswith(
        b'<script src="/__livereload.js" defer></script>\n</body></html>')
    assert inject_livereload(b"fragment").startswith(b"fragment<script")


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_an_open_browser_page_reloads_itself_after_an_edit(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    port, seeds, site = server
    records = json.loads((site / "data" / "articles.json").read_text(encoding="utf-8"))
    record = next(r for r in records if r["paragraphs"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/articles/{record['id']}.html")
            assert MARKER not in page.content()
            page.wait_for_timeout(1500)          # the script has read the current stamp
            seed = seeds / record["seed"]
            sentence = record["paragraphs"][0]["text"][:8]
            text = seed.read_text(encoding="utf-8")
            seed.write_text(text.replace(sentence, sentence + MARKER, 1), encoding="utf-8")
            # no page.reload(): the page must reload itself
            page.wait_for_function(f"document.body.innerText.includes({json.dumps(MARKER)})", timeout=90_000)
        finally:
            browser.close()


def test_a_template_edited_between_rebuilds_in_one_process_is_used(tmp_path, monkeypatch, config):
    # serve rebuilds in one long-lived process; the environment's templates are
    # not checked for changes during a build (auto_reload=False), so each build
    # must make its own environment for an edited template to be seen.
    import wuxi_archive.build as build
    import wuxi_archive.render as render
    from conftest import copy_seeds

    templates = tmp_path / "templates"
    shutil.copytree(render.asset_dir("templates"), templates)
    packaged = render.asset_dir
    for module in (render,):
        monkeypatch.setattr(module, "asset_dir", lambda name: templates if name == "templates" else packaged(name))
    seeds, out = copy_seeds(tmp_path), tmp_path / "site"
    build.build_site(seeds, out, config, jobs=1)
    assert "模板已改" not in (out / "index.html").read_text(encoding="utf-8")
    home = templates / "home.html"
    home.write_text(home.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<p>模板已改</p>", 1),
                    encoding="utf-8")
    build.build_site(seeds, out, config, jobs=1)
    assert "模板已改" in (out / "index.html").read_text(encoding="utf-8")


def test_a_missing_page_gets_the_site_404_page(server):
    port, _, site = server
    assert (site / "404.html").is_file()
    status, body = get(port, "/articles/no-such-article.html")
    assert status == 404 and "页面未找到" in body and "/__livereload.js" in body
    assert 'href="/index.html"' in body          # links from the root: it is served at any depth


def test_build_errors_are_shown_in_the_page_until_a_good_build(server):
    port, seeds, site = server
    assert get(port, "/__livereload/errors") == (200, "")
    stem = sorted(seeds.glob("*.txt"))[0].stem
    sidecar = seeds / f"{stem}.yaml"
    sidecar.write_text("titel: 新标题\n", encoding="utf-8")
    errors = wait_for(lambda: get(port, "/__livereload/errors")[1])
    assert errors and f"{stem}.yaml:1: unknown key 'titel'" in errors and "build stopped" in errors
    assert get(port, "/index.html")[0] == 200            # the last good site is still served
    stamp = get(port, "/__livereload/stamp")[1]
    sidecar.write_text("title: 新标题\n", encoding="utf-8")
    assert wait_for(lambda: get(port, "/__livereload/stamp")[1] != stamp), "no rebuild after the fix"
    assert get(port, "/__livereload/errors") == (200, "")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_open_page_shows_the_error_overlay_and_drops_it_after_a_fix(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    port, seeds, _ = server
    stem = sorted(seeds.glob("*.txt"))[0].stem
    sidecar = seeds / f"{stem}.yaml"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/index.html")
            page.wait_for_timeout(1500)
            assert page.locator("#wuxi-build-errors").count() == 0
            sidecar.write_text("titel: 新标题\n", encoding="utf-8")
            overlay = page.locator("#wuxi-build-errors")
            overlay.wait_for(state="visible", timeout=90_000)
            assert "unknown key 'titel'" in overlay.inner_text() and "构建出错" in overlay.inner_text()
            sidecar.write_text("title: 新标题\n", encoding="utf-8")
            page.wait_for_function("document.body.innerText.includes('新标题') && "
                                   "!document.getElementById('wuxi-build-errors')", timeout=90_000)
        finally:
            browser.close()
