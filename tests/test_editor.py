"""The cleaning report: raw seed beside the cleaned article, removals and repairs visible."""
from __future__ import annotations

import html
import re

from markupsafe import escape

from conftest import SEEDS
from wuxi_archive.records import Article, CleanArticle, Fix, Paragraph, Removed
from wuxi_archive.render.chinese import chinese
from wuxi_archive.render.editor import char_diff, raw_rows, report_order
from wuxi_archive.editorial.review import attention


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_every_article_has_a_report_listing_each_removed_line_struck_with_its_reason(built_site, site_records):
    for record in site_records:
        page = (built_site / "editor" / f"{record['id']}.html").read_text(encoding="utf-8")
        struck = [html.unescape(t) for t in re.findall(r"<del>(.*?)</del>", page, re.S)]
        for removed in record["removed"]:
            assert removed["text"] in "\n".join(struck) or removed["text"].strip() in _text(page), (record["id"], removed)
            # Shown in Chinese (render/chinese.py), the English key kept beside it for tools.
            shown = chinese(removed["reason"])
            assert shown != removed["reason"] and shown in _text(page), removed["reason"]
            assert f'data-key="{escape(removed["reason"])}"' in page


def test_report_shows_the_raw_seed_lines(built_site, site_records):
    record = site_records[0]
    page = (built_site / "editor" / f"{record['id']}.html").read_text(encoding="utf-8")
    raw = (SEEDS / record["seed"]).read_text(encoding="utf-8").splitlines()
    shown = [line.strip() for line in raw if line.strip()][:10]
    text = _text(page)
    assert all(line in text for line in shown)


def test_article_links_to_its_report_and_report_index_lists_every_article(built_site, site_records):
    index = (built_site / "editor" / "index.html").read_text(encoding="utf-8")
    for record in site_records:
        assert f'href="{record["id"]}.html"' in index
        article = (built_site / "articles" / f"{record['id']}.html").read_text(encoding="utf-8")
        assert f"editor/{record['id']}.html" in article


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
            row = index[index.find(f'href="{record["id"]}.html"'):]
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
      <td><a href="{{ a.id }}.html">{{ a.clean.title }}</a><br><code class="meta">{{ a.id }}</code></td>
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
