"""The search index: character bigrams plus single characters, in blocks of articles.

Chinese has no spaces, so the index maps every single character and every
pair of adjacent characters to the articles holding it; the browser
intersects the postings of a query's bigrams, then confirms each candidate
by substring match over the text shipped alongside (which also gives the
snippet). Every file is a plain `<script>` because browsers refuse fetch()
and modules from file://.

Articles fall into BLOCKS blocks by a hash of their id, never by their
position in the site, so one new or changed article changes exactly one
block and a rebuild redoes only that block (the others come from the page
memo, keyed by a digest of their documents). Each non-empty block is
`data/search/<NN>.js`, pushing itself onto `window.WUXI_SEARCH_BLOCKS`:
- `docs`: one `[id, title, date, [organisations and events], body]` per
  article of the block, in site order; a posting is an index into this list.
- `grams`: first character -> "U;xP;yP;..." where U is the posting list of
  the character alone and each `xP` is a second character `x` followed by
  the postings of the bigram. Postings are ascending doc numbers, delta
  encoded in base 36, comma separated. Grouping by first character saves
  repeating it for every bigram.
`data/search-index.js` holds what is global and small: the block names and
`t2s`, the traditional/simplified pairs (see tradmap.py) for the characters
the blocks use; search.js searches every block and merges the hits in site
order.
"""
from __future__ import annotations

import hashlib
import json
import operator
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable

from ..records import Article
from .tradmap import opencc_characters, trad_to_simp_pairs

if TYPE_CHECKING:
    from ..page_keys import KeyedBlobs as PageCache

# 64 blocks: at 10,000 articles a block holds ~150 articles (~0.8 MB), so
# rebuilding one costs ~1/64 of the whole index (tens of ms), while the
# search page loads a number of scripts a browser fetches from disk at
# once. Fewer blocks make a rebuild dearer; more repeat each block's gram
# keys more often (the whole index grows) and add requests. Changing the
# number moves articles between blocks: every block is rebuilt once.
BLOCKS = 64
INDEX_PATH = "data/search-index.js"
BLOCKS_DIR = "data/search"

# Characters that take part in grams: CJK ideographs (BMP only, so the
# browser sees one UTF-16 unit per character), Latin letters and digits.
# search.js uses the same class; anything else only separates grams.
INDEXED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]+")


@dataclass
class SearchIndex:
    """What was written: sizes for the bench and `check`, and how much was rebuilt."""
    index_bytes: int     # all search files (search-index.js and every block), UTF-8
    text_bytes: int      # the indexed text alone (titles, entity names, bodies), UTF-8
    documents: int
    paths: list[str] = field(default_factory=list)   # every file written, search-index.js last
    rebuilt: int = 0     # blocks built this time (the others came from the memo)
    used: set[str] = field(default_factory=set)       # characters of the blocks (for the t2s map)

    def add(self, other: SearchIndex) -> None:
        """Count in the blocks another process wrote."""
        self.index_bytes += other.index_bytes
        self.text_bytes += other.text_bytes
        self.documents += other.documents
        self.paths += other.paths
        self.rebuilt += other.rebuilt
        self.used |= other.used


@dataclass
class SearchBlock:
    """One block's articles, in site order; its file is `path`."""
    name: str
    articles: list[Article]

    @property
    def path(self) -> str:
        return f"{BLOCKS_DIR}/{self.name}.js"


def block_of(article_id: str) -> int:
    """The block an article belongs to: a hash of its id alone (crc32 is stable across runs, unlike hash())."""
    return zlib.crc32(article_id.encode("utf-8", "surrogatepass")) % BLOCKS


def search_blocks(articles: list[Article]) -> list[SearchBlock]:
    """The non-empty blocks, by name; `articles` in site order (each block keeps that order)."""
    grouped: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        grouped[block_of(article.id)].append(article)
    return [SearchBlock(f"{n:02d}", grouped[n]) for n in sorted(grouped)]


def grams_of(text: str) -> set[str]:
    """Every indexed single character and adjacent pair of `text` (lower-cased)."""
    found: set[str] = set()
    for run in _RUN.findall(text.lower()):
        found.update(run)
        found.update(map(operator.add, run, run[1:]))     # each character and the next, in C
    return found


@lru_cache(maxsize=65536)   # postings are mostly small gaps, the same few numbers over and over
def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def encode_postings(doc_numbers: list[int]) -> str:
    """Ascending doc numbers as base-36 deltas: [3, 5, 40] -> "3,2,z"."""
    return ",".join(map(_base36, map(operator.sub, doc_numbers, [0, *doc_numbers[:-1]])))


def document_fields(article: Article) -> list:
    c = article.clean
    entities = [o.name for o in article.organisations]
    entities += [a for o in article.organisations for a in o.aliases]
    entities += [e.name for e in article.events]
    body = "\n".join(p.text for p in c.paragraphs)
    return [article.id, c.title, c.date or "", list(dict.fromkeys(entities)), body]


def searched_text(fields: list) -> str:
    """The text of one document that search looks in: title, entity names, body."""
    _, title, _, entities, body = fields
    return "\n".join([title, *entities, body])


def block_digest(name: str, docs: list[list]) -> str:
    """A hash of everything a block's script is made of (its name and documents): the memo key."""
    digest = hashlib.sha256(name.encode() + b"\0")
    for doc in docs:
        digest.update(json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _trad_table() -> tuple[dict[str, str], frozenset[str]]:
    """opencc's character pairs, and every character on either side of one (read once per process)."""
    table = opencc_characters()
    return table, frozenset(table) | frozenset(table.values())


def build_block_script(name: str, docs: list[list]) -> tuple[str, str]:
    """A block's script, and the characters of its text that the t2s map looks at (sorted, as one string)."""
    _, mapped = _trad_table()
    postings: dict[str, list[int]] = defaultdict(list)
    used_chars: set[str] = set()
    for number, doc in enumerate(docs):
        text = searched_text(doc)
        used_chars.update(text)
        for gram in grams_of(text):
            postings[gram].append(number)
    # Not sorted here: the grams are put in order by first character, then by second, below.
    grouped: dict[str, dict[str, str]] = defaultdict(dict)
    for gram, numbers in postings.items():
        grouped[gram[0]][gram[1:]] = encode_postings(numbers)
    del postings
    grams = {first: ";".join([seconds.pop("", "")] + [k + v for k, v in sorted(seconds.items())])
             for first, seconds in sorted(grouped.items())}
    payload = {"docs": docs, "grams": grams, "name": name}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    script = "(window.WUXI_SEARCH_BLOCKS=window.WUXI_SEARCH_BLOCKS||[]).push(" + body + ");\n"
    return script, "".join(sorted(used_chars & mapped))


def build_index_script(block_names: list[str], used_chars: set[str]) -> str:
    """data/search-index.js: the block names and the t2s pairs for the characters the blocks use."""
    table, _ = _trad_table()
    payload = {"blocks": block_names, "t2s": trad_to_simp_pairs(used_chars, table)}
    return "window.WUXI_SEARCH=" + json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                                             sort_keys=True) + ";\n"


def _memo_head(text_bytes: int, script_bytes: int, chars: str) -> bytes:
    # The used characters are CJK only (no newline): one line before the script.
    return f"{text_bytes} {script_bytes} {chars}\n".encode("utf-8")


def _from_head(head: bytes) -> tuple[int, int, str]:
    """(text bytes, script bytes, used characters) from a memo entry's first line."""
    text_bytes, script_bytes, chars = head.decode("utf-8").rstrip("\n").split(" ", 2)
    return int(text_bytes), int(script_bytes), chars


def write_search_blocks(blocks: Iterable[SearchBlock], write: Callable[..., None],
                        memo: PageCache | None = None, digest_of: Callable[[Article], str] | None = None,
                        load_bodies: Callable[[list[Article]], None] | None = None,
                        keep: Callable[[str, str], bool] | None = None) -> SearchIndex:
    """Write the scripts of `blocks` through `write(path, bytes[, key])` (not yet search-index.js).

    With `memo`, a block whose documents are unchanged is copied from an
    earlier build instead of built again; `digest_of(article)`, a digest of
    all of an article's record, then keys it without making its documents
    (and `load_bodies` gives a block to build its articles' paragraphs).
    With `keep(path, key)` too, such a block's file is kept where the last
    build wrote it under that key, and only its memo entry's first line is
    read (at 10,000 articles a block is most of a megabyte).
    Blocks are written one at a time so only one block's postings are in memory.
    """
    def documents(block: SearchBlock) -> list[list]:
        if load_bodies:
            load_bodies(block.articles)
        return [document_fields(a) for a in block.articles]

    result = SearchIndex(index_bytes=0, text_bytes=0, documents=0)
    for block in blocks:
        result.documents += len(block.articles)
        docs = None
        key = entry = None
        if memo:
            if digest_of:
                key = memo.key("search block", block.name, *map(digest_of, block.articles))
            else:
                docs = documents(block)
                key = memo.key("search block", block_digest(block.name, docs))
            head = memo.head(key) if keep else None
            if head and keep(block.path, key):
                text_bytes, script_bytes, chars = _from_head(head)
                _count_block(result, block.path, text_bytes, script_bytes, chars)
                continue
            entry = memo.get(key)
        if entry is None:
            docs = docs if docs is not None else documents(block)
            text_bytes = sum(len(searched_text(d).encode("utf-8")) for d in docs)
            text, chars = build_block_script(block.name, docs)
            script = text.encode("utf-8")
            result.rebuilt += 1
            if memo and key:
                memo.put(key, _memo_head(text_bytes, len(script), chars) + script)
        else:
            head, _, script = entry.partition(b"\n")
            text_bytes, _, chars = _from_head(head)
        if keep and key:
            write(block.path, script, key)      # under its key, which the next build keeps it by
        else:
            write(block.path, script)
        _count_block(result, block.path, text_bytes, len(script), chars)
    return result


def _count_block(result: SearchIndex, path: str, text_bytes: int, script_bytes: int, chars: str) -> None:
    result.text_bytes += text_bytes
    result.used.update(chars)
    result.paths.append(path)
    result.index_bytes += script_bytes


def finish_search_index(blocks: list[SearchBlock], result: SearchIndex, write: Callable[[str, bytes], None]) -> None:
    """Write data/search-index.js, once every block is written (`result` counts them all)."""
    index_script = build_index_script([b.name for b in blocks], result.used).encode("utf-8")
    write(INDEX_PATH, index_script)
    result.paths.append(INDEX_PATH)
    result.index_bytes += len(index_script)


def write_search_index(blocks: list[SearchBlock], write: Callable[[str, bytes], None],
                       memo: PageCache | None = None, digest_of: Callable[[Article], str] | None = None,
                       ) -> SearchIndex:
    """Write every block's script and data/search-index.js through `write(path, bytes)`."""
    result = write_search_blocks(blocks, write, memo, digest_of)
    finish_search_index(blocks, result, write)
    return result
