"""data/articles.json: a JSON array of every record, by id, one compact record a line.

At 10,000 articles the file is 80 MB, and a rebuild after one new seed
changes one record of it. The records the last build wrote are reused from
its file (an index in the cache says where each one is and under which
digest it was made), the workers' new ones are used as they made them, and
only the rest are made here, so a rebuild neither reads every record back
from the cache nor writes each one again as JSON. The kernel copies the
reused runs of records from the old file into the new one: their 80 MB never
pass through Python. The workers' records wait in a spool file
(record_spool.py) and are read from it a piece at a time as the file
is written: the build never holds them all.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from ..page_keys import Memos, PageKeys
from ..records import RECORD_SEPARATOR, Article, PreparedArticle, record_text
from .writer import Piece, SiteWriter

if TYPE_CHECKING:
    from ..record_spool import RecordSpool

ARTICLES_JSON_PATH = "data/articles.json"
RECORDS_INDEX = "articles-index"      # the memo of where each record is in the file

Span = tuple[str, str, int, int]      # article id, record digest, start and end in the file
# Seeds whose articles' records are made here at once (their details loaded together).
SEEDS_AT_ONCE = 64


class PreviousRecords:
    """Where the records of the articles.json the last build wrote are, while its index still describes it."""

    def __init__(self, file: Path, spans: list[Span]) -> None:
        self.file = file
        self._where = {article_id: (digest, start, end) for article_id, digest, start, end in spans}

    @classmethod
    def load(cls, memos: Memos, writer: SiteWriter) -> PreviousRecords | None:
        """The last build's records, or None when its file or index is missing or not
        what that build left (edited by hand, another build's, unreadable)."""
        entry = writer.previous.get(ARTICLES_JSON_PATH)
        if entry is None or writer.on_disk.get(ARTICLES_JSON_PATH) != tuple(entry[:2]):
            return None
        saved = memos.load(RECORDS_INDEX, entry[2])    # saved under the key that file was written with
        file = writer.out_dir.joinpath(*ARTICLES_JSON_PATH.split("/"))
        try:
            spans = [(str(i), str(d), int(s), int(e)) for i, d, s, e in saved["spans"]]
            if file.stat().st_size != entry[0] or any(not 0 <= s <= e <= entry[0] for _, _, s, e in spans):
                return None
            return cls(file, spans)
        except (OSError, KeyError, TypeError, ValueError):
            return None

    def digest(self, article_id: str) -> str | None:
        """The digest the article's record was made from, None for an article the file lacks."""
        found = self._where.get(article_id)
        return found[0] if found else None

    def ids(self) -> list[str]:
        return list(self._where)

    def read(self, article_id: str) -> dict | None:
        """The article's record as the last build wrote it (None if it is not there, or unreadable)."""
        found = self._where.get(article_id)
        if found is None:
            return None
        try:
            with open(self.file, "rb") as f:
                f.seek(found[1])
                record = json.loads(f.read(found[2] - found[1]))
            return record if isinstance(record, dict) else None
        except (OSError, ValueError):
            return None

    def record(self, article_id: str, digest: str) -> tuple[int, int] | None:
        """Where the article's record is in the last file, if it was made from the same digest."""
        found = self._where.get(article_id)
        if found is None or found[0] != digest:
            return None
        return found[1], found[2]


SEPARATOR, FIRST, END = RECORD_SEPARATOR, b"[\n", b"\n]\n"


def articles_json(articles: list[Article], prepared: dict[str, PreparedArticle] | None = None,
                  previous: PreviousRecords | None = None, digest_of: Callable[[Article], str] | None = None,
                  complete: Callable[[list[Article]], None] | None = None,
                  spool: RecordSpool | None = None) -> tuple[list[Piece | slice], list[Span]]:
    """The file as pieces (bytes, (start, end) ranges of `previous`'s file, slices of
    `spool`'s), and where each record is.

    Made one record at a time, one a line (JSON strings hold no raw
    newlines, so each record is exactly one line). A record is,
    first found: the one a worker made (`prepared`, or where `spool` keeps it), the one `previous`
    holds under the article's digest (`digest_of`), or made here, after
    `complete` gives the article its paragraphs and removed lines. Records
    next to each other in the last file, and here, are one range.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    if not ordered:
        return [b"[]\n"], []
    prepared = prepared or {}
    digests = [digest_of(a) if digest_of else "" for a in ordered]
    chunks: list[Piece | slice | None] = []
    for article, digest in zip(ordered, digests):
        known = prepared.get(article.id)
        spooled = spool.span(known) if spool is not None else None
        if known is not None and known.record:
            chunks.append(known.record.encode("utf-8"))
        elif spooled is not None:
            chunks.append(slice(*spooled))
        else:
            chunks.append(previous.record(article.id, digest) if previous is not None and digest else None)
    # The rest are made here (all of them when the store is kept but the site is not), a few
    # seeds at a time: each batch's details are loaded together, and, with a spool, its records
    # wait there. Made all at once, a 30,000-article build held 588 MB of details and 450 of records.
    missing = [n for n, chunk in enumerate(chunks) if chunk is None]
    for batch in _seed_batches(ordered, missing) if complete else [missing]:
        if complete:
            complete([ordered[n] for n in batch])
        made = [record_text(ordered[n]).encode("utf-8") for n in batch]
        places = [slice(*span) for span in spool.append(made)] if spool is not None else made
        for n, place in zip(batch, places):
            chunks[n] = place
    pieces: list[Piece | slice] = [FIRST]
    spans: list[Span] = []
    size = len(FIRST)
    for n, (article, digest, chunk) in enumerate(zip(ordered, digests, chunks)):
        assert chunk is not None
        if n:
            size += len(SEPARATOR)
            last = pieces[-1]
            # Both files, and the spool, put the same separator between two records.
            if isinstance(chunk, tuple) and isinstance(last, tuple) and last[1] + len(SEPARATOR) == chunk[0]:
                pieces[-1] = (last[0], chunk[1])
            elif isinstance(chunk, slice) and isinstance(last, slice) and last.stop + len(SEPARATOR) == chunk.start:
                pieces[-1] = slice(last.start, chunk.stop)
            else:
                pieces += [SEPARATOR, chunk]
        else:
            pieces.append(chunk)
        length = (chunk[1] - chunk[0] if isinstance(chunk, tuple)
                  else chunk.stop - chunk.start if isinstance(chunk, slice) else len(chunk))
        spans.append((article.id, digest, size, size + length))
        size += length
    pieces.append(END)
    return pieces, spans


def _seed_batches(ordered: list[Article], positions: list[int]) -> Iterator[list[int]]:
    """These positions of `ordered`, in batches of the articles of at most SEEDS_AT_ONCE seeds."""
    by_seed: dict[str, list[int]] = {}
    for n in positions:
        by_seed.setdefault(ordered[n].clean.seed, []).append(n)
    groups = list(by_seed.values())
    for at in range(0, len(groups), SEEDS_AT_ONCE):
        yield [n for group in groups[at:at + SEEDS_AT_ONCE] for n in group]


def joined(pieces: list[Piece | slice]) -> bytes:
    """The file's bytes, when it was made without a previous file or a spool (a range is a TypeError)."""
    return b"".join(pieces)  # type: ignore[arg-type]


def streamed(pieces: list[Piece | slice], spool: RecordSpool | None,
             hashed: hashlib.blake2b | None = None) -> Iterator[Piece]:
    """The pieces with the spool's slices read from it, a megabyte at a time; the bytes
    passed on also go into `hashed` (the ranges of another file do not)."""
    for piece in pieces:
        if isinstance(piece, slice):
            assert spool is not None
            for data in spool.read(piece.start, piece.stop):
                if hashed is not None:
                    hashed.update(data)
                yield data
        else:
            if hashed is not None and isinstance(piece, bytes):
                hashed.update(piece)
            yield piece


def write_articles_json(writer: SiteWriter, articles: list[Article], keys: PageKeys | None,
                        prepared: dict[str, PreparedArticle], digest_of: Callable[[Article], str],
                        memos: Memos | None = None, complete: Callable[[list[Article]], None] | None = None,
                        previous: PreviousRecords | None = None, spool: RecordSpool | None = None) -> str | None:
    """Write data/articles.json, keyed by its records' digests (kept, unmade, while they are
    unchanged); with `memos`, reuse the `previous` build's records and save where this
    one's are; `spool` holds the records the workers made. Returns the file's key (None without `keys`)."""
    key = keys.key(ARTICLES_JSON_PATH, *(digest_of(a) for a in sorted(articles, key=lambda a: a.id))) if keys else None
    if key and writer.keep(ARTICLES_JSON_PATH, key):
        return key
    previous = previous if memos and key else None
    pieces, spans = articles_json(articles, prepared, previous, digest_of, complete, spool)
    if previous is not None and key:
        writer.write_pieces(ARTICLES_JSON_PATH, streamed(pieces, spool), previous.file, key)
    elif any(isinstance(piece, slice) for piece in pieces):
        # Without a key (no cache), the file's digest is the hash of its bytes, as write() makes it.
        hashed = None if key else hashlib.blake2b(digest_size=16)
        writer.write_pieces(ARTICLES_JSON_PATH, streamed(pieces, spool, hashed), None,
                            key or (lambda: "c:" + hashed.hexdigest()))
    else:
        writer.write(ARTICLES_JSON_PATH, joined(pieces), digest=key)
    if memos and key:
        memos.save(RECORDS_INDEX, key, {"spans": spans})
    return key
