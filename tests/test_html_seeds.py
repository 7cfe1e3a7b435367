"""Saved web pages: what the markup knows reaches the cleaner as evidence.

Small pages written here for each hint (chrome containers, link lists, the
content container, headline candidates, meta dates, the dateline under the
headline, a declared GBK charset), and a floor on the HTML originals of the
dev pages (skipped without ../shared)."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wuxi_archive.clean import clean_page
from wuxi_archive.clean.html_hints import publication_dates
from wuxi_archive.load import MAX_LINE_CHARS, load_seed_bytes

P1 = "无锡市今天举办科技创新大会，来自全市的两百多家企业参加了会议，会上发布了新的扶持政策。"
P2 = "市科技局负责人表示，今年将继续加大对科技型中小企业的支持力度，帮助企业解决融资难题。"
P3 = "与会企业代表认为，新政策针对性强，将为企业研发投入提供实实在在的帮助，推动产业升级。"


def page_of(body: str, head: str = "<title>无锡举办科技创新大会_某某新闻网</title>", name: str = "p.html"):
    html = f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return load_seed_bytes(name, html.encode("utf-8"))


def hint_of(page, text: str):
    return page.line_hints[page.lines.index(text)]


ARTICLE = f"""
<div class="top"><nav><ul><li><a href="/">首页</a></li><li><a href="/n">新闻中心</a></li></ul></nav></div>
<div class="wrap">
  <h1>无锡举办科技创新大会</h1>
  <div class="info">2024-05-30 09:30 来源：无锡日报</div>
  <div class="article-content"><p>{P1}</p><p>{P2}</p>
    <div class="share-bar">分享到：微信 微博</div><p>{P3}</p></div>
  <div class="comment-list"><p>网友甲：这个政策很好，希望能够尽快落实到位，让更多的企业受益。</p></div>
  <div class="hot"><ul><li><a href="/1">另一条新闻的标题在这里</a></li><li><a href="/2">第二条新闻的标题在这里</a></li>
    <li><a href="/3">第三条新闻的标题在这里</a></li></ul></div>
</div>
<footer>版权所有 某某新闻网</footer>
"""


def test_text_dump_has_no_hints():
    page = load_seed_bytes("p.txt", f"标题\n{P1}\n".encode("utf-8"))
    assert page.line_hints == [] and page.html_headlines == {}


def test_hints_one_per_line():
    page = page_of(ARTICLE)
    assert len(page.line_hints) == len(page.lines)


def test_chrome_containers_by_element_and_by_name():
    page = page_of(ARTICLE)
    assert hint_of(page, "首页").chrome == "navigation"
    assert hint_of(page, "版权所有 某某新闻网").chrome == "footer"
    assert hint_of(page, "分享到：微信 微博").chrome == "share widget"
    assert hint_of(page, "网友甲：这个政策很好，希望能够尽快落实到位，让更多的企业受益。").chrome == "comments"


def test_link_list_outside_the_article():
    page = page_of(ARTICLE)
    assert hint_of(page, "另一条新闻的标题在这里").chrome == "link list"
    assert hint_of(page, P1).chrome == ""


def test_content_container_and_element_tags():
    page = page_of(ARTICLE)
    assert all(hint_of(page, p).main for p in (P1, P2, P3))
    assert hint_of(page, P1).tag == "p"
    assert not hint_of(page, "无锡举办科技创新大会").main
    assert hint_of(page, "无锡举办科技创新大会").tag == "h1"
    assert hint_of(page, "首页").link_chars == 2


def test_a_content_word_in_a_name_is_never_chrome():
    page = page_of(f'<div class="comment-article-body"><p>{P1}</p><p>{P2}</p></div>')
    assert hint_of(page, P1).chrome == ""


def test_page_classes_on_body_are_not_chrome():
    html = f"<html><head><title>t</title></head><body class='has-navbar'><p>{P1}</p><p>{P2}</p></body></html>"
    page = load_seed_bytes("p.html", html.encode("utf-8"))
    assert hint_of(page, P1).chrome == ""


def test_text_after_a_stray_body_end_is_read():
    html = f"<html><head><title>t</title></head><body><p>页头</p></body></html><div><p>{P1}</p></div>"
    page = load_seed_bytes("p.html", html.encode("utf-8"))
    assert P1 in page.lines


def test_headline_candidates():
    head = ("<title>无锡举办科技创新大会_某某新闻网</title>"
            "<meta property='og:title' content='无锡举办科技创新大会'>")
    page = page_of(ARTICLE, head)
    assert page.html_headlines == {"og:title": ["无锡举办科技创新大会"], "h1": ["无锡举办科技创新大会"],
                                   "title": ["无锡举办科技创新大会_某某新闻网"]}


def test_meta_dates_ranked_publication_first():
    head = ("<title>t</title><meta name='pubdate' content='2022-04-24 10:00'>"
            "<meta property='article:modified_time' content='2024-06-01'>"
            "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2024-05-30T09:30:00+08:00\"}</script>")
    page = page_of(f"<time datetime='2023-01-01'>旧</time><p>{P1}</p>", head)
    assert page.html_meta["json-ld:datepublished"] == "2024-05-30T09:30:00+08:00"
    assert "article:modified_time" not in page.html_meta      # a later change is not publication
    assert publication_dates(page) == ["2024-05-30T09:30:00+08:00", "2022-04-24 10:00", "2023-01-01"]


def test_clean_uses_the_headline_the_title_names_and_removes_chrome_with_reasons(config):
    [article] = clean_page(page_of(ARTICLE), config)
    assert article.title == "无锡举办科技创新大会"
    texts = [p.text for p in article.paragraphs]
    assert texts == [P1, P2, P3]
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["首页"].endswith("page chrome by its markup (navigation)")   # a boundary before the article
    assert reasons["分享到：微信 微博"] == "page chrome by its markup (share widget)"   # hidden inside it
    assert "comments" in reasons["网友甲：这个政策很好，希望能够尽快落实到位，让更多的企业受益。"]


def test_headline_broken_over_lines_is_joined(config):
    body = f"<div class='t'><p>全国科技大会</p><p>在无锡隆重开幕</p></div><div><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
    [article] = clean_page(page_of(body, "<title>全国科技大会在无锡隆重开幕__某某网</title>"), config)
    assert article.title == "全国科技大会在无锡隆重开幕"
    assert [p.text for p in article.paragraphs] == [P1, P2, P3]


def test_title_with_the_site_name_first(config):
    body = f"<p>某某县人民政府</p><h1>某某县统计公报发布</h1><div><p>{P1}</p><p>{P2}</p></div>"
    [article] = clean_page(page_of(body, "<title>某某县人民政府 | 某某县统计公报发布</title>"), config)
    assert article.title == "某某县统计公报发布"


def test_dateline_under_the_headline_beats_a_cms_meta_date(config):
    head = "<title>无锡举办科技创新大会_某某新闻网</title><meta name='pubdate' content='2022-04-24 10:00:43'>"
    for dateline in ("2024-05-30 09:30", "2024-05-30 09:30发布于无锡"):
        [article] = clean_page(page_of(ARTICLE.replace("2024-05-30 09:30 来源：无锡日报", dateline), head), config)
        assert article.date == "2024-05-30", dateline
        assert "meta" not in article.date_basis


def test_meta_date_when_the_page_prints_none(config):
    head = ("<title>无锡举办科技创新大会_某某新闻网</title>"
            "<meta property='article:published_time' content='2024-05-29T08:00:00+08:00'>")
    [article] = clean_page(page_of(ARTICLE.replace("2024-05-30 09:30 来源：无锡日报", ""), head), config)
    assert article.date == "2024-05-29"
    assert "meta" in article.date_basis


def test_long_line_split_keeps_its_hint():
    sentence = "这是一个很长的句子，用来测试超长行的切分。"
    long = sentence * (MAX_LINE_CHARS // len(sentence) + 5)
    page = page_of(f"<nav><p>菜单</p></nav><p>{long}</p>")
    assert len(page.line_hints) == len(page.lines)
    pieces = [i for i, line in enumerate(page.lines) if line.startswith("这是一个很长")]
    assert len(pieces) == 2 and all(page.line_hints[i].tag == "p" for i in pieces)


def test_declared_gbk_page_decoded_cleanly_does_not_warn():
    html = f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=gbk'><title>标题</title></head><body><p>{P1}</p></body></html>"
    page = load_seed_bytes("p.html", html.encode("gbk"))
    assert page.encoding == "gb18030"
    assert not any("gb18030" in w for w in page.warnings)
    undeclared = load_seed_bytes("q.html", html.replace("charset=gbk", "").encode("gbk"))
    assert any("decoded as gb18030" in w for w in undeclared.warnings)


# The targets on the HTML originals of the dev pages (title, date), and the
# body measures, which must stay at least as good as on the text dumps.
HTML_FLOORS = {"title": 0.95, "date": 0.95, "body_first": 0.95, "body_last": 0.9, "chrome_absent_rate": 0.98}


def test_dev_html_originals_floor(shared_dir, tmp_path):
    html = shared_dir / "devpages" / "html"
    scorer_path = shared_dir / "tools" / "score.py"
    if not html.is_dir() or not scorer_path.is_file():
        pytest.skip("../shared/devpages/html or the scorer is missing")
    out = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "wuxi_archive", "build", "--seeds", str(html), "--out", str(out),
                    "--no-cache"], check=False, capture_output=True)
    articles = json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))
    spec = importlib.util.spec_from_file_location("score", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    import yaml
    from opencc import OpenCC
    gold = yaml.safe_load((shared_dir / "devpages" / "gold.yaml").read_text(encoding="utf-8"))
    for entry in gold:
        entry["page"] = str(Path(entry["page"]).with_suffix(".html"))
    _, summary = scorer.score(gold, articles, OpenCC("t2s").convert, OpenCC("s2t").convert)
    for metric, floor in HTML_FLOORS.items():
        hits, total = summary[metric][0], summary[metric][1]
        assert hits / total >= floor, f"{metric}: {hits}/{total} below {floor}"


def test_content_container_opens_the_article_with_its_short_first_line(config):
    body = (f"<h1>无锡举办科技创新大会</h1><div class='byline'>本报记者 张三</div>"
            f"<div class='article-content'><p>“机不可失，时不再来！”</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
            "<div class='hot'><ul><li><a href='/1'>另一条新闻的标题在这里</a></li><li><a href='/2'>第二条新闻的标题在这里</a></li>"
            "<li><a href='/3'>第三条新闻的标题在这里</a></li></ul></div>")
    [article] = clean_page(page_of(body), config)
    assert [p.text for p in article.paragraphs] == ["“机不可失，时不再来！”", P1, P2, P3]


def test_chrome_outside_the_article_keeps_two_prose_blocks_apart(config):
    other = "另一篇报道写道，邻市的展会也在同一天开幕，吸引了众多参观者前往，现场气氛十分热烈。"
    body = (f"<h1>无锡举办科技创新大会</h1><div class='article-content'><p>{P1}</p><p>{P2}</p></div>"
            f"<div class='sidebar'><p>热门</p></div><div class='box'><p>{other}</p></div>")
    [article] = clean_page(page_of(body), config)
    assert [p.text for p in article.paragraphs] == [P1, P2]


def test_the_run_under_the_headline_wins_over_a_heavier_list_after_an_opener(config):
    story = "".join(f"<p>第{n}条其他新闻的摘要写在这里，内容很长很长，讲了许多与本文无关的事情，一直写到这里才结束。</p>"
                    for n in range(1, 9))
    body = (f"<h1>无锡举办科技创新大会</h1><div class='a'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
            f"<div class='more'><h2>你可能还想看</h2>{story}</div>")
    [article] = clean_page(page_of(body), config)
    assert [p.text for p in article.paragraphs] == [P1, P2, P3]


def test_the_outer_chrome_container_gives_the_reason():
    page = page_of(f"<p>{P1}</p><div class='ad-box'><p>推广内容在这里</p><div class='foot'>广告标记</div></div>")
    assert hint_of(page, "广告标记").chrome == "advertisement"      # an ad's own footer is the ad's


def test_a_site_name_linking_home_is_no_headline(config):
    body = (f"<div class='logo'><a href='/'>某某日报社</a></div><h1>无锡举办科技创新大会</h1>"
            f"<div class='text'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>")
    [article] = clean_page(page_of(body, "<title>某某日报社_今日要闻</title>"), config)
    assert article.title == "无锡举办科技创新大会"


def test_thousands_of_nested_tags_load(config):
    html = "<html><body>" + "<div>" * 3000 + f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>" + "</div>" * 3000 + "</body></html>"
    page = load_seed_bytes("deep.html", html.encode("utf-8"))
    assert [line for line in page.lines if line] == [P1, P2, P3]
    assert all(hint_of(page, p).main for p in (P1, P2, P3))
    [article] = clean_page(page, config)
    assert [p.text for p in article.paragraphs] == [P1, P2, P3]


def test_removal_warnings_only_where_the_markup_may_cost_article_text(config):
    [quiet] = clean_page(page_of(ARTICLE), config)     # short comments under a longer article
    assert not any("containers were removed as chrome" in w for w in quiet.warnings)
    long_comments = "".join(f"<p>网友{n}：我认为这个政策非常好，希望相关部门能够尽快落实，让更多中小企业真正受益。</p>"
                            for n in range(6))
    body = (f"<h1>无锡举办科技创新大会</h1><div class='article-content'><p>{P1}</p><p>{P2}</p></div>"
            f"<div class='comment-list'>{long_comments}</div>")
    [loud] = clean_page(page_of(body), config)
    assert any("comments containers were removed as chrome" in w for w in loud.warnings)
    assert [p.text for p in loud.paragraphs] == [P1, P2]


def test_nothing_lost_on_the_dev_html_originals(shared_dir, config):
    """Every sentence of a saved page is in an article or removed with a reason."""
    html = shared_dir / "devpages" / "html"
    if not html.is_dir():
        pytest.skip("../shared/devpages/html is missing")
    sentence = re.compile(r"[^。！？!?；;]*[。！？!?；;]")
    lost = []
    for path in sorted(html.glob("*.html")):
        page = load_seed_bytes(path.name, path.read_bytes())
        articles = clean_page(page, config)
        kept = "".join("".join(p.text.split()) for a in articles for p in a.paragraphs)
        accounted = {r.line for a in articles for r in a.removed if r.reason.strip()}
        accounted |= {n for a in articles for p in a.paragraphs for n in p.lines}
        lost += [f"{path.name}:{number}" for number, line in enumerate(page.lines, 1) if number not in accounted
                 for s in sentence.findall("".join(line.split())) if len(s) > 30 and s not in kept]
    assert not lost


def test_an_old_table_layout_with_br_paragraphs(config):
    body = ("<table><tr><td class='nav'><a href='/'>首页</a> <a href='/a'>机构</a> <a href='/b'>新闻</a></td></tr>"
            "<tr><td><table><tr><td align=center><b>无锡举办科技创新大会</b></td></tr>"
            "<tr><td>发布时间：2024-05-30 来源：市科技局</td></tr>"
            f"<tr><td class='zw'>{P1}<br><br>{P2}<br><br>{P3}</td></tr></table></td></tr></table>"
            "<div>版权所有 某某市人民政府 备案号：苏ICP备12345678号</div>")
    [article] = clean_page(page_of(body), config)
    assert (article.title, article.date, article.source) == ("无锡举办科技创新大会", "2024-05-30", "市科技局")
    assert [p.text for p in article.paragraphs] == [P1, P2, P3]


def test_an_html5_article_with_its_header_figure_and_aside(config):
    body = ("<header class='site'><nav><a href='/'>首页</a><a href='/x'>要闻</a></nav></header>"
            "<article><header><h1>无锡举办科技创新大会</h1><time datetime='2024-05-30T09:00'>2024年5月30日 09:00</time>"
            f"</header><p>{P1}</p><figure><img src='a.jpg'><figcaption>大会现场。记者 张三 摄</figcaption></figure>"
            f"<p>{P2}</p><p>{P3}</p></article>"
            "<aside><h3>热门</h3><ul><li><a href='/1'>另一条新闻的标题在这里</a></li></ul></aside>")
    [article] = clean_page(page_of(body), config)
    assert (article.title, article.date) == ("无锡举办科技创新大会", "2024-05-30")
    assert [(p.kind, p.text) for p in article.paragraphs] == [
        ("p", P1), ("caption", "大会现场。记者 张三 摄"), ("p", P2), ("p", P3)]


def test_a_body_opening_with_the_headlines_lines_starts_after_them():
    # the branch that moves the first article's start past the markup's headline
    from wuxi_archive.clean.chrome import PageLine
    from wuxi_archive.clean.html_headline import headline_above_body
    from wuxi_archive.clean.split import Segment
    lines = [PageLine(n + 1, t, t) for n, t in enumerate(["标题", "", "第一段。", "第二段。"])]
    [moved] = headline_above_body([Segment(0, 3, None, ())], lines, [0])
    assert (moved.start, moved.end) == (2, 3)
