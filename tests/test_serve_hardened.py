"""The preview server under load and attack (issue 23, item 7): a foreign Host is refused
(DNS rebinding), 200 concurrent GETs all succeed, idle connections neither hold a thread
each nor block others, and a busy port is one line, exit 1."""
from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from wuxi_archive.commands.serve import PreviewState, ServeError, allowed_hosts, open_server


@pytest.fixture
def preview(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body>预览</body></html>", encoding="utf-8")
    server = open_server(PreviewState(site, b"// reload"), 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str = "/index.html", host: str | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        if host is None:
            conn.request("GET", path)
        else:
            conn.putrequest("GET", path, skip_host=True)
            conn.putheader("Host", host)
            conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_a_foreign_host_is_refused(preview):
    assert _get(preview) == 200
    assert _get(preview, host=f"localhost:{preview}") == 200
    for host in ("evil.attacker.example", f"evil.attacker.example:{preview}", "127.0.0.1", "127.0.0.1:1", ""):
        assert _get(preview, host=host) == 421, host
    assert _get(preview, "/__livereload/stamp", host="rebind.example") == 421


def test_allowed_hosts_name_the_listening_address():
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert "127.0.0.1" in allowed_hosts("127.0.0.1", 80)


def test_200_concurrent_gets_all_succeed(preview):
    with ThreadPoolExecutor(max_workers=200) as pool:
        statuses = list(pool.map(lambda _: _get(preview), range(200)))
    assert statuses.count(200) == 200


def test_idle_connections_do_not_hold_a_thread_each_nor_block_a_page(preview):
    idle = [socket.create_connection(("127.0.0.1", preview)) for _ in range(200)]
    try:
        for sock in idle[:8]:
            sock.sendall(b"GET /index.html HTTP/1.1\r\nHo")     # half a request, then silence
        before = threading.active_count()
        started = time.monotonic()
        assert _get(preview) == 200
        assert time.monotonic() - started < 25          # served once idle ones time out, at worst
        assert threading.active_count() - before < 20
    finally:
        for sock in idle:
            sock.close()


def test_a_busy_port_is_one_line_and_exit_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServeError, match=f"port {port} on 127.0.0.1 is in use"):
            open_server(PreviewState(tmp_path, b""), port)
        (tmp_path / "seeds").mkdir()
        proc = subprocess.run([sys.executable, "-m", "wuxi_archive", "serve", "--port", str(port),
                               "--seeds", str(tmp_path / "seeds"), "--out", str(tmp_path / "site")],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "in use" in proc.stderr, proc.stderr
    assert not (tmp_path / "site").exists()
