"""Search chunks: where they end depends on document ids alone, so an article inserted
mid-archive re-indexes one chunk, and the files stay those of a cold build."""
from __future__ import annotations

import json
import zlib

import pytest

from wuxi_archive.index import search
from wuxi_archive.index.search import SearchDoc, build_search_files, chunk_bounds, numbered, search_doc
from wuxi_archive.page_keys import KeyedBlobs
from wuxi_archive.records import Article, CleanArticle, Paragraph
from wuxi_archive.render.search_files import RememberedChunks, listed_doc

from test_search import postings, titles

SENTENCES = ["无锡集成电路产业发展大会召开。", "企业与平台共同发展。", "人才服务周在惠山举行。", "太湖水质持续改善。",
             "新吴区举办招聘会。", "梁溪区老城厢更新。", "锡山区农业园开放。", "滨湖区湿地公园开园。"]


def article(k: int, date: str | None) -> Article:
    body = [Paragraph("p", SENTENCES[(k * j) % len(SENTENCES)] + f"第{k}篇。") for j in range(1, 4)]
    return Article(clean=CleanArticle(seed=f"s{k:04d}.txt", part=1, title=f"标题{k}", date=date, paragraphs=body))


def archive(count: int) -> list[Article]:
    return [article(k, f"20{10 + k % 12}-{k % 12 + 1:02d}-{k % 28 + 1:02d}" if k % 10 else None)
            for k in range(count)]


def ends_chunk(doc_id: str) -> bool:
    return zlib.crc32(doc_id.encode("utf-8")) % search.CHUNK_DOCS == 0


def inserted(ending: bool) -> Article:
    """A new article dated mid-archive, whose id ends a chunk or not."""
    k = next(k for k in range(10_000, 20_000) if ends_chunk(article(k, None).id) == ending)
    return article(k, "2015-06-15")


def members(articles: list[Article]) -> list[tuple[str, ...]]:
    docs = numbered(listed_doc(a) for a in articles)
    return [tuple(d.id for d in docs[start:end]) for start, end in chunk_bounds(docs)]


@pytest.fixture()
def small_chunks(monkeypatch):
    monkeypatch.setattr(search, "CHUNK_DOCS", 8)


def test_chunks_cover_the_documents_in_order_and_end_where_ids_say(small_chunks):
    docs = numbered(listed_doc(a) for a in archive(300))
    bounds = chunk_bounds(docs)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(docs) and len(bounds) > 10
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(ends_chunk(docs[end - 1].id) or end - start == search.CHUNK_LIMIT * search.CHUNK_DOCS
               for start, end in bounds[:-1])


@pytest.mark.parametrize("ending", [False, True])
def test_an_article_inserted_mid_archive_changes_one_chunk(small_chunks, ending):
    old = archive(300)
    new = inserted(ending)
    before, after = members(old), members(old + [new])
    changed_before = [c for c in before if c not in after]
    changed_after = [c for c in after if c not in before]
    assert len(changed_before) == 1 and new.id in sum(changed_after, ())
    # the new article's chunk, or (its id ending one) that chunk cut in two after it
    assert len(changed_after) == (2 if ending else 1)
    assert sorted(sum(changed_after, ())) == sorted(changed_before[0] + (new.id,))


class MemoryBlobs:
    """The store's blobs, in a dict (build/store.py keeps them in SQLite)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.used: set[str] = set()

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        return self.data.get(key)

    def head(self, key: str) -> bytes | None:
        return self.data.get(key, b"").split(b"\n")[0] or None

    def put(self, key: str, data: bytes) -> None:
        self.used.add(key)
        self.data[key] = data


class Config:
    def fingerprint(self) -> str:
        return "test"


def remembered_build(memo: KeyedBlobs, articles: list[Article]) -> tuple[dict[str, bytes], RememberedChunks]:
    digest = {a.id: f"{a.id}:{a.clean.title}:{a.clean.date}" for a in articles}
    chunks = RememberedChunks(memo, lambda a: digest[a.id], articles, None)
    return build_search_files([listed_doc(a) for a in articles], chunks.postings), chunks


@pytest.mark.parametrize("ending", [False, True])
def test_a_rebuild_indexes_only_the_inserted_articles_chunk_and_equals_a_cold_build(tmp_path, small_chunks, ending):
    memo = KeyedBlobs(MemoryBlobs(), Config(), tmp_path)
    old = archive(300)
    files, chunks = remembered_build(memo, old)
    assert files == build_search_files([search_doc(a) for a in old]) and chunks.made > 10
    new = old[:150] + [inserted(ending)] + old[150:]
    files, chunks = remembered_build(memo, new)
    assert chunks.made == (2 if ending else 1)
    assert files == build_search_files([search_doc(a) for a in new])
    assert chunks.text_bytes == search.text_bytes(search_doc(a) for a in new)


def test_documents_keep_their_numbers_order_whatever_the_chunks(monkeypatch):
    docs = [SearchDoc(f"d{k:03d}", f"标题{k}", f"2020-01-{k % 28 + 1:02d}", (), "正文发展。") for k in range(100)]
    expected = build_search_files(docs)
    read = (postings(expected, "发展"), postings(expected, "标"), titles(expected))
    assert [d for d, _ in read[0]] == list(range(100))
    for size in (2, 8, 1000):
        monkeypatch.setattr(search, "CHUNK_DOCS", size)
        files = build_search_files(docs)        # ranges made of other chunks: the same numbers and postings
        assert (postings(files, "发展"), postings(files, "标"), titles(files)) == read


def test_a_stored_chunk_that_does_not_read_back_is_indexed_again(tmp_path, small_chunks):
    blobs = MemoryBlobs()
    memo = KeyedBlobs(blobs, Config(), tmp_path)
    old = archive(120)
    remembered_build(memo, old)
    keys = sorted(blobs.data)
    blobs.data[keys[0]] = blobs.data[keys[0]][:-7]                           # cut short
    head, _, body = blobs.data[keys[1]].partition(b"\n")
    blobs.data[keys[1]] = head.replace(b" ", b"  ", 1) + b"\n" + body         # a header that does not parse
    head, _, body = blobs.data[keys[2]].partition(b"\n")
    wrong = b"8" if head.endswith(b"9") else b"9"                             # (whatever the count was)
    blobs.data[keys[2]] = head[:-1] + wrong + b"\n" + body                    # counts that do not add up
    files, chunks = remembered_build(memo, old)
    assert chunks.made == 3 and files == build_search_files([search_doc(a) for a in old])


def test_a_site_rebuild_makes_only_the_added_articles_range_and_equals_a_cold_build(tmp_path, config, monkeypatch):
    from test_incremental import cold, copy_seeds, new_seed_bytes, tree
    from wuxi_archive.build import build_site
    from wuxi_archive.render import search_files

    monkeypatch.setattr(search, "CHUNK_DOCS", 2)            # ranges of a few articles: several in 36
    seeds = copy_seeds(tmp_path, copies=4)
    out = tmp_path / "site"
    build_site(seeds, out, config, jobs=1)
    made: list[str] = []
    real = search_files.range_files
    monkeypatch.setattr(search_files, "range_files",
                        lambda docs, where, postings: made.append(where.name) or real(docs, where, postings))
    (seeds / "zz_new.txt").write_bytes(new_seed_bytes())
    build_site(seeds, out, config, jobs=1)
    script = (out / search.INDEX_PATH).read_text(encoding="utf-8")
    ranges = json.loads(script[len("window.WUXI_SEARCH="):-2])["ranges"]
    assert len(ranges) >= 4 and len(made) == 1 and made[0] in {name for name, *_ in ranges}
    assert tree(out) == cold(seeds, tmp_path, config)
