"""The cleaning report: raw seed beside the cleaned article, removals and repairs visible."""
from __future__ import annotations

import html
import re

import pytest
from markupsafe import escape

from conftest import SEEDS, launched_chromium
from wuxi_archive.records import Article, CleanArticle, Fix, Paragraph, Removed
from wuxi_archive.render.chinese import chinese
from wuxi_archive.render.editor import report_order
from wuxi_archive.render.report_diff import char_diff, raw_rows
from wuxi_archive.editorial.review import attention


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="module")
def chromium_page():
    """One Chromium tab for this module's tests (Playwright's sync API runs one at a time)."""
    with launched_chromium() as browser:
        yield browser.new_page()


@pytest.fixture(scope="module")
def report_of(built_site, chromium_page):
    """The report editor/report.html?id=<id> shows in Chromium, opened from disk, as HTML
    (static/report.js builds it from the shard editor/data/<n>.js holding its data)."""
    def shown(article_id: str) -> str:
        chromium_page.goto((built_site / "editor" / "report.html").as_uri() + f"?id={article_id}")
        chromium_page.wait_for_selector("#report .editor-columns", timeout=10_000)
        return chromium_page.inner_html("#report")
    return shown


def test_every_article_has_a_report_listing_each_removed_line_struck_with_its_reason(site_records, report_of):
    for record in site_records:
        page = report_of(record["id"])
        struck = [html.unescape(t) for t in re.findall(r"<del>(.*?)</del>", page, re.S)]
        for removed in record["removed"]:
            assert removed["text"] in "\n".join(struck) or removed["text"].strip() in _text(page), (record["id"], removed)
            # Shown in Chinese (render/chinese.py), the English key kept beside it for tools.
            shown = chinese(removed["reason"])
            assert shown != removed["reason"] and shown in _text(page), removed["reason"]
            assert f'data-key="{escape(removed["reason"])}"' in page
            # on the line it came from
            item = re.search(rf'<li class="raw-removed" id="L{removed["line"]}">(.*?)</li>', page, re.S)
            assert item and removed["text"] in html.unescape(item.group(1)), removed
        for warning in record["warnings"]:
            assert chinese(warning) in _text(page)


def test_report_shows_the_raw_seed_lines_and_the_cleaned_paragraphs(site_records, report_of):
    for record in site_records:
        page = report_of(record["id"])
        raw = (SEEDS / record["seed"]).read_text(encoding="utf-8").splitlines()
        text = _text(page)
        shown = [line.strip() for line in raw if line.strip()][:10]
        if sum(r["seed"] == record["seed"] for r in site_records) == 1:    # the article spans its whole seed
            assert all(line in text for line in shown), record["id"]
        # every paragraph exactly as articles.json has it (report.js rebuilds most from the raw lines)
        cleaned = [html.unescape(_text(t)) for t in re.findall(r'<div class="clean-\w+">(.*?)</div>', page, re.S)]
        assert [re.sub(r"^[\d,]+ ", "", c) for c in cleaned] == [p["text"] for p in record["paragraphs"]], record["id"]


def test_report_shards_hold_what_report_data_gives(built_site, site_records, config):
    import json

    from wuxi_archive.build.pipeline import process_seed_file
    from wuxi_archive.render.report_data import report_data
    from wuxi_archive.render.report_shards import shard_count, shard_of, shard_path, unpack_shard
    shards = shard_count(len(site_records))
    page = (built_site / "editor" / "report.html").read_text(encoding="utf-8")
    assert f'data-shards="{shards}"' in page
    found = 0
    for path in sorted(SEEDS.glob("*.txt")):
        outcome = process_seed_file(path, config)
        for article in outcome.articles:
            number = shard_of(article.id, shards)
            shard, reports = unpack_shard((built_site / shard_path(number)).read_bytes())
            assert shard == number
            data = [r for r in reports if r["id"] == article.id]
            if not data:
                continue          # a duplicate the build keeps once (the _trad twins)
            found += 1
            assert data[0] == json.loads(json.dumps(report_data(article, outcome.lines, attention(article, outcome.lines))))
            assert data[0]["status"].count("r") == len(data[0]["why"]) == len(article.clean.removed)
    assert found == len(site_records)
    # every report is in exactly one shard, in id order, and no shard is empty
    ids = []
    for relpath in sorted((built_site / "editor" / "data").glob("*.js")):
        number, reports = unpack_shard(relpath.read_bytes())
        assert reports and [r["id"] for r in reports] == sorted(r["id"] for r in reports)
        assert all(shard_of(r["id"], shards) == number for r in reports)
        ids += [r["id"] for r in reports]
    assert sorted(ids) == sorted(r["id"] for r in site_records)


def test_shards_are_as_many_as_the_archive_needs_and_ids_spread_over_them():
    from wuxi_archive.render.report_shards import SHARD_REPORTS, shard_count, shard_of
    assert [shard_count(n) for n in (0, 1, SHARD_REPORTS, SHARD_REPORTS + 1, 10_000, 100_000)] == [1, 1, 1, 2, 128, 1024]
    counts = [0] * 128
    for n in range(10_000):
        counts[shard_of(f"{n:06d}_seed-{n % 3}", 128)] += 1
    assert min(counts) > 40 and max(counts) < 120     # about 78 each


def test_shard_text_is_7_bits_a_character_a_string_literal_can_hold_and_reads_back():
    import random

    from wuxi_archive.render.report_shards import UNSAFE, decode_7bit, encode_7bit
    rng = random.Random(21)
    samples = [b"", b"\x00", b"\xff" * 9, bytes(range(256)) * 2] + [rng.randbytes(n) for n in range(1, 40)]
    for data in samples:
        text = encode_7bit(data)
        assert len(text) == -(-8 * len(data) // 7)                     # 8 characters for 7 bytes
        assert all(ord(c) < 0x80 and ord(c) not in UNSAFE or 0x80 <= ord(c) < 0x80 + len(UNSAFE) for c in text)
        assert decode_7bit(text) == data


def test_a_shard_lists_shared_lines_and_reasons_once_and_unpacks_to_the_reports():
    import json
    import zlib

    from wuxi_archive.render.report_shards import decode_7bit, pack_shard, unpack_shard
    menu, footer, own = "首页 > 新闻 > 正文", "版权所有 © 某某网", "只在一篇里的一行"
    reports = [{"id": f"a{n}", "lines": [menu, own + str(n), footer, "短"],
                "reasons": [["menu", "菜单"], ["footer", "页脚"]] if n else [["footer", "页脚"]]} for n in range(3)]
    data = pack_shard(5, reports)
    number, unpacked = unpack_shard(data)
    assert number == 5 and unpacked == reports
    text = data.decode("utf-8").split('"')[1]
    lines, reasons, packed = json.loads(zlib.decompress(decode_7bit(text)))
    assert lines == [menu, footer]                  # in three reports each; "短" is shorter than an index
    assert reasons == [["footer", "页脚"], ["menu", "菜单"]]
    assert packed[1]["lines"] == [0, own + "1", 1, "短"] and packed[1]["reasons"] == [1, 0]


def test_seed_text_is_shown_as_text_never_run(tmp_path, config, chromium_page):
    from wuxi_archive.build import build_site
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    hostile = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
    lines = ["无锡科技新闻标题", "2024-05-01 来源:无锡日报"]
    lines += [f"无锡高新区今天举办了第{n}场科技创新大会,来自全国各地的专家学者参加了会议并作了报告。" for n in range(6)]
    lines += [hostile, "分享到", hostile + " 下一篇"]
    (seeds / "x.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    build_site(seeds, tmp_path / "site", config, use_cache=False)
    if True:
        page = chromium_page
        page.goto((tmp_path / "site" / "editor" / "report.html").as_uri() + "?id=x")
        page.wait_for_selector("#report .editor-columns", timeout=10_000)
        assert page.title() != "pwned" and page.locator("#report img").count() == 0
        assert page.locator("#report script").count() == 0
        assert hostile in page.inner_text("#report")
        # an id that is not an article's never becomes a path to a script
        page.goto((tmp_path / "site" / "editor" / "report.html").as_uri() + "?id=../../static/keys")
        page.wait_for_timeout(300)
        assert "没有这篇文章的清理报告" in page.inner_text("#report")
        assert page.evaluate("[...document.scripts].every(s => !s.src.includes('keys.js') || s.src.endsWith('static/keys.js'))")
        assert page.evaluate("[...document.scripts].filter(s => s.src.includes('/data/')).length") == 0


def test_article_links_to_its_report_and_report_index_lists_every_article(built_site, site_records):
    index = (built_site / "editor" / "index.html").read_text(encoding="utf-8")
    for record in site_records:
        assert f'href="report.html?id={record["id"]}"' in index
        article = (built_site / "articles" / f"{record['id']}.html").read_text(encoding="utf-8")
        assert f"editor/report.html?id={record['id']}" in article
    assert not [p for p in (built_site / "editor").glob("*.html") if p.name not in ("index.html", "report.html")
                and not p.name.startswith("page-")]


def test_reports_are_not_in_the_sitemap(built_site):
    sitemap = built_site / "sitemap.xml"
    if sitemap.is_file():
        assert "editor/" not in sitemap.read_text(encoding="utf-8")


def _article(seed: str, warnings: list[str], date: str | None) -> Article:
    return Article(clean=CleanArticle(seed=seed, part=1, title=seed, paragraphs=[], date=date, warnings=warnings))


def test_report_index_puts_articles_needing_attention_first():
    fine = _article("a.txt", [], "2024-01-01")
    undated = _article("b.txt", [], None)
    warned = _article("c.txt", ["uncertain split", "low text share"], "2024-01-01")
    order = [a.clean.seed for a, _ in report_order([(a, attention(a)) for a in (fine, undated, warned)])]
    assert order == ["c.txt", "b.txt", "a.txt"]
    assert attention(fine) == []
    assert any("undated" in r for r in attention(undated))


def _body(text: str, parts: int = 1, lines: tuple[int, int] = (1, 1)) -> Article:
    return Article(clean=CleanArticle(seed="s.txt", part=1, parts=parts, title="标题", date="2024-01-01",
                                      paragraphs=[Paragraph("p", text, [1])], lines=lines))


def test_attention_flags_garble_small_share_and_tiny_split_parts_only_when_present():
    sentence = "无锡高新区今天举办了一场科技人才对接活动,吸引了众多企业参加。" * 4
    assert attention(_body(sentence), [sentence]) == []
    assert any("garble" in r for r in attention(_body(sentence + "\ufffd"), [sentence]))
    chrome = ["首页 新闻 财经 科技 体育 娱乐 汽车 房产 教育 旅游 时尚 健康 " * 20] * 10
    low = attention(_body(sentence, lines=(1, 11)), [sentence] + chrome)
    assert any("low text share" in r for r in low)
    assert any("uncertain split" in r for r in attention(_body("短短一句。", parts=3), ["短短一句。"]))
    assert not any("uncertain split" in r for r in attention(_body(sentence, parts=3), [sentence]))


def test_report_index_flags_follow_the_real_seeds(built_site, site_records):
    index = (built_site / "editor" / "index.html").read_text(encoding="utf-8")
    for record in site_records:
        if record["date"] is None:
            row = index[index.find(f'href="report.html?id={record["id"]}"'):]
            assert "未找到发布日期" in row[:row.find("</tr>")]


def test_raw_rows_mark_kept_removed_metadata_and_repaired_lines():
    clean = CleanArticle(
        seed="s.txt", part=1, title="标题", lines=(1, 4),
        paragraphs=[Paragraph("p", "正文一句话。", [3])],
        removed=[Removed(4, "首页 | 新闻", "menu")],
        fixes=[Fix(3, "pinyin", "正文(zhèng)一句话。", "正文一句话。")],
    )
    rows = raw_rows(Article(clean=clean), ["标题", "", "正文(zhèng)一句话。", "首页 | 新闻", "beyond the span"])
    assert [(r.number, r.status) for r in rows] == [(1, "meta"), (2, "blank"), (3, "kept"), (4, "removed")]
    assert rows[3].reason == "menu" and rows[2].fixes


def test_char_diff_shows_exactly_what_changed():
    runs = char_diff("網(wǎng)絡公司", "網絡公司")
    assert ("del", "(wǎng)") in runs
    assert "".join(t for op, t in runs if op != "ins") == "網(wǎng)絡公司"
    assert "".join(t for op, t in runs if op != "del") == "網絡公司"
    assert char_diff("同样", "同样") == [("same", "同样")]


# The loop editor_index.html held before its rows were made in Python (report_rows_html).
TEMPLATE_ROWS = """\
  {% for a, reasons, removed, fixes in entries %}
    <tr{% if reasons %} class="attention"{% endif %}>
      <td><a href="report.html?id={{ a.id }}">{{ a.clean.title }}</a><br><code class="meta">{{ a.id }}</code></td>
      <td>{{ a.clean.date or "日期不详" }}</td>
      <td>{{ removed }}</td>
      <td>{{ fixes }}</td>
      <td>{% if reasons %}<ul>{% for w in reasons %}<li>{{ w|zh }}</li>{% endfor %}</ul>{% else %}—{% endif %}</td>
    </tr>
  {% endfor %}
"""


def test_report_index_rows_are_what_the_template_loop_made(config):
    from wuxi_archive.build.pipeline import process_seed_file
    from wuxi_archive.render import make_environment
    from wuxi_archive.render.editor import report_rows_html

    seeded = [(a, attention(a, o.lines), len(a.clean.removed), len(a.clean.fixes))
              for o in (process_seed_file(p, config) for p in sorted(SEEDS.glob("*.txt"))) for a in o.articles]
    odd = Article(clean=CleanArticle(seed="<x&y>.txt", part=2, parts=3, title='"引号" & <标签> \'单\'', paragraphs=[]))
    entries = report_order(seeded + [(odd, ["<b>粗</b> & 'q'", "第二条"], 0, 12)])
    assert any(reasons for _, reasons, _, _ in entries) and any(not reasons for _, reasons, _, _ in entries)
    looped = make_environment().from_string(TEMPLATE_ROWS).render(entries=entries)
    assert str(report_rows_html(entries)) == looped
