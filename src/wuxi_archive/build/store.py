"""The build's store: one SQLite database beside the output folder.

It keeps what makes a rebuild cheap, in five tables:

- `outcomes`: each seed's outcome by content key, in three parts (what every
  build reads; the articles' paragraphs, for pages rendered again; the
  details only a cleaning report needs), each msgspec JSON;
- `seeds`: the SHA-256 of each seed's bytes by its size, mtime, ctime and
  inode, so that a rebuild hashes only the seeds that changed;
- `memos`: dicts kept under a version (pinyin read so far, the last site's
  manifest, what render reuses);
- `memo_rows`: memos kept a row per key, under their memo's version in `memos`
  (the related lists, an article a row: a rebuild writes the rows it changed);
- `blobs`: bytes by key (the search index's blocks).

Everything is data (JSON, never pickle): a store restored by CI cannot run
code. Writes happen in transactions, so a killed build leaves the store as
its last commit; a store of another format, or one SQLite cannot read, is
deleted and made afresh with a notice, never trusted.
"""
from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Iterator

from ..plain import from_json, to_json
from ..fingerprint import FORMAT

STORE_FILE = "store.sqlite"
SeedStamp = tuple[int, int, int, int]          # size, mtime_ns, ctime_ns, inode
OutcomeParts = tuple[bytes, bytes, bytes]       # light, bodies, details
BUSY_SECONDS = 60          # how long a write waits for another build's transaction to end

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seeds (name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
                                  inode INTEGER, sha256 BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outcomes (key TEXT PRIMARY KEY, light BLOB NOT NULL, bodies BLOB NOT NULL,
                                     details BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS memos (name TEXT PRIMARY KEY, version TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS memo_rows (memo TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL,
                                      PRIMARY KEY (memo, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, data BLOB NOT NULL);
"""


# SQLite's primary result codes that stand for an error of the file system.
_ERRNO_OF = {"SQLITE_FULL": errno.ENOSPC, "SQLITE_IOERR": errno.EIO, "SQLITE_CANTOPEN": errno.EACCES,
             "SQLITE_PERM": errno.EACCES, "SQLITE_READONLY": errno.EACCES}


def as_os_error(exc: sqlite3.Error, file: Path) -> OSError:
    """A store's SQLite error as the OSError it stands for, naming the store's file
    (so that the build tells it as any other file it could not write)."""
    name = getattr(exc, "sqlite_errorname", "")           # Python 3.11 on; SQLITE_IOERR_WRITE is an IOERR
    code = _ERRNO_OF.get("_".join(name.split("_")[:2]), 0)
    if code == errno.EACCES and _read_only_file_system(file):
        code = errno.EROFS
    return OSError(code, str(exc), str(file))


def _read_only_file_system(file: Path) -> bool:
    try:
        return bool(os.statvfs(file.parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def cache_dir_for(out_dir: Path) -> Path:
    """A hidden sibling of the output folder, untouched by the staging swap and never published."""
    out = out_dir.resolve()
    return out.with_name(f".{out.name}.cache")


class Store:
    """The store in `folder` (made when missing). `notices` says what was found wrong and rebuilt."""

    def __init__(self, folder: Path) -> None:
        self._attach(folder, read_only=False)
        self._db = self._open()

    def _attach(self, folder: Path, read_only: bool) -> None:
        """What a store knows before it connects, for both ways of opening one."""
        self.folder = folder
        self.file = folder / STORE_FILE
        self.notices: list[str] = []
        self.used: set[str] = set()           # the blobs this build asked for (keep_blobs)
        self.read_only = read_only
        self._pid = os.getpid()
        self._inherited: list[sqlite3.Connection] = []      # connections of a parent, after a fork

    @classmethod
    def reader(cls, folder: Path) -> Store | None:
        """The store in `folder` opened to read only (`check` writes nothing): None when
        there is none, or one of another version, or one SQLite cannot read."""
        store = cls.__new__(cls)
        store._attach(folder, read_only=True)
        if not store.file.is_file():
            return None
        try:
            store._db = store._connect()
            found = dict(store._db.execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.Error:
            return None
        return store if found.get("format") == str(FORMAT) else None

    # -- opening -------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """The store's connection, the store emptied first when it was made by another version.

        Two builds may open one store at once (they queue for the output folder
        only later), so a store is never deleted while it may be open: a missing
        one is made by connecting (SQLite makes the file once), one of another
        format is emptied in a transaction. Only a file SQLite cannot read at all
        is deleted. An error that says nothing of the contents (locked, read-only,
        disk full) is raised: the store is not deleted for it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._retire_older_caches()
        try:
            return self._checked(self._connect())
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as exc:            # not a database, or a damaged one
            self.notices.append(f"{self.file}: unreadable ({exc}): started afresh")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
            return self._checked(self._connect())

    def _checked(self, db: sqlite3.Connection) -> sqlite3.Connection:
        """`db`, emptied and marked with this format unless it holds it (`meta` keeps its
        two columns in every format: it is how a store says which one it is)."""
        try:
            with _Transaction(db):
                found = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
                if found and found[0] == str(FORMAT):
                    return db
                if found:
                    self.notices.append(f"{self.file}: made by another version of wuxi-archive: started afresh")
                tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                for name in tables:
                    if name != "meta":
                        db.execute('DROP TABLE "{}"'.format(name.replace('"', '""')))
                db.execute("DELETE FROM meta")
                for statement in filter(str.strip, _SCHEMA.split(";")):    # executescript would commit
                    db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('format', ?)", (str(FORMAT),))
            return db
        except BaseException:
            db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            return sqlite3.connect(f"{self.file.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
        # Autocommit: each write stands alone unless `transaction` groups them.
        db = sqlite3.connect(self.file, isolation_level=None, timeout=BUSY_SECONDS)
        try:
            _write_ahead(db)                         # readers (check, serve) read while a build writes
            db.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint: a cache may lose its last write
            db.executescript(_SCHEMA)
        except BaseException:
            db.close()             # before the file is deleted (a damaged store), or the error told
            raise
        return db

    def _retire_older_caches(self) -> None:
        """Earlier versions kept a folder of JSON files here: gone, with a notice, once."""
        old = [p for p in self.folder.iterdir() if not p.name.startswith(STORE_FILE)]
        if not old:
            return
        for path in old:
            if path.is_dir():
                import shutil
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        self.notices.append(f"{self.folder}: the cache of an earlier version was replaced by {STORE_FILE}")

    @property
    def db(self) -> sqlite3.Connection:
        """The connection of this process: a process forked from the build opens its own
        (SQLite connections must not cross a fork)."""
        if os.getpid() != self._pid:
            # The parent's connection is kept referenced, never closed here: closing it in
            # the child could run SQLite's close-time checkpoint on a file the parent holds.
            self._inherited.append(self._db)
            self._pid, self._db = os.getpid(), self._connect()
        return self._db

    def close(self) -> None:
        """Close, the write-ahead log folded back into the file: a closed store is one file,
        which `check` reads without writing beside it."""
        if os.getpid() != self._pid:
            return
        if not self.read_only:
            try:
                self._db.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error:
                pass          # another build has it open: its log stays until that one closes
        self._db.close()

    # -- seeds' content hashes -----------------------------------------------------------------

    def seed_hashes(self) -> dict[str, tuple[SeedStamp, bytes]]:
        return {name: ((size, mtime, ctime, inode), bytes(sha))
                for name, size, mtime, ctime, inode, sha in self.db.execute("SELECT * FROM seeds")}

    def save_seed_hashes(self, changed: dict[str, tuple[SeedStamp, bytes]], seen: set[str]) -> None:
        """Record the hashes made this build, and forget seeds no longer in the folder."""
        if self.read_only:
            return
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO seeds VALUES (?, ?, ?, ?, ?, ?)",
                           [(name, *stamp, sha) for name, (stamp, sha) in sorted(changed.items())])
            gone = [(name,) for (name,) in db.execute("SELECT name FROM seeds") if name not in seen]
            db.executemany("DELETE FROM seeds WHERE name = ?", gone)

    # -- seed outcomes -------------------------------------------------------------------------

    def outcome_keys(self) -> set[str]:
        return {key for (key,) in self.db.execute("SELECT key FROM outcomes")}

    def light_parts(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The first part of each outcome stored under these keys (what every build reads)."""
        wanted = sorted(set(keys))
        found: dict[str, bytes] = {}
        for start in range(0, len(wanted), 500):       # SQLite's limit on bound parameters
            batch = wanted[start:start + 500]
            marks = ",".join("?" * len(batch))
            found.update(self.db.execute(f"SELECT key, light FROM outcomes WHERE key IN ({marks})", batch))
        return found

    def part(self, key: str, name: str) -> bytes | None:
        """`bodies` or `details` of one outcome."""
        assert name in ("bodies", "details")
        row = self.db.execute(f"SELECT {name} FROM outcomes WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def put_outcomes(self, rows: Iterable[tuple[str, OutcomeParts]]) -> None:
        if self.read_only:
            return
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?)",
                           [(key, *parts) for key, parts in rows])

    def keep_outcomes(self, keys: set[str]) -> None:
        """Forget the outcomes of seeds this build did not use: the store tracks the seeds folder."""
        if self.read_only:
            return
        with self.transaction() as db:
            gone = [(key,) for (key,) in db.execute("SELECT key FROM outcomes") if key not in keys]
            db.executemany("DELETE FROM outcomes WHERE key = ?", gone)

    # -- memos (page_keys.Memos) -------------------------------------------------------------

    def load(self, name: str, version: str) -> dict:
        row = self.db.execute("SELECT version, data FROM memos WHERE name = ?", (name,)).fetchone()
        if not row or row[0] != version:
            return {}
        try:
            data = from_json(dict, bytes(row[1]))
        except ValueError:
            return {}
        return data

    def save(self, name: str, version: str, data: dict) -> None:
        if self.read_only:
            return
        try:
            encoded = to_json(data, sort_keys=True)
        except UnicodeEncodeError:       # a lone surrogate (a file name no codec decodes): not kept
            return
        self.db.execute("INSERT OR REPLACE INTO memos VALUES (?, ?, ?)", (name, version, encoded))

    def iter_rows(self, name: str, version: str) -> Iterator[tuple[str, bytes]]:
        """The rows of memo `name` (save_rows) as (key, data), one at a time; none when they were
        saved under another version. One at a time: a reader that keeps little of each row need
        not hold every row's bytes at once (190 MB of related lists at 100,000 articles)."""
        if _memo_version(self.db, name) != version:
            return
        for key, data in self.db.execute("SELECT key, data FROM memo_rows WHERE memo = ?", (name,)):
            yield key, bytes(data)

    def save_rows(self, name: str, version: str, rows: dict[str, bytes], gone: Iterable[str]) -> None:
        """Write these rows of memo `name` and delete those of the keys `gone`, in one
        transaction; rows of another version are deleted first."""
        if self.read_only or not (rows or gone):
            return
        with self.transaction() as db:
            if _memo_version(db, name) != version:
                db.execute("DELETE FROM memo_rows WHERE memo = ?", (name,))
                db.execute("INSERT OR REPLACE INTO memos VALUES (?, ?, ?)", (name, version, b"{}"))
            db.executemany("INSERT OR REPLACE INTO memo_rows VALUES (?, ?, ?)",
                           [(name, key, data) for key, data in sorted(rows.items())])
            db.executemany("DELETE FROM memo_rows WHERE memo = ? AND key = ?", [(name, key) for key in sorted(gone)])

    # -- blobs (page_keys.Blobs) -------------------------------------------------------------

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        row = self.db.execute("SELECT data FROM blobs WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def head(self, key: str) -> bytes | None:
        """A blob's first line alone (what it says of itself)."""
        self.used.add(key)
        row = self.db.execute("SELECT substr(data, 1, instr(data, x'0a')) FROM blobs WHERE key = ?",
                              (key,)).fetchone()
        return bytes(row[0]) if row and row[0] else None

    def put(self, key: str, data: bytes) -> None:
        if self.read_only:
            return
        self.used.add(key)
        self.db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (key, data))

    def keep_blobs(self) -> None:
        """Forget the blobs this build did not use."""
        if self.read_only:
            return
        with self.transaction() as db:
            gone = [(key,) for (key,) in db.execute("SELECT key FROM blobs") if key not in self.used]
            db.executemany("DELETE FROM blobs WHERE key = ?", gone)

    # -- transactions --------------------------------------------------------------------------

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)


def _memo_version(db: sqlite3.Connection, name: str) -> str | None:
    found = db.execute("SELECT version FROM memos WHERE name = ?", (name,)).fetchone()
    return found[0] if found else None


def _write_ahead(db: sqlite3.Connection) -> None:
    """Put the store in write-ahead-log mode. The switch needs the file to itself, and
    SQLite answers "locked" at once, without waiting, while another build opens the same
    store: it is tried again until the store's usual wait is over."""
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class _Transaction:
    """`with store.transaction() as db:` the writes inside commit together, or not at all."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        try:
            if not kind:
                self.db.execute("COMMIT")
                return
        except BaseException:
            self._roll_back()     # a COMMIT that failed (a full disk) leaves the transaction open
            raise
        self._roll_back()

    def _roll_back(self) -> None:
        # SQLite may have rolled back already (after a full disk or I/O error): a ROLLBACK
        # then fails, and its error would hide the one that matters.
        if self.db.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
