"""Write the search index's files (index/search.py builds them) into the site.

The index numbers documents across the whole archive and buckets postings by
gram, so any change of text changes shards all over: the shards are made
again whenever an article changed. What they are made from need not be: the
postings of each chunk of consecutive documents (index.search.chunk_bounds:
where a chunk ends depends on document ids alone) are kept in the store,
numbered from the chunk's start and keyed by its articles' record digests,
so a rebuild reads the paragraphs of, and indexes, only the chunks holding a
new or changed article, wherever in the archive it lands: the chunks after
it hold the same articles, their postings shifted by one number. A memo
entry keyed by every article's record digest lists the files the last build
wrote: a build whose articles are all unchanged keeps them without loading
anything. A build writes only the files whose bytes changed.
"""
from __future__ import annotations

import json
from typing import Callable, Iterable

from ..page_keys import KeyedBlobs
import zlib
from typing import Sequence

import numpy as np

from ..index.search import (_SCORE_BITS, SearchDoc, SearchIndex, _chunk_postings, build_search_files, chunk_bounds,
                            numbered, search_doc, text_bytes)
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
            _keep_chunks(memo, digest_of, articles)
            return SearchIndex(index_bytes=sum(size for _, size in listing["files"].values()),
                               text_bytes=listing["text_bytes"], documents=len(articles),
                               paths=list(listing["files"]))
    if memo and digest_of:
        chunks = RememberedChunks(memo, digest_of, articles, load_bodies)
        files = build_search_files([listed_doc(a) for a in articles], chunks.postings)
        indexed_bytes = chunks.text_bytes
    else:
        if load_bodies:
            load_bodies(articles)
        docs = [search_doc(a) for a in articles]
        files = build_search_files(docs)
        indexed_bytes = text_bytes(docs)
    listing = {"files": {}, "text_bytes": indexed_bytes}
    for path, data in files.items():
        digest = content_digest(data)
        writer.write(path, data, digest)
        listing["files"][path] = [digest, len(data)]
    if key:
        memo.put(key, json.dumps(listing, sort_keys=True).encode("utf-8"))
    return SearchIndex(index_bytes=sum(map(len, files.values())), text_bytes=listing["text_bytes"],
                       documents=len(articles), paths=list(files), rebuilt=1)


def _keep_chunks(memo: KeyedBlobs, digest_of: Callable[[Article], str], articles: list[Article]) -> None:
    """Mark every chunk's stored postings as used: a build that keeps the search files reads
    none of them, and the store forgets what a build did not use."""
    by_id = {a.id: a for a in articles}
    ordered = numbered(listed_doc(a) for a in articles)
    for start, end in chunk_bounds(ordered):
        memo.used.add(chunk_key(memo, digest_of, [by_id[d.id] for d in ordered[start:end]]))


def chunk_key(memo: KeyedBlobs, digest_of: Callable[[Article], str], articles: list[Article]) -> str:
    """The store's key of a chunk's postings: its articles' digests, in order (the postings are
    numbered from the chunk's start, so where the chunk starts is not part of them)."""
    return memo.key("search chunk from 0", *map(digest_of, articles))


def listed_doc(article: Article) -> SearchDoc:
    """What numbering and the document blocks need of an article: no text to index."""
    return SearchDoc(article.id, article.clean.title, article.clean.date or "", (), "")


class RememberedChunks:
    """index.search.ChunkPostings that keeps each chunk's postings in the store.

    A chunk's key is its articles' record digests (salted with the code and
    config by the memo): the same key, the same postings, which are stored
    numbered from 0 and moved to the chunk's first number when read. Both
    kinds (bigrams, characters) are made together, the characters' kept here
    until asked for. A stored entry that does not decode is made again."""

    def __init__(self, memo: KeyedBlobs, digest_of: Callable[[Article], str], articles: list[Article],
                 load_bodies: Callable[[Iterable[Article]], None] | None) -> None:
        self.memo, self.digest_of, self.load_bodies = memo, digest_of, load_bodies
        self.by_id = {a.id: a for a in articles}
        self.characters: dict[int, np.ndarray] = {}
        self.text_bytes = 0
        self.made = 0               # chunks indexed from their text this build

    def postings(self, docs: Sequence[SearchDoc], first_doc: int, pairs: bool) -> np.ndarray:
        if not pairs and first_doc in self.characters:
            return self.characters.pop(first_doc)
        articles = [self.by_id[d.id] for d in docs]
        key = chunk_key(self.memo, self.digest_of, articles)
        # Numbered from 0 in the store: read back with the chunk's first number added to each.
        found = _decoded(self.memo.get(key), first_doc)
        if found is None:
            if self.load_bodies:
                self.load_bodies(articles)
            full = [search_doc(a) for a in articles]
            size, bigrams, characters = text_bytes(full), _chunk_postings(full, 0, True), _chunk_postings(full, 0, False)
            self.memo.put(key, _encoded(size, bigrams, characters))
            shift = np.uint64(first_doc << _SCORE_BITS)
            found = size, bigrams + shift, characters + shift
            self.made += 1
        size, bigrams, characters = found
        self.text_bytes += size
        if pairs:
            self.characters[first_doc] = characters
            return bigrams
        return characters


def _encoded(size: int, bigrams: np.ndarray, characters: np.ndarray) -> bytes:
    """A chunk's entry: a header line (the store reads blobs' first lines), then, compressed, each
    kind's postings as three arrays of 32 bits: its distinct grams, each one's count of postings,
    and each posting's document and score. Half the bytes of the packed postings, and
    decompressing them is what a rebuild spends most on reading a chunk."""
    kinds = [_columns(bigrams), _columns(characters)]
    counts = " ".join(f"{len(grams)} {len(low)}" for grams, _, low in kinds)
    head = f"search chunk {size} {counts}\n".encode("ascii")
    return head + zlib.compress(b"".join(column.astype("<u4").tobytes() for kind in kinds for column in kind), 1)


def _columns(packed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted packed postings as (distinct grams, postings of each, document << 7 | score)."""
    grams = packed >> np.uint64(32)
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]]) if len(packed) else np.zeros(0, dtype=np.int64)
    return grams[starts], np.diff(np.r_[starts, len(packed)]), packed & np.uint64(0xFFFFFFFF)


def _decoded(entry: bytes | None, first_doc: int) -> tuple[int, np.ndarray, np.ndarray] | None:
    """A chunk's entry read back, its postings numbered from `first_doc`; None if it does not decode."""
    if entry is None:
        return None
    try:
        head, _, body = entry.partition(b"\n")
        _, _, size, *counts = head.decode("ascii").split(" ")
        pair_grams, pairs, single_grams, singles = map(int, counts)
        data = np.frombuffer(zlib.decompress(body), dtype="<u4")
        if len(data) != 2 * pair_grams + pairs + 2 * single_grams + singles:
            return None
        shift = np.uint64(first_doc << _SCORE_BITS)
        kinds, at = [], 0
        for distinct, postings in ((pair_grams, pairs), (single_grams, singles)):
            grams, counts_of, low = np.split(data[at:at + 2 * distinct + postings], [distinct, 2 * distinct])
            if int(counts_of.sum()) != postings:
                return None
            kinds.append((np.repeat(grams.astype(np.uint64), counts_of) << np.uint64(32)) | (low + shift))
            at += 2 * distinct + postings
        return int(size), kinds[0], kinds[1]
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None
