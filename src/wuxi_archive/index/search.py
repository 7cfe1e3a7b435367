"""The search index, in shards a query loads on demand.

Chinese has no spaces, so the index maps every single character and every
pair of adjacent characters (bigram) to the articles holding it, each with
a score. The search page loads only the files its query needs, as plain
`<script>` tags added on demand (browsers refuse fetch() and modules from
file://):

The documents are split into ranges of consecutive numbers (search_ranges),
each with files of its own in `data/search/<range>/`, its postings numbered
from the range's first document:

- `data/search-index.js` (loaded up front, small): the number of documents,
  each range's name, first number and shard counts, and `t2s`, the
  traditional/simplified pairs (tradmap.py) for the characters the archive uses.
- `data/search/<range>/b/<n>.js`: the range's bigram postings, bucketed by a
  hash of the bigram, so a two-character query loads one shard a range.
- `data/search/<range>/c/<n>.js`: single-character postings, bucketed likewise.
- `data/search/<range>/d/<n>.js`: the range's document table, BLOCK_DOCS
  documents a file (id, title, date): loaded only for the hits shown.

Where a range ends depends on its documents' ids alone, and its name is a hash
of them: an added or changed article changes its own range's files and the
index, no other file (a shard keyed by gram alone would change in nearly every
bucket, since one article brings about a thousand distinct bigrams).

Every file calls `WUXI_SEARCH_SHARD(name, data)`. A gram maps to
`"postings scores"` (one string: a key's quotes and brackets cost more than
its postings for most grams): postings are ascending document numbers, delta
encoded, each delta in base 32 whose last digit is taken from a second
alphabet (so numbers need no separator); scores are one character per
posting, SCORE_ALPHABET[42 * in_title + 21 * in_entities + min(body count, 20)].
A query of three or more characters is scored from its bigrams: the
documents holding all of them, in the title if all are, and so on, the body
count the least of theirs (search.js).

Documents are numbered in the reverse of the site's order, the dated ones
first (oldest first), the undated after them: the browser ranks ties in site
order from the numbers alone (a range's first number plus a posting's),
before any document block is loaded.

Everything is built with numpy over whole chunks of text: no Python loop runs
per character or per posting, only per document and per distinct gram.
"""
from __future__ import annotations

import hashlib
import json
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from ..free_memory import release_free_memory
from ..records import Article
from .tradmap import opencc_characters, trad_to_simp_pairs

INDEX_PATH = "data/search-index.js"
SEARCH_DIR = "data/search"
BLOCK_DOCS = 64             # documents per document block: a page of 20 hits loads at most 20 small files
# The average shard of a range: a power of two of shards a range so that its postings average at
# most this. A query loads one shard of each range for each of its grams: about 20 at 100,000.
TARGET_SHARD_BYTES = 16 * 1024
BYTES_PER_POSTING = 2.4     # measured on the synthetic corpus: ~1.4 digit characters and a score
# Documents per numpy pass, on average: bounds the temporary arrays, and is what a rebuild
# makes again around a changed article (render/search_files.py remembers each chunk's postings).
# A chunk ends after a document whose id hashes to 0 modulo CHUNK_DOCS (chunk_bounds), and
# after CHUNK_LIMIT * CHUNK_DOCS documents at most. Chunk sizes so drawn vary, and a changed
# article is likelier to sit in a long one: the chunk holding an article averages about twice
# CHUNK_DOCS (443 documents at 10,000 articles), what a rebuild indexes again.
CHUNK_DOCS = 256
CHUNK_LIMIT = 4
# Ranges of chunks with files of their own (search_ranges), coarsest level first: (factor, cap):
# a run ends after a chunk whose last id hashes to 0 modulo CHUNK_DOCS * factor, or after cap
# chunks. About 16,000 documents a range of the settled archive, 2,000 nearer its open end, and
# single chunks at the very end: a query loads one shard a range (about 20 at 100,000 articles),
# an added article rewrites one range's files.
RANGE_LEVELS = ((64, 64), (8, 8))
RANGE_NAME_DIGITS = 12

# Characters that take part in grams: CJK ideographs (BMP only, so the
# browser sees one UTF-16 unit per character), Latin letters and digits.
# search.js uses the same class; anything else only separates grams.
INDEXED_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (ord("a"), ord("z")), (ord("0"), ord("9")))
DIGITS_MORE = "0123456789abcdefghijklmnopqrstuv"      # a base-32 digit with more to follow
DIGITS_LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*"      # the last digit of a number
SCORE_ALPHABET = "".join(chr(c) for c in range(0x28, 0x7F) if chr(c) != "\\")   # 86 characters, no quote
TITLE, ENTITY, BODY_CAP = 42, 21, 20                  # a score's parts, as above

_DOC_BITS, _SCORE_BITS = 25, 7                        # a posting packed as gram << 32 | doc << 7 | score


@dataclass(frozen=True)
class SearchDoc:
    """What search knows of one article."""
    id: str
    title: str
    date: str                   # "" when undated
    entities: tuple[str, ...]   # organisation names, their aliases, event names
    body: str


def search_doc(article: Article) -> SearchDoc:
    c = article.clean
    entities = [o.name for o in article.organisations]
    entities += [a for o in article.organisations for a in o.aliases]
    entities += [e.name for e in article.events]
    body = "\n".join(p.text for p in c.paragraphs)
    return SearchDoc(article.id, c.title, c.date or "", tuple(dict.fromkeys(entities)), body)


def numbered(docs: Iterable[SearchDoc]) -> list[SearchDoc]:
    """Documents in number order: dated ones oldest first (ties by id, last first), then the
    undated (by id, last first). search.js turns a number back into the site's order."""
    docs = list(docs)
    dated = sorted((d for d in docs if d.date), key=lambda d: d.id, reverse=True)
    dated.sort(key=lambda d: d.date)            # stable: ties keep the reversed id order
    undated = sorted((d for d in docs if not d.date), key=lambda d: d.id, reverse=True)
    return dated + undated


def fnv_shard(codes: np.ndarray, units: int, shards: int) -> np.ndarray:
    """FNV-1a over the UTF-16 units of each gram (one or two per code), mod `shards`: search.js's shardOf."""
    h = np.full(codes.shape, 2166136261, dtype=np.uint64)
    for k in range(units - 1, -1, -1):
        unit = (codes >> np.uint64(16 * k)) & np.uint64(0xFFFF)
        h = ((h ^ unit) * np.uint64(16777619)) & np.uint64(0xFFFFFFFF)
    return (h % np.uint64(shards)).astype(np.int64)


def _indexed(codes: np.ndarray) -> np.ndarray:
    mask = np.zeros(codes.shape, dtype=bool)
    for low, high in INDEXED_RANGES:
        mask |= (codes >= low) & (codes <= high)
    return mask


def _field_keys(texts: list[str], first_doc: int, pairs: bool, field_tag: int) -> np.ndarray:
    """One key per gram occurrence in one field of consecutive documents: gram << 32 | doc << 7 | field."""
    lowered = [t.lower() for t in texts]
    lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered)) + 1
    codes = np.frombuffer("\n".join(lowered).encode("utf-32-le", "surrogatepass") + "\n".encode("utf-32-le"),
                          dtype="<u4").astype(np.uint64)
    docs = np.repeat(np.arange(first_doc, first_doc + len(texts), dtype=np.uint64) << np.uint64(_SCORE_BITS), lengths)
    mask = _indexed(codes)
    if pairs:       # the "\n" after each text is not indexed: no pair spans two documents
        both = mask[:-1] & mask[1:]
        grams = (codes[:-1][both] << np.uint64(16)) | codes[1:][both]
        docs = docs[:-1][both]
    else:
        grams, docs = codes[mask], docs[mask]
    return (grams << np.uint64(32)) | docs | np.uint64(field_tag)


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal values of sorted `keys` starts."""
    return np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))


def _chunk_postings(docs: Sequence[SearchDoc], first_doc: int, pairs: bool) -> np.ndarray:
    """Packed postings (gram << 32 | doc << 7 | score) of consecutive documents, sorted.

    One sort of every occurrence, each tagged with its field (title 0, entity names 1,
    body 2): a run of equal keys is one field's count, runs of equal (gram, doc) a posting."""
    fields = ([d.title for d in docs], ["\n".join(d.entities) for d in docs], [d.body for d in docs])
    keys = np.concatenate([_field_keys(texts, first_doc, pairs, tag) for tag, texts in enumerate(fields)])
    keys.sort()
    starts = _run_starts(keys)
    counts = np.diff(np.append(starts, len(keys)))
    runs = keys[starts]
    tag = runs & np.uint64(3)
    value = np.where(tag == 0, TITLE, np.where(tag == 1, ENTITY, np.minimum(counts, BODY_CAP))).astype(np.uint64)
    postings = runs & ~np.uint64((1 << _SCORE_BITS) - 1)
    first = _run_starts(postings)
    return postings[first] | np.add.reduceat(value, first)


# Postings of the documents from `first_doc` on, one kind (`pairs`): _chunk_postings, or one
# that remembers them between builds (render/search_files.py).
ChunkPostings = Callable[[Sequence[SearchDoc], int, bool], np.ndarray]


def ends_chunk(doc_id: str) -> bool:
    """Whether a chunk ends after this document: a property of the document alone."""
    return zlib.crc32(doc_id.encode("utf-8", "surrogatepass")) % CHUNK_DOCS == 0


def chunk_bounds(docs: Sequence[SearchDoc]) -> list[tuple[int, int]]:
    """(start, end) of each chunk of numbered `docs`.

    Where chunks end depends on the documents' ids alone, not on their numbers: an
    article inserted mid-archive (an older date) joins one chunk and leaves every
    other chunk holding the documents it held, which the numbers' shift does not
    change (render/search_files.py keeps a chunk's postings counted from its start).
    A run longer than CHUNK_LIMIT * CHUNK_DOCS is cut every as many documents."""
    bounds, start, limit = [], 0, CHUNK_LIMIT * CHUNK_DOCS
    for at, doc in enumerate(docs):
        if ends_chunk(doc.id) or at + 1 - start >= limit:
            bounds.append((start, at + 1))
            start = at + 1
    if start < len(docs):
        bounds.append((start, len(docs)))
    return bounds


def collect_postings(docs: Sequence[SearchDoc], where: SearchRange, pairs: bool,
                     chunk_postings: ChunkPostings | None = None) -> np.ndarray:
    """Every posting of the range `where` of numbered `docs`, numbered from the range's start,
    packed and sorted by gram, then document. Its chunks go by one at a time to `chunk_postings`."""
    if len(docs) >= 1 << _DOC_BITS:
        raise ValueError(f"search numbers at most {1 << _DOC_BITS} documents")
    postings_of = chunk_postings or _chunk_postings
    chunks = [postings_of(docs[start:end], start - where.start, pairs) for start, end in where.chunks]
    if not chunks:
        return np.zeros(0, dtype=np.uint64)
    # Copied into one array chunk by chunk, each freed once copied (np.empty takes memory only as
    # it is written): never every chunk and the whole array at once.
    packed = np.empty(sum(map(len, chunks)), dtype=np.uint64)
    at = 0
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()
        packed[at:at + len(chunk)] = chunk
        at += len(chunk)
    # In place (a stable sort takes half the array again), and, on values, the same order:
    # numpy's quicksort is also faster here than timsort merging the chunks' sorted runs.
    packed.sort()
    return packed


def shard_count(postings: int) -> int:
    """The smallest power of two of shards that keeps a range's average shard under TARGET_SHARD_BYTES."""
    shards = 1
    while postings * BYTES_PER_POSTING / shards > TARGET_SHARD_BYTES:
        shards *= 2
    return shards


@dataclass(frozen=True)
class SearchRange:
    """Consecutive numbered documents whose postings, numbered from `start`, have files of their own."""
    name: str                           # the range's folder under SEARCH_DIR: a hash of its documents' ids
    start: int
    end: int
    chunks: tuple[tuple[int, int], ...]  # chunk_bounds of the documents, in archive numbers


def _chunk_ends_level(doc_id: str, factor: int) -> bool:
    return zlib.crc32(doc_id.encode("utf-8", "surrogatepass")) % (CHUNK_DOCS * factor) == 0


def _split_chunks(docs: Sequence[SearchDoc], chunks: list[tuple[int, int]], factor: int, cap: int
                  ) -> tuple[list[list[tuple[int, int]]], list[tuple[int, int]]]:
    """Chunks in runs, each ended by a chunk whose last id hashes to 0 modulo CHUNK_DOCS * factor
    or after `cap` chunks: the closed runs, and the open one after the last (maybe empty)."""
    closed, run = [], []
    for chunk in chunks:
        run.append(chunk)
        if _chunk_ends_level(docs[chunk[1] - 1].id, factor) or len(run) >= cap:
            closed.append(run)
            run = []
    return closed, run


def search_ranges(docs: Sequence[SearchDoc]) -> list[SearchRange]:
    """The ranges of numbered `docs`: large ones for the settled archive, small ones at its open end.

    Runs of chunks ended where ids say (RANGE_LEVELS, coarsest first) are ranges; what follows
    the last end of one level is split at the next level's ends, and the last run of the finest
    level is one range a chunk. Where a range ends depends on ids alone, like a chunk's, and its
    postings count from its own start: an article added changes one range's files, a small one
    when it lands at the open end (the newest dated, or an undated one late in the numbering),
    and an article that ends a level now and then merges the open end into one large range."""
    chunks = chunk_bounds(docs)
    runs: list[list[tuple[int, int]]] = []
    for factor, cap in RANGE_LEVELS:
        closed, chunks = _split_chunks(docs, chunks, factor, cap)
        runs += closed
    runs += [[chunk] for chunk in chunks]
    ranges = []
    for run in runs:
        start, end = run[0][0], run[-1][1]
        ids = "\n".join(d.id for d in docs[start:end]).encode("utf-8", "surrogatepass")
        ranges.append(SearchRange(hashlib.sha1(ids).hexdigest()[:RANGE_NAME_DIGITS], start, end, tuple(run)))
    return ranges


_MORE = np.frombuffer(DIGITS_MORE.encode("ascii"), dtype=np.uint8)
_LAST = np.frombuffer(DIGITS_LAST.encode("ascii"), dtype=np.uint8)
_SCORES = np.frombuffer(SCORE_ALPHABET.encode("ascii"), dtype=np.uint8)


def encode_numbers(numbers: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Non-negative integers as base-32 digits, the last of each from DIGITS_LAST, and where
    each number's digits end: [3, 40] -> b"D1I", [1, 3]."""
    numbers = numbers.astype(np.int64)
    lengths = np.ones(numbers.shape, dtype=np.int64)
    for bits in range(5, 40, 5):
        lengths += numbers >= (1 << bits)
    ends = np.cumsum(lengths)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    # Written from each number's last digit back, one place a pass, over the numbers that have
    # digits left (most have one): no array as long as the digits but the digits themselves.
    at, rest = ends - 1, numbers
    out[at] = _LAST[rest & 31]
    rest = rest >> 5
    while len(rest):
        left = rest > 0
        at, rest = at[left] - 1, rest[left]
        out[at] = _MORE[rest & 31]
        rest = rest >> 5
    return out.tobytes(), ends


def _gram_key(code: int, pairs: bool) -> str:
    return chr(code >> 16) + chr(code & 0xFFFF) if pairs else chr(code)


# Postings encoded at once: bounds the arrays of a step (~20 MB).
POSTINGS_A_STEP = 1 << 18


def shard_fragments(packed: np.ndarray, pairs: bool, shards: int
                    ) -> Iterator[tuple[np.ndarray, dict[int, bytes]]]:
    """For sorted packed postings, a step of them at a time: the step's distinct grams, and
    by shard `"gram":"postings scores"` of its grams, joined by commas, UTF-8. A shard's
    pieces, joined by commas in the order given, are its grams in gram order; a step ends
    at a gram's end, so the steps' grams, one after the other, are the distinct grams of all.
    (One string a gram, held until its shard was made, was a third of what a range of 14,000
    articles took; and a piece as text, its grams Chinese, takes two bytes a digit.)"""
    step = POSTINGS_A_STEP
    at = 0
    while at < len(packed):
        end = min(len(packed), at + step)
        if end < len(packed):   # end on a gram's boundary
            end = _gram_end(packed, end - 1)
        part = packed[at:end]
        grams = (part >> np.uint64(32)).astype(np.int64)
        docs = ((part >> np.uint64(_SCORE_BITS)) & np.uint64((1 << _DOC_BITS) - 1)).astype(np.int64)
        scores = (part & np.uint64((1 << _SCORE_BITS) - 1)).astype(np.int64)
        starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]])
        deltas = np.diff(docs, prepend=0)
        deltas[starts] = docs[starts]           # each gram's first number counts from 0
        digits, ends = encode_numbers(deltas)
        digit_text, score_text = digits.decode("ascii"), _SCORES[scores].tobytes().decode("ascii")
        stops = np.r_[starts[1:], len(part)]
        digit_starts = np.r_[0, ends[stops[:-1] - 1]]
        digit_stops = ends[stops - 1]
        owners = fnv_shard(grams[starts].astype(np.uint64), 2 if pairs else 1, shards)
        pieces: dict[int, list[str]] = defaultdict(list)
        for code, shard, a, b, ds, de in zip(grams[starts].tolist(), owners.tolist(), starts.tolist(),
                                              stops.tolist(), digit_starts.tolist(), digit_stops.tolist()):
            pieces[shard].append(f'"{_gram_key(code, pairs)}":"{digit_text[ds:de]} {score_text[a:b]}"')
        yield grams[starts], {shard: ",".join(its).encode("utf-8", "surrogatepass") for shard, its in pieces.items()}
        at = end


def _gram_end(packed: np.ndarray, at: int) -> int:
    """The index just past the last posting of the gram of posting `at`."""
    gram = packed[at] >> np.uint64(32)
    window = 1 << 16
    while True:
        part = packed[at:at + window] >> np.uint64(32)
        ahead = int(np.searchsorted(part, gram, side="right"))
        if ahead < len(part) or at + window >= len(packed):
            return at + ahead
        window *= 4


def shard_script(name: str, *payload: bytes) -> bytes:
    """The file of shard `name`: its payload (UTF-8, in pieces joined once) handed to the page."""
    return b"".join([f'window.WUXI_SEARCH_SHARD("{name}",'.encode("utf-8", "surrogatepass"), *payload, b");\n"])


def gram_shards(docs: Sequence[SearchDoc], where: SearchRange, pairs: bool,
                chunk_postings: ChunkPostings | None = None) -> tuple[dict[str, bytes], int, np.ndarray]:
    """The shard files of one range's bigrams (`pairs`) or single characters, their count, and
    the distinct indexed characters its text uses (for the t2s map)."""
    packed = collect_postings(docs, where, pairs, chunk_postings)
    shards = shard_count(len(packed))
    kind = f"{where.name}/{'b' if pairs else 'c'}"
    fragments: list[list[bytes]] = [[] for _ in range(shards)]
    distinct: list[np.ndarray] = []
    for grams, pieces in shard_fragments(packed, pairs, shards):
        if not pairs:       # the characters a range uses, for the t2s map
            distinct.append(grams)
        for shard, fragment in pieces.items():
            fragments[shard].append(fragment)
        # A step's strings (one a gram) lie in the heap among the fragments kept: handed back
        # now, not held to the range's end (29 MB of the largest range rebuilt at 100,000).
        release_free_memory()
    used = np.concatenate(distinct) if distinct else np.zeros(0, dtype=np.int64)
    del packed
    files = {}
    for n in range(shards):     # each shard's fragments freed once its file is made
        files[f"{SEARCH_DIR}/{kind}/{n}.js"] = shard_script(f"{kind}/{n}", b"{", b",".join(fragments[n]), b"}")
        fragments[n] = []
    return files, shards, used


def document_blocks(docs: Sequence[SearchDoc], where: SearchRange) -> dict[str, bytes]:
    """data/search/<range>/d/<n>.js: [id, title, date] of the range's documents n*BLOCK_DOCS onwards."""
    files = {}
    for n, at in enumerate(range(where.start, where.end, BLOCK_DOCS)):
        table = [[d.id, d.title, d.date] for d in docs[at:min(at + BLOCK_DOCS, where.end)]]
        name = f"{where.name}/d/{n}"
        table_text = json.dumps(table, ensure_ascii=False, separators=(",", ":"))
        files[f"{SEARCH_DIR}/{name}.js"] = shard_script(name, table_text.encode("utf-8", "surrogatepass"))
    return files


@dataclass
class RangeFiles:
    """One range's files by site path, its shard counts, and the characters its text uses."""
    files: dict[str, bytes]
    bigram_shards: int
    char_shards: int
    used: list[int]


def range_files(docs: Sequence[SearchDoc], where: SearchRange, chunk_postings: ChunkPostings | None = None
                ) -> RangeFiles:
    """Every file of the range `where` of numbered `docs`: bigram and character shards, document blocks."""
    bigrams, bigram_shards, _ = gram_shards(docs, where, True, chunk_postings)
    chars, char_shards, used = gram_shards(docs, where, False, chunk_postings)
    return RangeFiles({**bigrams, **chars, **document_blocks(docs, where)}, bigram_shards, char_shards,
                      used.tolist())


@lru_cache(maxsize=1)
def _trad_table() -> dict[str, str]:
    return opencc_characters()      # read once per process


def index_script(docs: Sequence[SearchDoc], ranges: Sequence[tuple[SearchRange, int, int]],
                 used: Iterable[int]) -> bytes:
    """data/search-index.js: the counts the browser needs before any shard, each range's
    [name, first number, bigram shards, character shards], and the t2s pairs."""
    chars = {chr(c) for c in used}
    payload = {"docs": len(docs), "dated": sum(1 for d in docs if d.date), "block": BLOCK_DOCS,
               "ranges": [[r.name, r.start, b, c] for r, b, c in ranges],
               "t2s": trad_to_simp_pairs(chars, _trad_table())}
    return ("window.WUXI_SEARCH=" + json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
            + ";\n").encode("utf-8")


def build_search_files(docs: Iterable[SearchDoc], chunk_postings: ChunkPostings | None = None) -> dict[str, bytes]:
    """Every search file for `docs` (in any order), by site path; search-index.js last.

    With `chunk_postings`, the documents' texts are read by it alone (they may be
    left empty here: numbering and the document blocks use ids, titles and dates)."""
    ordered = numbered(docs)
    files: dict[str, bytes] = {}
    counts, used = [], set()
    for where in search_ranges(ordered):
        made = range_files(ordered, where, chunk_postings)
        files.update(made.files)
        counts.append((where, made.bigram_shards, made.char_shards))
        used.update(made.used)
    files[INDEX_PATH] = index_script(ordered, counts, used)
    return files


def text_bytes(docs: Iterable[SearchDoc]) -> int:
    """The indexed text alone (titles, entity names, bodies), UTF-8: what the index is measured against."""
    return sum(len("\n".join([d.title, *d.entities, d.body]).encode("utf-8", "surrogatepass")) for d in docs)


@dataclass
class SearchIndex:
    """What was written: sizes for the bench and `check`, and whether it was built anew."""
    index_bytes: int = 0     # every search file, UTF-8
    text_bytes: int = 0      # the indexed text alone
    documents: int = 0
    paths: list[str] = field(default_factory=list)
    rebuilt: int = 0         # 1 when built this time, 0 when every file was kept

    def add(self, other: SearchIndex) -> None:
        """Count in what another process wrote (one of the two writes the index)."""
        self.index_bytes += other.index_bytes
        self.text_bytes += other.text_bytes
        self.documents += other.documents
        self.paths += other.paths
        self.rebuilt += other.rebuilt
