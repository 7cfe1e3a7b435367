"""Fast paths give exactly what the simple code they replace gave.

Each test keeps the simple version here, as the reference, and compares it
with the fast one on real lines (seeds, test pages) and on garbled ones.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from markupsafe import Markup, escape

from wuxi_archive.clean import mojibake as M
from wuxi_archive.records import Paragraph
from wuxi_archive.render.bodytext import link_first_mentions


def _garble(text: str, at: int) -> str:
    """`text` with one byte lost at character `at`, read on out of step (as the pages show it)."""
    data = text[at:].encode("gbk", "replace")[1:]
    return text[:at] + "?" + data.decode("gb18030", "replace")


def _page_lines(folder: Path, limit: int = 40) -> list[str]:
    lines = []
    for path in sorted(folder.glob("*.txt"))[:limit]:
        lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return lines


def naive_best_window(text: str, start: int, end: int, marked: bool) -> int | None:
    """The window search as first written: every window recounted from scratch."""
    shifted = M._shifted_pairs(text[start:end])
    if marked:
        return start if all(shifted) else None
    best, best_gain, gain = None, 0, 0
    for i in range(end - 2, start - 1, -1):
        if shifted[i - start] is None:
            break
        gain += M.char_quality(shifted[i - start]) - M.char_quality(text[i + 1])
        window = text[i:end]
        strong = any(M._is_private(c) for c in window) or (
            len(window) >= 6 and sum(M._tier(c) < 2 for c in window) * 2 >= len(window))
        if strong and gain - M.char_quality(text[i]) > best_gain:
            best, best_gain = i, gain - M.char_quality(text[i])
    return best


@pytest.fixture(scope="module")
def lines(seeds_dir: Path, shared_dir: Path) -> list[str]:
    real = _page_lines(seeds_dir) + _page_lines(shared_dir / "testpages")
    prose = [line for line in real if len(line) > 20]
    garbled = [_garble(line, len(line) // 3) for line in prose[::3]]
    return real + garbled


def test_window_search_counts_incrementally_with_the_same_result(lines):
    compared = found = 0
    for text in lines:
        for start, end in M._spans(text):
            for marked in (False, True):
                fast = M._best_window(text, start, end, marked)
                assert fast == naive_best_window(text, start, end, marked), text
                compared += 1
                found += fast is not None and not marked
    assert compared > 1000 and found > 10   # garbled lines really reach the repair



def regex_link_paragraph(text: str, remaining: dict, linked: set, root: str) -> str:
    """Mention linking as first written: one alternation, longest surface first."""
    parts, pos = [], 0
    while True:
        surfaces = sorted((s for s, path in remaining.items() if path not in linked),
                          key=lambda s: (-len(s), s))
        match = re.compile("|".join(map(re.escape, surfaces))).search(text, pos) if surfaces else None
        if match is None:
            break
        path = remaining[match.group(0)]
        parts.append(escape(text[pos:match.start()]))
        parts.append(Markup('<a href="{}">{}</a>').format(root + path, match.group(0)))
        pos = match.end()
        linked.add(path)
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)


def test_mention_linking_by_find_matches_the_regex_alternation():
    rng = random.Random(7)
    alphabet = "南京大学科技园<&\"会"   # few letters: surfaces overlap, nest and repeat
    for _ in range(300):
        targets = []
        for k in range(rng.randint(0, 8)):
            surface = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
            path = f"org/{rng.randint(0, 4)}.html"    # aliases share a path
            targets.append((surface, path))
        paragraphs = [Paragraph(kind=rng.choice(["p", "p", "h", "caption"]),
                                text="".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))))
                      for _ in range(rng.randint(1, 4))]
        remaining = {s: path for s, path in targets if s}
        linked: set[str] = set()
        expected = [regex_link_paragraph(p.text, remaining, linked, "../") if p.kind in ("p", "caption")
                    else str(escape(p.text)) for p in paragraphs]
        assert [str(m) for m in link_first_mentions(paragraphs, targets, "../")] == expected


def test_plainly_clean_lines_skip_only_what_the_full_repair_leaves_alone(lines):
    page = "\n".join(lines)
    skipped = 0
    for number, text in enumerate(lines, 1):
        if text.isascii():
            continue
        fast = M.repair_mojibake(text, number, page)
        assert fast == M._repair_line(text, number, page), text
        skipped += M._plainly_clean(text)
    repaired = sum(M._repair_line(t, n, page)[1] != [] for n, t in enumerate(lines, 1) if not t.isascii())
    assert skipped > len(lines) // 4 and repaired > 10   # both paths are really exercised


def simple_related_articles(articles, limit=5):
    """Related articles as first written: every sharer of every key scored."""
    from collections import defaultdict

    from wuxi_archive.index.related import NEAR_DAYS, RelatedLink, _day, _keys
    owners = defaultdict(list)
    for a in articles:
        for kind, name, _ in _keys(a):
            owners[(kind, name)].append(a.id)
    days = {a.id: _day(a) for a in articles}

    def apart(one, other):
        return None if days[one] is None or days[other] is None else abs(days[one] - days[other])

    def time_key(one, other):
        gap = apart(one, other)
        return (gap if gap is not None else 10**9, other)

    result = {}
    for a in articles:
        score, shared = defaultdict(int), defaultdict(list)
        for kind, name, weight in _keys(a):
            for other in owners[(kind, name)]:
                if other != a.id:
                    score[other] += weight
                    shared[other].append(name)
        ranked = sorted(score, key=lambda o: (-score[o], time_key(a.id, o)))[:limit]
        links = [RelatedLink(o, shared[o], apart(a.id, o)) for o in ranked]
        if len(links) < limit and days[a.id] is not None:
            near = sorted((o for o in days if days[o] is not None and o != a.id and o not in score
                           and abs(days[o] - days[a.id]) <= NEAR_DAYS), key=lambda o: time_key(a.id, o))
            links += [RelatedLink(o, [], apart(a.id, o)) for o in near[: limit - len(links)]]
        result[a.id] = links
    return result


@pytest.mark.parametrize("seed", range(8))
def test_related_articles_by_bitsets_match_scoring_every_sharer(seed):
    from wuxi_archive.index.related import related_articles
    from wuxi_archive.records import Article, CleanArticle, Event, Organisation
    rng = random.Random(seed)
    orgs = [f"机构{i}" for i in range(rng.choice([3, 6, 12]))]    # few names: many are popular
    articles = []
    for i in range(rng.choice([60, 200])):
        date = None if rng.random() < 0.15 else f"2021-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
        clean = CleanArticle(seed=f"s{i:03d}.txt", part=1, title="t", paragraphs=[], date=date)
        articles.append(Article(clean=clean,
                                organisations=[Organisation(o) for o in rng.sample(orgs, rng.randint(0, min(6, len(orgs))))],
                                events=[Event(f"会议{rng.randint(0, 4)}")] if rng.random() < 0.4 else []))
    assert related_articles(articles) == simple_related_articles(articles)


@pytest.mark.parametrize("seed", range(6))
def test_organisations_named_alongside_counted_when_asked_match_counting_every_pair(seed):
    # The index once counted every pair of names in every article up front; it now
    # counts one organisation's articles when its page asks. Same ten, same counts.
    from wuxi_archive.index import build_index
    from wuxi_archive.index.slugs import pinyin_key
    from wuxi_archive.records import Article, CleanArticle, Organisation
    rng = random.Random(seed)
    orgs = [f"机构{i}" for i in range(rng.choice([4, 15, 30]))]
    articles = []
    for i in range(rng.choice([40, 150])):
        clean = CleanArticle(seed=f"s{i:03d}.txt", part=1, title="t", paragraphs=[], date=f"2021-01-{i % 28 + 1:02d}")
        names = rng.sample(orgs, rng.randint(0, min(8, len(orgs))))
        named = [Organisation(n) for n in names + rng.sample(names, min(2, len(names)))]   # some twice
        articles.append(Article(clean=clean, organisations=named))
    index = build_index(articles)
    for name in index.organisations:
        pairs: dict[str, int] = {}
        for article in articles:
            present = {o.name for o in article.organisations}
            if name in present:
                for other in present - {name}:
                    pairs[other] = pairs.get(other, 0) + 1
        expected = sorted(pairs.items(), key=lambda kv: (-kv[1], pinyin_key(kv[0])))[:10]
        assert index.co_mentioned(name) == expected


def simple_last_stop_end(segment, words, singles, mask):
    """last_stop_end as first written: every word tried at every position."""
    best = 0
    for i, char in enumerate(segment):
        if mask[i]:
            continue
        if char in singles:
            best = max(best, i + 1)
        for word in words:
            if segment.startswith(word, i) and not any(mask[i:i + len(word)]):
                best = max(best, i + len(word))
                break
    return best


def test_stop_words_found_by_find_give_the_same_edge():
    from wuxi_archive.extract.text import last_stop_end
    rng = random.Random(3)
    alphabet = "在由与和的是为了会"
    for _ in range(3000):
        segment = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        words = tuple({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 6))})
        words = tuple(sorted(words, key=lambda w: rng.random()))   # order matters: first fitting word wins
        singles = frozenset(rng.sample(alphabet, rng.randint(0, 2)))
        mask = [rng.random() < 0.2 for _ in segment]
        assert last_stop_end(segment, words, singles, mask) == simple_last_stop_end(segment, words, singles, mask)


def simple_from_plain(tp, data):
    """The cache's from_plain as first written: the type examined for every value."""
    import dataclasses
    import types
    import typing
    from typing import Any
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        return tp(**{k: simple_from_plain(hints[k], v) for k, v in data.items() if k in names})
    if tp in (str, int, float, bool, Any):
        return data
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return simple_from_plain(options[0], data) if len(options) == 1 else data
    if origin is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [simple_from_plain(item, v) for v in data]
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(simple_from_plain(args[0], v) for v in data)
        return tuple(simple_from_plain(a, v) for a, v in zip(args, data))
    if origin is dict:
        _, value_type = typing.get_args(tp) or (Any, Any)
        return {k: simple_from_plain(value_type, v) for k, v in data.items()}
    return data


def test_cache_records_round_trip_like_asdict_and_the_simple_loader(seeds_dir, shared_dir, config):
    import dataclasses
    import json

    from wuxi_archive.build.pipeline import SeedOutcome, process_seed_file
    from wuxi_archive.plain import from_json, to_plain
    paths = sorted(seeds_dir.glob("*.txt")) + sorted((shared_dir / "testpages").glob("*.txt"))[:20]
    outcomes = [process_seed_file(p, config) for p in paths]
    assert sum(len(o.articles) for o in outcomes) > 10
    for outcome in outcomes:
        plain = to_plain(outcome)
        assert json.dumps(plain, ensure_ascii=False) == json.dumps(dataclasses.asdict(outcome), ensure_ascii=False)
        text = json.dumps(plain, ensure_ascii=False)
        loaded = from_json(SeedOutcome, text.encode())
        assert loaded == simple_from_plain(SeedOutcome, json.loads(text)) == outcome


def test_a_cache_record_of_the_wrong_shape_is_refused():
    import pytest

    from wuxi_archive.plain import from_json
    from wuxi_archive.records import Person
    assert from_json(Person, '{"name": "王明"}') == Person("王明")                       # defaults apply
    assert from_json(Person, '{"name": "王明", "role": "局长", "organisation": null, "x": 1}') == Person("王明", "局长")
    for wrong in ('{"role": "局长"}', '{"name": 1}', '{"name": "王明", "role": ["局长"]}', '[]', '{"name": "王'):
        with pytest.raises(ValueError):       # so the cache entry is recomputed
            from_json(Person, wrong)


def test_articles_json_record_by_record_is_what_one_dump_gives(site_records):
    import json

    from wuxi_archive.records import Article
    from wuxi_archive.render.records_file import articles_json, joined
    assert joined(articles_json([])[0]) == b"[]\n"

    class Recorded(Article):    # replays the built site's records (nested lists, nulls, quotes, CJK)
        def __init__(self, record):
            self.record = record

        @property
        def id(self):
            return self.record["id"]

        def to_json(self):
            return self.record

    records = sorted(site_records, key=lambda r: r["id"])
    assert len(records) > 5
    # one compact record a line, between the array's brackets
    expected = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records) + "\n]\n"
    pieces, spans = articles_json([Recorded(r) for r in reversed(records)])
    made = joined(pieces)
    assert made == expected.encode("utf-8")
    assert json.loads(made) == records
    assert made.count(b"\n") == len(records) + 2
    # and each record is where its span says
    assert [json.loads(bytes(made[start:end])) for _, _, start, end in spans] == records


def _render_to(folder: Path, articles, config, keys=None, previous=None):
    """Render `articles` into `folder` (with page keys, keeping what `previous` says is unchanged);
    the tree, the writer and its manifest."""
    from wuxi_archive.index import build_index
    from wuxi_archive.render import render_site
    from wuxi_archive.render.writer import SiteWriter
    writer = SiteWriter(folder, previous)
    render_site(build_index(articles), config, writer, keys=keys)
    manifest = writer.commit()
    tree = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return tree, writer, manifest


def test_pages_kept_by_their_key_equal_freshly_rendered_ones(seeds_dir, config, tmp_path):
    import copy

    from wuxi_archive.page_keys import PageKeys
    from wuxi_archive.build.pipeline import process_seed_file
    from wuxi_archive.render import asset_dir
    articles = [a for p in sorted(seeds_dir.glob("*.txt")) for a in process_seed_file(p, config).articles]
    keys = PageKeys(config, asset_dir("templates"))
    first, _, manifest = _render_to(tmp_path / "a", articles, config, keys)
    keyed = [p for p, (_, _, digest) in manifest.items() if not digest.startswith("c:")]
    assert len(keyed) > len(articles)        # articles, entity and date pages carry their key
    # Change what other pages show of one article: its title (related lists) and
    # an organisation it names (links): pages showing either must be rendered anew.
    changed = copy.deepcopy(articles)
    changed[0].clean.title = "改过的标题"
    changed[1].organisations = changed[1].organisations[1:]
    again, writer, _ = _render_to(tmp_path / "a", changed, config, keys, manifest)
    fresh, _, _ = _render_to(tmp_path / "c", changed, config)
    assert again == fresh
    assert again != first
    assert 0 < writer.written and 0 < writer.kept
    for folder in ("articles/", "org/", "date/"):
        pages = [p for p in fresh if p.startswith(folder)]
        kept = [p for p in pages if fresh[p] == first.get(p)]
        assert 0 < len(kept) < len(pages)     # some pages kept, the changed ones not


def test_unchanged_reports_are_kept_without_reading_their_seeds(seeds_dir, config, tmp_path):
    from wuxi_archive.build.pipeline import process_seed_file
    from wuxi_archive.page_keys import PageKeys
    from wuxi_archive.render import asset_dir
    from wuxi_archive.render.editor import render_editor_pages
    from wuxi_archive.render.writer import SiteWriter
    keys = PageKeys(config, asset_dir("templates"))
    outcomes = [process_seed_file(p, config) for p in sorted(seeds_dir.glob("*.txt"))]
    articles = [a for o in outcomes for a in o.articles]
    raw = {o.seed: o.lines for o in outcomes}
    prepared = {a.id: made for o in outcomes for a, made in zip(o.articles, o.prepared)}
    sites, asked = [], []

    def lines_of(seed):
        asked.append(seed)
        return raw[seed]

    out = tmp_path / "site"
    files = {}
    for _ in range(2):
        writer = SiteWriter(out, previous=dict(files))     # as the build's stamp gives it (SiteStamp.files)
        render_editor_pages(articles, lines_of, {o.seed: o.lines_digest for o in outcomes}, config, writer,
                            keys=keys, prepared=prepared)
        writer.commit()
        files = writer.files
        sites.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
        if len(sites) == 1:
            assert asked and len(articles) > 5 and [p for p in sites[0] if p.startswith("editor/data/")]
            asked.clear()
    assert asked == [] and sites[0] == sites[1]


def element_tree_sitemap(paths, config):
    """The sitemap as first written: an ElementTree of every page, indented and serialised."""
    import xml.etree.ElementTree as ET
    from wuxi_archive.render.feeds import SITEMAP, _serialise, _url
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in sorted(set(paths)):
        ET.SubElement(ET.SubElement(urlset, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = _url(config, path)
    return _serialise(urlset)


@pytest.mark.parametrize("base_url", ["", "https://example.org/a?x=1&y=<2>"])
def test_the_written_out_sitemap_is_what_element_tree_wrote(base_url, config):
    from dataclasses import replace
    from wuxi_archive.render.feeds import sitemap
    config = replace(config, base_url=base_url)
    rng = random.Random(3)
    paths = [f"org/{rng.choice(['a', 'b&c', 'd<e>', '无锡', 'x y'])}{i % 7}.html" for i in range(40)]
    for chosen in ([], paths[:1], paths, paths + paths[:5]):
        assert sitemap(chosen, config) == element_tree_sitemap(chosen, config)


@pytest.mark.parametrize("value", [
    {}, [], "", None, True, False, 0, -7, 2.5,
    {"a": [], "b": {}, "c": [[]], "d": [{}], "e": None, "f": True},
    {"text": "引号\"与\\反斜杠\n换行\t制表\u2028\x00", "list": ["一", "二", ["三", {"四": [5, None]}]]},
    [{"kind": "p", "text": "正文"}, {"kind": "h", "text": "标题"}],
    ("tuple", ["as", "a", "list"]),
])
def test_compact_json_writes_what_json_dumps_compact_writes(value):
    import json

    from wuxi_archive.records import compact_json
    assert compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert "\n" not in compact_json(value)


def test_records_are_written_as_json_dumps_writes_them(seeds_dir, config):
    import json

    from wuxi_archive.build.pipeline import process_seed
    from wuxi_archive.records import record_text
    articles = [a for path in sorted(seeds_dir.glob("*.txt")) for a in process_seed(path, config)]
    assert articles
    for article in articles:
        simple = json.dumps(article.to_json(), ensure_ascii=False, separators=(",", ":"))
        assert record_text(article) == simple


def test_record_digests_are_the_sorted_json_digest_whichever_encoder_makes_them(seeds_dir, config):
    import hashlib
    import json

    from wuxi_archive.build.pipeline import process_seed_file
    from wuxi_archive.plain import record_digest, to_plain
    from wuxi_archive.records import Article, CleanArticle
    articles = [a for p in sorted(seeds_dir.glob("*.txt")) for a in process_seed_file(p, config).articles]

    def by_json(value):
        text = json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    for article in articles:        # msgspec's encoding, keys sorted, is json.dumps's
        assert record_digest(article) == by_json(article)
    odd = Article(CleanArticle(seed="x.txt", part=1, title="坏\udc80字", paragraphs=[]))
    assert record_digest(odd) == by_json(odd)          # a lone surrogate: the json path
