"""Write the search index's files (index/search.py builds them) into the site.

The index is split into ranges of consecutive documents (index.search.
search_ranges: where a range ends depends on document ids alone), each with
files of its own. A memo entry for each range, keyed by its articles' record
digests, lists the files it wrote: a range whose articles are all unchanged
keeps its files without reading anything else, so an added article makes only
its own range's files again (and data/search-index.js). Within that range,
the postings of each chunk of consecutive documents (index.search.chunk_bounds)
are kept in the store too, numbered from the chunk's start and keyed by its
articles' record digests, so only the chunk holding a new or changed article
is indexed from its paragraphs. A memo entry keyed by every article's record
digest lists every file the last build wrote: a build whose articles are all
unchanged keeps them without loading anything. A build writes only the files
whose bytes changed.
"""
from __future__ import annotations

import json
import zlib
from typing import Callable, Iterable, Sequence

import numpy as np

from ..index.search import (_SCORE_BITS, INDEX_PATH, SearchDoc, SearchIndex, SearchRange, _chunk_postings,
                            build_search_files, index_script, numbered, range_files, search_doc, search_ranges,
                            text_bytes)
from ..free_memory import release_free_memory
from ..page_keys import KeyedBlobs
from ..records import Article
from .writer import SiteWriter, content_digest


def _kept(writer: SiteWriter, listing: dict) -> bool:
    files: dict[str, list] = listing["files"]
    # Every file or none: a file kept beside one written anew would mix two builds' numbering.
    return all(writer.unchanged(path) == digest for path, (digest, _) in files.items()) and all(
        writer.keep(path, digest) for path, (digest, _) in files.items())


def _written(writer: SiteWriter, files: dict[str, bytes]) -> dict[str, list]:
    """Write `files`; their listing (path: [digest, size])."""
    listing = {}
    for path, data in files.items():
        digest = content_digest(data)
        writer.write(path, data, digest)
        listing[path] = [digest, len(data)]
    return listing


def write_search_files(writer: SiteWriter, articles: list[Article], memo: KeyedBlobs | None = None,
                       digest_of: Callable[[Article], str] | None = None,
                       load_bodies: Callable[[Iterable[Article]], None] | None = None) -> SearchIndex:
    """Write every search file of `articles` through `writer`; what was written.

    With `memo` and `digest_of` (an article's record digest), an unchanged
    archive keeps last build's files, and an unchanged range its own;
    `load_bodies` gives articles their paragraphs before the index is built
    from them."""
    key = memo.key("search files", *map(digest_of, articles)) if memo and digest_of else None
    entry = memo.get(key) if key else None
    if entry is not None:
        listing = json.loads(entry)
        if _kept(writer, listing):
            _keep_ranges(memo, digest_of, articles)
            return SearchIndex(index_bytes=sum(size for _, size in listing["files"].values()),
                               text_bytes=listing["text_bytes"], documents=len(articles),
                               paths=list(listing["files"]))
    if memo and digest_of:
        listing = _write_by_range(writer, articles, memo, digest_of, load_bodies)
    else:
        if load_bodies:
            load_bodies(articles)
        docs = [search_doc(a) for a in articles]
        listing = {"files": _written(writer, build_search_files(docs)), "text_bytes": text_bytes(docs)}
    if key:
        memo.put(key, json.dumps(listing, sort_keys=True).encode("utf-8"))
    return SearchIndex(index_bytes=sum(size for _, size in listing["files"].values()),
                       text_bytes=listing["text_bytes"], documents=len(articles), paths=list(listing["files"]),
                       rebuilt=1)


def _write_by_range(writer: SiteWriter, articles: list[Article], memo: KeyedBlobs,
                    digest_of: Callable[[Article], str], load_bodies: Callable[[Iterable[Article]], None] | None
                    ) -> dict:
    """Write each range's files, or keep them where its memo entry lists them unchanged, then
    the index; the listing of every file, and the indexed text's bytes."""
    by_id = {a.id: a for a in articles}
    ordered = numbered(listed_doc(a) for a in articles)
    chunks = RememberedChunks(memo, digest_of, articles, load_bodies)
    files: dict[str, list] = {}
    counts, used, indexed = [], set(), 0
    for where in search_ranges(ordered):
        key = range_key(memo, digest_of, [by_id[d.id] for d in ordered[where.start:where.end]])
        entry = memo.get(key)
        listing = json.loads(entry) if entry is not None else None
        if listing is not None and listing.get("name") == where.name and _kept(writer, listing):
            _keep_chunks(memo, digest_of, by_id, ordered, where)
        else:
            before = chunks.text_bytes
            made = range_files(ordered, where, chunks.postings)
            listing = {"name": where.name, "files": _written(writer, made.files), "b": made.bigram_shards,
                       "c": made.char_shards, "used": made.used, "text_bytes": chunks.text_bytes - before}
            memo.put(key, json.dumps(listing, sort_keys=True).encode("utf-8"))
            # The range's shard files, written and gone: most are under the 1 MiB that is mapped
            # apart (free_memory.py), so they were in the heap, among what the build keeps.
            release_free_memory()
        files.update(listing["files"])
        counts.append((where, listing["b"], listing["c"]))
        used.update(listing["used"])
        indexed += listing["text_bytes"]
    files.update(_written(writer, {INDEX_PATH: index_script(ordered, counts, used)}))
    return {"files": files, "text_bytes": indexed}


def _keep_ranges(memo: KeyedBlobs, digest_of: Callable[[Article], str], articles: list[Article]) -> None:
    """Mark every range's memo entry and chunk postings as used: a build that keeps the search
    files reads none of them, and the store forgets what a build did not use."""
    by_id = {a.id: a for a in articles}
    ordered = numbered(listed_doc(a) for a in articles)
    for where in search_ranges(ordered):
        memo.used.add(range_key(memo, digest_of, [by_id[d.id] for d in ordered[where.start:where.end]]))
        _keep_chunks(memo, digest_of, by_id, ordered, where)


def _keep_chunks(memo: KeyedBlobs, digest_of: Callable[[Article], str], by_id: dict[str, Article],
                 ordered: Sequence[SearchDoc], where: SearchRange) -> None:
    for start, end in where.chunks:
        memo.used.add(chunk_key(memo, digest_of, [by_id[d.id] for d in ordered[start:end]]))


def range_key(memo: KeyedBlobs, digest_of: Callable[[Article], str], articles: list[Article]) -> str:
    """The store's key of a range's listing: its articles' digests, in order."""
    return memo.key("search range", *map(digest_of, articles))


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
    until asked for, as 32-bit columns (half the bytes: the characters of a
    large range are held while its bigrams are sorted and written). A stored
    entry that does not decode is made again."""

    def __init__(self, memo: KeyedBlobs, digest_of: Callable[[Article], str], articles: list[Article],
                 load_bodies: Callable[[Iterable[Article]], None] | None) -> None:
        self.memo, self.digest_of, self.load_bodies = memo, digest_of, load_bodies
        self.by_id = {a.id: a for a in articles}
        self.characters: dict[str, Columns] = {}     # by the chunk's first document
        self.text_bytes = 0
        self.made = 0               # chunks indexed from their text this build

    def postings(self, docs: Sequence[SearchDoc], first_doc: int, pairs: bool) -> np.ndarray:
        if not pairs and docs[0].id in self.characters:
            return _packed(self.characters.pop(docs[0].id), first_doc)
        articles = [self.by_id[d.id] for d in docs]
        key = chunk_key(self.memo, self.digest_of, articles)
        # Numbered from 0 in the store: read back with the chunk's first number added to each.
        found = _decoded(self.memo.get(key))
        if found is None:
            if self.load_bodies:
                self.load_bodies(articles)
            full = [search_doc(a) for a in articles]
            size, bigrams = text_bytes(full), _chunk_postings(full, 0, True)
            found = size, _columns(bigrams), _columns(_chunk_postings(full, 0, False))
            self.memo.put(key, _encoded(*found))
            bigrams += np.uint64(first_doc << _SCORE_BITS)
            characters = found[2]
            self.made += 1
        else:
            bigrams = _packed(found[1], first_doc)
            # Copied: the columns read back are views of the whole entry, bigrams and all.
            characters = tuple(column.copy() for column in found[2])
        self.text_bytes += found[0]
        # What decoding or making the chunk took lies in the heap among the characters' columns
        # kept for later, which held it resident until the range's end (a rebuild at 100,000
        # articles: 69 of the 161 MB a range of 12,791 added). Handed back now: 0.4 ms a chunk.
        release_free_memory()
        if pairs:
            self.characters[docs[0].id] = characters
            return bigrams
        return _packed(characters, first_doc)


# Sorted packed postings as three arrays of 32 bits: the distinct grams, each one's count of
# postings, and each posting's document << 7 | score.
Columns = tuple[np.ndarray, np.ndarray, np.ndarray]


def _encoded(size: int, bigrams: Columns, characters: Columns) -> bytes:
    """A chunk's entry: a header line (the store reads blobs' first lines), then, compressed, each
    kind's columns. Half the bytes of the packed postings, and decompressing them is what a
    rebuild spends most on reading a chunk."""
    counts = " ".join(f"{len(grams)} {len(low)}" for grams, _, low in (bigrams, characters))
    head = f"search chunk {size} {counts}\n".encode("ascii")
    return head + zlib.compress(b"".join(column.tobytes() for kind in (bigrams, characters) for column in kind), 1)


def _columns(packed: np.ndarray) -> Columns:
    grams = packed >> np.uint64(32)
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]]) if len(packed) else np.zeros(0, dtype=np.int64)
    return (grams[starts].astype("<u4"), np.diff(np.r_[starts, len(packed)]).astype("<u4"),
            (packed & np.uint64(0xFFFFFFFF)).astype("<u4"))


def _packed(columns: Columns, first_doc: int) -> np.ndarray:
    """Columns back as packed postings, numbered from `first_doc`."""
    grams, counts, low = columns
    return (np.repeat(grams.astype(np.uint64), counts) << np.uint64(32)) | (
        low.astype(np.uint64) + np.uint64(first_doc << _SCORE_BITS))


def _decoded(entry: bytes | None) -> tuple[int, Columns, Columns] | None:
    """A chunk's entry read back (its postings numbered from 0); None if it does not decode."""
    if entry is None:
        return None
    try:
        head, _, body = entry.partition(b"\n")
        _, _, size, *counts = head.decode("ascii").split(" ")
        pair_grams, pairs, single_grams, singles = map(int, counts)
        data = np.frombuffer(zlib.decompress(body), dtype="<u4")
        if len(data) != 2 * pair_grams + pairs + 2 * single_grams + singles:
            return None
        kinds, at = [], 0
        for distinct, postings in ((pair_grams, pairs), (single_grams, singles)):
            grams, counts_of, low = np.split(data[at:at + 2 * distinct + postings], [distinct, 2 * distinct])
            if int(counts_of.sum()) != postings:
                return None
            kinds.append((grams, counts_of, low))
            at += 2 * distinct + postings
        return int(size), kinds[0], kinds[1]
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None
