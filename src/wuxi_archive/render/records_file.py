"""data/articles.json: every record, by id, byte for byte as json.dumps(records, indent=1).

At 10,000 articles the file is 80 MB, and a rebuild after one new seed
changes one record of it. The records the last build wrote are reused from
its file (an index in the cache says where each one is and under which
digest it was made), the workers' new ones are used as they made them, and
only the rest are made here, so a rebuild neither reads every record back
from the cache nor writes each one again as JSON.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..cache import PageKeys, load_memo, save_memo
from ..records import Article, PreparedArticle, record_text
from .writer import SiteWriter

ARTICLES_JSON_PATH = "data/articles.json"

Span = tuple[str, str, int, int]      # article id, record digest, start and end in the file


class PreviousRecords:
    """The records of the articles.json the last build wrote, where its index still describes it."""

    def __init__(self, data: bytes, spans: list[Span]) -> None:
        self._data = data
        self._where = {article_id: (digest, start, end) for article_id, digest, start, end in spans}

    @classmethod
    def load(cls, index_file: Path, writer: SiteWriter) -> PreviousRecords | None:
        """The last build's records, or None when its file or index is missing or not
        what that build left (edited by hand, another build's, unreadable)."""
        entry = writer.previous.get(ARTICLES_JSON_PATH)
        if entry is None or writer.on_disk.get(ARTICLES_JSON_PATH) != tuple(entry[:2]):
            return None
        saved = load_memo(index_file, entry[2])       # saved under the key that file was written with
        try:
            data = writer.out_dir.joinpath(*ARTICLES_JSON_PATH.split("/")).read_bytes()
            if len(data) != entry[0]:
                return None
            return cls(data, [(str(i), str(d), int(s), int(e)) for i, d, s, e in saved["spans"]])
        except (OSError, KeyError, TypeError, ValueError):
            return None

    def record(self, article_id: str, digest: str) -> bytes | None:
        """The article's record as last written, if it was made from the same digest."""
        found = self._where.get(article_id)
        if found is None or found[0] != digest:
            return None
        return self._data[found[1]:found[2]]


def articles_json(articles: list[Article], prepared: dict[str, PreparedArticle] | None = None,
                  previous: PreviousRecords | None = None, digest_of: Callable[[Article], str] | None = None,
                  complete: Callable[[list[Article]], None] | None = None) -> tuple[bytearray, list[Span]]:
    """The file's bytes, and where each record is in them.

    Made one record at a time, each indented one level deeper (JSON strings
    hold no raw newlines, so prefixing every line is exact), into one buffer.
    A record is, first found: the one a worker made (`prepared`), the one
    `previous` holds under the article's digest (`digest_of`), or made here,
    after `complete` gives the article its paragraphs and removed lines.
    """
    ordered = sorted(articles, key=lambda a: a.id)
    if not ordered:
        return bytearray(b"[]\n"), []
    prepared = prepared or {}
    digests = [digest_of(a) if digest_of else "" for a in ordered]
    chunks: list[bytes | None] = []
    for article, digest in zip(ordered, digests):
        known = prepared.get(article.id)
        if known is not None and known.record:
            chunks.append(known.record.encode("utf-8"))
        else:
            chunks.append(previous.record(article.id, digest) if previous is not None and digest else None)
    missing = [a for a, chunk in zip(ordered, chunks) if chunk is None]
    if missing and complete:
        complete(missing)
    out = bytearray(b"[\n")
    spans: list[Span] = []
    for n, (article, digest, chunk) in enumerate(zip(ordered, digests, chunks)):
        out += b",\n " if n else b" "
        start = len(out)
        out += chunk if chunk is not None else record_text(article).encode("utf-8")
        spans.append((article.id, digest, start, len(out)))
    out += b"\n]\n"
    return out, spans


def write_articles_json(writer: SiteWriter, articles: list[Article], keys: PageKeys | None,
                        prepared: dict[str, PreparedArticle], digest_of: Callable[[Article], str],
                        index_file: Path | None = None, complete: Callable[[list[Article]], None] | None = None,
                        ) -> None:
    """Write data/articles.json, keyed by its records' digests (kept, unmade, while they are
    unchanged); with `index_file`, reuse the last build's records and save where this one's are."""
    key = keys.key(ARTICLES_JSON_PATH, *(digest_of(a) for a in sorted(articles, key=lambda a: a.id))) if keys else None
    if key and writer.keep(ARTICLES_JSON_PATH, key):
        return
    previous = PreviousRecords.load(index_file, writer) if index_file and key else None
    data, spans = articles_json(articles, prepared, previous, digest_of, complete)
    writer.write(ARTICLES_JSON_PATH, data, digest=key)
    if index_file and key:
        save_memo(index_file, key, {"spans": spans})
