"""Write the search index's files (index/search.py builds them) into the site.

The index numbers documents across the whole archive and buckets postings by
gram, so any change of text changes shards all over: it is built whole, from
every article's text, whenever an article changed. A memo entry, keyed by
every article's record digest, lists the files the last such build wrote
and their digests: a build whose articles are all unchanged keeps those
files where they are without loading one article's paragraphs. A build that
does rebuild writes only the files whose bytes changed (the writer keeps
the rest).
"""
from __future__ import annotations

import json
from typing import Callable, Iterable

from ..page_keys import KeyedBlobs
from ..index.search import SearchIndex, build_search_files, search_doc, text_bytes
from ..records import Article
from .writer import SiteWriter, content_digest


def _kept(writer: SiteWriter, listing: dict) -> bool:
    files: dict[str, list] = listing["files"]
    # Every file or none: a file kept beside one written anew would mix two builds' numbering.
    return all(writer.unchanged(path) == digest for path, (digest, _) in files.items()) and all(
        writer.keep(path, digest) for path, (digest, _) in files.items())


def write_search_files(writer: SiteWriter, articles: list[Article], memo: KeyedBlobs | None = None,
                       digest_of: Callable[[Article], str] | None = None,
                       load_bodies: Callable[[Iterable[Article]], None] | None = None) -> SearchIndex:
    """Write every search file of `articles` through `writer`; what was written.

    With `memo` and `digest_of` (an article's record digest), an unchanged
    archive keeps last build's files; `load_bodies` gives articles their
    paragraphs before the index is built from them."""
    key = memo.key("search files", *map(digest_of, articles)) if memo and digest_of else None
    entry = memo.get(key) if key else None
    if entry is not None:
        listing = json.loads(entry)
        if _kept(writer, listing):
            return SearchIndex(index_bytes=sum(size for _, size in listing["files"].values()),
                               text_bytes=listing["text_bytes"], documents=len(articles),
                               paths=list(listing["files"]))
    if load_bodies:
        load_bodies(articles)
    docs = [search_doc(a) for a in articles]
    files = build_search_files(docs)
    listing = {"files": {}, "text_bytes": text_bytes(docs)}
    for path, data in files.items():
        digest = content_digest(data)
        writer.write(path, data, digest)
        listing["files"][path] = [digest, len(data)]
    if key:
        memo.put(key, json.dumps(listing, sort_keys=True).encode("utf-8"))
    return SearchIndex(index_bytes=sum(map(len, files.values())), text_bytes=listing["text_bytes"],
                       documents=len(docs), paths=list(files), rebuilt=1)
