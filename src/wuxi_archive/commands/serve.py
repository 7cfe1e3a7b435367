"""`wuxi-archive serve`: build, preview on 127.0.0.1, rebuild and reload on every change.

The seeds, sidecars, config, templates and static files are watched through
the operating system's file events (watchfiles: inotify, FSEvents, ...), so an
idle preview does no work; after a change settles it rebuilds (incrementally,
through the cache) and bumps a build stamp. Served HTML pages get a small script that polls the
stamp and reloads itself; the built site on disk never contains it. The
script also shows the last build's errors over the open page (as Hugo and
Vite do) until a build has none. A missing path gets the site's 404.html.
"""
from __future__ import annotations

import errno
import mimetypes
import os
import queue
import selectors
import socket
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

HOST = "127.0.0.1"
STAMP_PATH = "/__livereload/stamp"
ERRORS_PATH = "/__livereload/errors"     # the last build's errors, as text ('' after a good build)
NOT_FOUND_PAGE = "404.html"
SCRIPT_PATH = "/__livereload.js"
SETTLE_MS = 200            # a change has settled when no other follows for this long (an editor's write, rename)
SETTLE_MAX_MS = 1600       # ... or when changes have kept coming for this long (a checkout of many seeds)
BACKLOG = 256              # connections the kernel holds while every worker is busy (the stdlib's is 5)
WORKERS = 16               # threads serving requests; more connections wait, they do not make threads
WAITING = 1024             # accepted connections that have sent nothing yet, held without a thread
IDLE_SECONDS = 10          # a connection that sends nothing for this long is closed
INJECT = f'<script src="{SCRIPT_PATH}" defer></script>\n'

def site_file(site_root: Path, request_path: str) -> Path | None:
    """The file a URL path names inside the site, or None when it would leave it.

    Refuses `..` and `.` segments in any decoding of the path (%2e%2e,
    %252e%252e, backslashes, NULs) and anything resolving outside the site.
    """
    path = request_path.split("?", 1)[0].split("#", 1)[0]
    forms = [path]
    for _ in range(3):
        forms.append(unquote(forms[-1], errors="replace"))
    for form in forms:
        if "\\" in form or "\0" in form or "\ufffd" in form:
            return None
        if any(part in ("..", ".") for part in form.split("/")):
            return None
    relative = forms[1].lstrip("/")
    root = site_root.resolve()
    target = (root / relative).resolve() if relative else root
    if target != root and root not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    return target


@dataclass
class Rebuilt:
    """What a rebuild tells the preview: whether the site on disk changed (the open pages
    reload) and what went wrong, shown over them until a build goes without errors."""

    site_changed: bool
    errors: str = ""


class PreviewState:
    """The build stamp the pages poll, the last build's errors, and the lock that keeps
    rebuilds one at a time."""

    def __init__(self, site_root: Path, livereload_js: bytes, errors: str = "") -> None:
        self.site_root = site_root
        self.livereload_js = livereload_js
        self.stamp = 0
        self.errors = errors
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.stamp += 1

    def record(self, outcome: Rebuilt | bool) -> None:
        """Take in a rebuild's outcome (a plain bool: the site changed, or the build failed)."""
        if isinstance(outcome, bool):
            outcome = Rebuilt(outcome, "" if outcome else "the build failed: see the terminal")
        with self.lock:
            self.errors = outcome.errors
            if outcome.site_changed:
                self.stamp += 1


class ServeError(OSError):
    """The preview cannot start (its port is taken); the message says what to do."""


class PreviewServer(ThreadingHTTPServer):
    """The stdlib's threading server with a real listen backlog and a bounded pool of threads.

    ThreadingHTTPServer starts a thread per connection with no limit and
    listens with a backlog of 5: 200 half-open connections held 202
    threads, and 10 of 200 concurrent GETs timed out. Here an accepted
    connection waits in a selector, without a thread, until it sends
    something (or is closed after IDLE_SECONDS); then a fixed pool of
    WORKERS threads serves it, and a handler waits at most IDLE_SECONDS
    for the rest of a request.
    """

    request_queue_size = BACKLOG
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        # made first: a failed bind calls server_close
        self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="preview")
        self._waiting = _WaitingRoom(self._ready)
        super().__init__(address, handler)
        self.allowed_hosts = allowed_hosts(self.server_address[0], self.server_address[1])

    def process_request(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's signature
        self._waiting.add(request, client_address)

    def _ready(self, request, client_address) -> None:  # noqa: ANN001
        self._pool.submit(self._serve_one, request, client_address)

    def _serve_one(self, request, client_address) -> None:  # noqa: ANN001
        try:
            self.finish_request(request, client_address)
        except Exception:   # noqa: BLE001 - socketserver's own handling: never end the server
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        pass    # a client that went away mid-answer: nothing for the terminal

    def server_close(self) -> None:
        super().server_close()
        self._waiting.close()
        self._pool.shutdown(wait=False, cancel_futures=True)


class _WaitingRoom:
    """Connections that have sent nothing yet, watched by one thread: each goes to
    `ready` when it has bytes to read, or is closed after IDLE_SECONDS of silence,
    or at once when WAITING others are already waiting."""

    def __init__(self, ready: Callable[[socket.socket, object], None]) -> None:
        self._ready = ready
        self._selector = selectors.DefaultSelector()
        self._lock = threading.Lock()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        self._closed = False
        threading.Thread(target=self._run, name="preview-waiting", daemon=True).start()

    def add(self, sock: socket.socket, address: object) -> None:
        with self._lock:
            if self._closed or len(self._selector.get_map()) > WAITING:
                sock.close()
                return
            self._selector.register(sock, selectors.EVENT_READ, (address, time.monotonic() + IDLE_SECONDS))
        self._wake_write.send(b"w")

    def _run(self) -> None:
        while not self._closed:
            events = self._selector.select(timeout=1.0)
            now = time.monotonic()
            with self._lock:
                if self._closed:
                    return
                for key, _ in events:
                    if key.data is None:
                        try:
                            self._wake_read.recv(4096)
                        except BlockingIOError:
                            pass
                        continue
                    self._selector.unregister(key.fileobj)
                    self._ready(key.fileobj, key.data[0])
                for key in list(self._selector.get_map().values()):
                    if key.data is not None and key.data[1] < now:
                        self._selector.unregister(key.fileobj)
                        key.fileobj.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for key in list(self._selector.get_map().values()):
                if key.data is not None:
                    key.fileobj.close()
        self._wake_write.send(b"w")


def allowed_hosts(address: str, port: int) -> frozenset[str]:
    """The Host headers that name this server: the address it listens on (and localhost for
    a loopback address), with the port, and without it on port 80.

    A web page whose name an attacker points at 127.0.0.1 (DNS rebinding)
    reaches the preview with its own name in Host; that is refused.
    """
    names = {address.lower()}
    if address.startswith("127.") or address == "::1":
        names |= {"localhost", "127.0.0.1", "[::1]"}
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return frozenset(hosts)


def open_server(state: PreviewState, port: int) -> PreviewServer:
    """Listen on 127.0.0.1:port; ServeError with one line of advice when the port is taken."""
    try:
        server = PreviewServer((HOST, port), make_handler(state))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {HOST} is in use (another preview or program); "
                             f"choose another with --port N, or --port 0 for any free one") from None
        if exc.errno == errno.EACCES:
            raise ServeError(f"port {port} on {HOST} may not be used by this user; choose one above 1023 "
                             "with --port N") from None
        raise ServeError(f"cannot listen on {HOST}:{port} ({exc.strerror or exc})") from None
    server.state = state            # type: ignore[attr-defined]
    return server


def make_handler(state: PreviewState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "wuxi-archive-preview"
        timeout = IDLE_SECONDS        # an idle or half-open connection gives its thread back

        def log_message(self, format: str, *args: object) -> None:   # noqa: A002 - stdlib's name
            pass   # a page load is dozens of requests; the terminal is for build reports

        def _send(self, status: int, body: bytes, content_type: str, head_only: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def _not_found(self, head_only: bool) -> None:
            """The site's 404.html (with the reload script: the missing page may come), else plain text."""
            try:
                page = (state.site_root / NOT_FOUND_PAGE).read_bytes()
            except OSError:
                return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", head_only)
            self._send(HTTPStatus.NOT_FOUND, inject_livereload(page), "text/html; charset=utf-8", head_only)

        def do_HEAD(self) -> None:
            self.do_GET(head_only=True)

        def do_GET(self, head_only: bool = False) -> None:
            host = (self.headers.get("Host") or "").strip().lower()
            if host not in self.server.allowed_hosts:   # type: ignore[attr-defined]
                return self._send(HTTPStatus.MISDIRECTED_REQUEST, b"this preview answers only to "
                                  + ", ".join(sorted(self.server.allowed_hosts)).encode() + b"\n",  # type: ignore[attr-defined]
                                  "text/plain; charset=utf-8", head_only)
            if self.path == STAMP_PATH:
                return self._send(200, str(state.stamp).encode(), "text/plain; charset=utf-8", head_only)
            if self.path == SCRIPT_PATH:
                return self._send(200, state.livereload_js, "text/javascript; charset=utf-8", head_only)
            if self.path == ERRORS_PATH:
                return self._send(200, state.errors.encode("utf-8"), "text/plain; charset=utf-8", head_only)
            target = site_file(state.site_root, self.path)
            if target is None:
                return self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain; charset=utf-8", head_only)
            try:
                body = target.read_bytes()
            except OSError:
                return self._not_found(head_only)
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
                kind += "; charset=utf-8"
            if target.suffix == ".html":
                body = inject_livereload(body)
            self._send(200, body, kind, head_only)

    return Handler


def inject_livereload(html: bytes) -> bytes:
    """Add the reload script before the last </body> (or at the end)."""
    at = html.rfind(b"</body>")
    script = INJECT.encode()
    return html[:at] + script + html[at:] if at >= 0 else html + script


class WatchedFiles:
    """Which changed paths call for a rebuild: anything under a watched folder, a watched
    file (the config, which may not exist yet), never the built site itself, nor an editor's
    swap or backup file (watchfiles' default filter)."""

    def __init__(self, paths: list[Path], site_root: Path) -> None:
        import watchfiles

        self.folders = [p.resolve() for p in paths if p.is_dir()]
        self.files = {p.resolve() for p in paths if not p.is_dir()}
        self.site_root = site_root.resolve()
        self._default = watchfiles.DefaultFilter()

    def __call__(self, change: object, path: str) -> bool:
        if not self._default(change, path):
            return False
        target = Path(path)
        if target == self.site_root or self.site_root in target.parents:
            return False
        return target in self.files or any(folder == target or folder in target.parents for folder in self.folders)

    def watches(self) -> list[tuple[list[Path], bool]]:
        """(paths, recursive) for each watcher to start: the folders with all they hold, and the
        folders a watched file is in, alone (a file saved by rename, or made later, is seen there)."""
        parents = sorted({f.parent for f in self.files if f.parent.is_dir()} - set(self.folders))
        return [(group, recursive) for group, recursive in ((self.folders, True), (parents, False)) if group]


def start_watchers(keep: WatchedFiles, stop: threading.Event) -> queue.Queue:
    """Register the watches now (so no change made after this returns is missed) and run each
    watcher in a thread of its own that queues the changes `keep` lets through.

    watchfiles' Rust backend is used directly, as its documentation shows, because
    `watchfiles.watch` registers only when first iterated, in the watcher's thread: an edit
    made as the preview comes up could be lost.
    """
    from watchfiles import Change
    from watchfiles._rust_notify import RustNotify

    polling = os.environ.get("WATCHFILES_FORCE_POLLING", "").lower() not in ("", "0", "false")
    changed: queue.Queue = queue.Queue()

    def run(notify: RustNotify) -> None:
        with notify:
            while not stop.is_set():
                try:
                    raw = notify.watch(SETTLE_MAX_MS, SETTLE_MS, 5_000, stop)
                except Exception:   # a watcher that fails (a folder deleted) says so; the preview serves on
                    traceback.print_exc()
                    return
                if isinstance(raw, set):
                    kept = {(Change(c), path) for c, path in raw if keep(Change(c), path)}
                    if kept:
                        changed.put(kept)

    for group, recursive in keep.watches():
        notify = RustNotify([str(p) for p in group], False, polling, 300, recursive, False)
        threading.Thread(target=run, args=(notify,), name="preview-watch", daemon=True).start()
    return changed


def watch(paths: Callable[[], list[Path]], rebuild: Callable[[], Rebuilt | bool], state: PreviewState,
          stop: threading.Event, changed: queue.Queue | None = None) -> None:
    """Wait for file events; rebuild after a change settles, bump the stamp when the site
    changed, and keep the build's errors for the open pages (PreviewState.record).

    Watchers run in threads of their own and queue what changed, so a change made while a
    rebuild runs is not lost: it brings one more rebuild. `changed`: watchers started already.
    """
    if changed is None:
        changed = start_watchers(WatchedFiles(paths(), state.site_root), stop)
    while not stop.is_set():
        try:
            changed.get(timeout=1.0)
        except queue.Empty:
            continue
        while not changed.empty():          # several watchers, or changes during the last rebuild: one build
            changed.get_nowait()
        try:
            outcome = rebuild()
        except Exception:   # a crash in one rebuild must not stop the preview; the last good site stays
            traceback.print_exc()
            outcome = Rebuilt(False, "the rebuild crashed:\n" + traceback.format_exc(limit=-3))
        state.record(outcome)


def serve(site_root: Path, port: int, watched: Callable[[], list[Path]], rebuild: Callable[[], Rebuilt | bool],
          livereload_js: bytes, errors: str = "", server: PreviewServer | None = None) -> None:
    """Serve `site_root` on 127.0.0.1:port until interrupted; `rebuild` runs after each change.
    `errors`: the first build's, shown over the pages until a rebuild goes without. `server`
    is one open_server made already (so a busy port is told before the first build)."""
    if server is None:
        server = open_server(PreviewState(site_root, livereload_js), port)
    state: PreviewState = server.state      # type: ignore[attr-defined]
    state.errors = errors
    stop = threading.Event()
    changed = start_watchers(WatchedFiles(watched(), site_root), stop)   # before the first page is served
    watcher = threading.Thread(target=watch, args=(watched, rebuild, state, stop, changed), daemon=True)
    watcher.start()
    print(f"serving http://{HOST}:{server.server_address[1]}/ (watching for changes; Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        stop.set()
        server.server_close()
