"""The search index: character bigrams plus single characters, as a script file.

Chinese has no spaces, so the index maps every single character and every
pair of adjacent characters to the articles holding it; the browser
intersects the postings of a query's bigrams, then confirms each candidate
by substring match over the text shipped alongside (which also gives the
snippet). The index is a plain `<script>` (`window.WUXI_SEARCH = {...}`)
because browsers refuse fetch() and modules from file://.

Format, chosen to stay small:
- `docs`: one `[id, title, date, [organisations and events], body]` per
  article, newest first; a posting is an index into this list.
- `grams`: first character -> "U;xP;yP;..." where U is the posting list of
  the character alone and each `xP` is a second character `x` followed by
  the postings of the bigram. Postings are ascending doc numbers, delta
  encoded in base 36, comma separated. Grouping by first character saves
  repeating it for every bigram.
- `t2s`: traditional/simplified character pairs (see tradmap.py).

Splitting for a 100,000-article archive: the same structure shards
naturally. `grams` is already keyed by first character; write one script
per bucket of first characters (say 256 buckets by code point), each
calling `WUXI_SEARCH_SHARD(bucket, data)`, and load only the buckets a
query's characters fall in by appending `<script src>` elements (which
works from file://). Doc texts go into blocks of 1,000 articles loaded
only for the candidates that survive the bigram intersection, with a
small always-loaded list of titles/dates for ranking. A query then loads
a handful of shards instead of the whole archive.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..records import Article
from .tradmap import trad_to_simp_pairs

# Characters that take part in grams: CJK ideographs (BMP only, so the
# browser sees one UTF-16 unit per character), Latin letters and digits.
# search.js uses the same class; anything else only separates grams.
INDEXED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]")
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0-9]+")


@dataclass
class SearchIndex:
    script: str          # the JavaScript file's text
    index_bytes: int     # size of the script, UTF-8
    text_bytes: int      # size of the indexed text alone, UTF-8
    documents: int
    grams: int           # distinct single characters + bigrams


def grams_of(text: str) -> set[str]:
    """Every indexed single character and adjacent pair of `text` (lower-cased)."""
    found: set[str] = set()
    for run in _RUN.findall(text.lower()):
        found.update(run)
        found.update(run[i:i + 2] for i in range(len(run) - 1))
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
    out, previous = [], 0
    for n in doc_numbers:
        out.append(_base36(n - previous))
        previous = n
    return ",".join(out)


def document_fields(article: Article) -> list:
    c = article.clean
    entities = [o.name for o in article.organisations]
    entities += [a for o in article.organisations for a in o.aliases]
    entities += [e.name for e in article.events]
    body = "\n".join(p.text for p in c.paragraphs)
    return [article.id, c.title, c.date or "", list(dict.fromkeys(entities)), body]


def build_search_index(articles: list[Article]) -> SearchIndex:
    """The search script for `articles` (in the order the site lists them)."""
    docs = [document_fields(a) for a in articles]
    postings: dict[str, list[int]] = defaultdict(list)
    used_chars: set[str] = set()
    for number, (_, title, _, entities, body) in enumerate(docs):
        text = "\n".join([title, *entities, body])
        used_chars.update(text)
        for gram in grams_of(text):
            postings[gram].append(number)
    grouped: dict[str, dict[str, str]] = defaultdict(dict)
    for gram in sorted(postings):
        grouped[gram[0]][gram[1:]] = encode_postings(postings[gram])
    gram_count = len(postings)
    del postings   # the largest structure here: free it before the text is made (peak memory at 10k)
    grams = {first: ";".join([seconds.pop("", "")] + [k + v for k, v in sorted(seconds.items())])
             for first, seconds in sorted(grouped.items())}
    del grouped
    payload = {"docs": docs, "grams": grams, "t2s": trad_to_simp_pairs(used_chars)}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    del payload, grams
    script = "window.WUXI_SEARCH=" + body + ";\n"
    del body
    text_bytes = sum(len("\n".join([d[1], *d[3], d[4]]).encode("utf-8")) for d in docs)
    return SearchIndex(script=script, index_bytes=len(script.encode("utf-8")), text_bytes=text_bytes,
                       documents=len(docs), grams=gram_count)
