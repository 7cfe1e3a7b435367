"""Seed text is data: hostile markup in a seed never becomes markup in the site.

A site is built from hostile seeds (markup in the title, body, byline, tags,
a saved web page, the seed's file name and an editor's note), then every
output file is parsed the way a browser or feed reader would read it:
HTML with html.parser, XML with ElementTree (and the HTML inside Atom
`type="html"` content), JSON with json, scripts with their string literals
taken out. No element, attribute or script the seed spelled out may exist;
the hostile text must still be there, as text. Finally chromium loads every
page (and the search page with hostile queries) and no payload may run.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import SEEDS, launched_chromium
from wuxi_archive.build import build_site

MARK = "PWNED"  # every payload sets window.PWNED_<n>; the marker must never reach live code

HOSTILE_TXT = """首页 | 新闻 | <a href="javascript:window.PWNED_3=1">登录</a>
"><img src=x onerror=window.PWNED_2=1>无锡举办<script>window.PWNED_1=1</script>科技大会
2024-05-30 10:00 来源：<b onmouseover=window.PWNED_5=1>新华社</b> 记者 <img src=x onerror=window.PWNED_6=1>张三
无锡市今天举办了一场科技大会，来自全国各地的专家学者参加会议，会上发布了<script>window.PWNED_1=1</script>新的产业政策。
大会期间，主办方展示了"><img src=x onerror=window.PWNED_2=1>多项创新成果，并宣布将在明年继续举办同类活动，欢迎各界参与。
相关链接请点击javascript:window.PWNED_3=1查看，主办方表示欢迎社会各界人士积极参与本次活动的各项议程和讨论。
网页中出现的</script><script>window.PWNED_4=1</script>标记和<!--<script>注释都应当作为普通文字显示出来，绝不能被执行。
]]><evil xmlns="urn:x">XML</evil>以及{{ 7*191 }}和&lt;b&gt;这样的文字也必须原样保留在页面之中，供编辑逐条核对。
标签：<script>window.PWNED_7=1</script>,科技
"""

HOSTILE_HTML = """<!doctype html><html><head><title>&lt;script&gt;window.PWNED_10=1&lt;/script&gt;无锡新闻</title>
<meta name="keywords" content="&quot;&gt;&lt;img src=x onerror=window.PWNED_11=1&gt;">
<script>window.PWNED_12=1</script></head><body>
<h1>&lt;img src=x onerror=window.PWNED_13=1&gt;江阴召开发展大会</h1>
<p>江阴市今天召开了高质量发展大会，&lt;script&gt;window.PWNED_14=1&lt;/script&gt;会议总结了过去一年的工作成绩。</p>
<p>会议指出，要继续推进产业升级，<a href="javascript:window.PWNED_15=1">点击这里</a>了解更多相关的详细政策内容。</p>
<p onclick="window.PWNED_16=1">与会人员表示，将认真落实会议精神，推动各项工作取得新的更大成效，造福全市人民。</p>
</body></html>
"""

# The sidecar puts hostile text where the cleaner's choices cannot drop it:
# the title (home, feed, indexes, search), the source, organisation and
# event names (index pages and their slugs), and a Markdown note, whose raw
# HTML and javascript: links are data too.
HOSTILE_SIDECAR = """\
title: '<script>window.PWNED_40=1</script>"><img src=x onerror=window.PWNED_41=1>无锡科技大会'
date: 2024-05-30
source: '<b onmouseover=window.PWNED_42=1>新华社</b>'
organisations:
  - '<script>window.PWNED_43=1</script>无锡科技集团'
  - name: '../../../etc/无锡大学'
    aliases: ['"><svg onload=window.PWNED_44=1>']
events:
  - name: '</title><script>window.PWNED_45=1</script>科技大会'
    date: 2024-05-30
    place: '<iframe src=javascript:window.PWNED_46=1>'
    organisations: ['<script>window.PWNED_43=1</script>无锡科技集团']
note: '编辑说明 <script>window.PWNED_20=1</script> [链接](javascript:window.PWNED_21=1) <img src=x onerror=window.PWNED_22=1>'
"""

HOSTILE_NAME = '"><img src=x onerror=window.PWNED_9=1>.txt'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, config) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    seeds.mkdir()
    good = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(good, seeds / good.name)
    (seeds / "hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (seeds / "hostile.yaml").write_text(HOSTILE_SIDECAR, encoding="utf-8")
    (seeds / "hostile_page.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (seeds / HOSTILE_NAME).write_text(HOSTILE_TXT.replace("无锡", "宜兴"), encoding="utf-8")
    out = root / "build"
    # With a base URL: the sitemap (made only with one) carries the hostile seeds' page names too.
    result = build_site(seeds, out, replace(config, base_url="https://example.org/archive"), use_cache=False)
    assert not result.errors, result.errors
    return out


class _Collector(HTMLParser):
    """Elements, attributes, script bodies and visible text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_body: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        if tag in ("script", "style"):
            self._script, self._script_body = dict(attrs), []

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_body)))
            self._script = None

    def handle_data(self, data):
        (self._script_body if self._script is not None else self.text).append(data)


_JS_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')


def _outside_strings(js: str) -> str:
    return _JS_STRING.sub('""', js)


def assert_no_live_markup(html_text: str, where: str) -> _Collector:
    """Parse like a browser would and fail on any element, attribute or script a seed injected."""
    doc = _Collector()
    doc.feed(html_text)
    doc.close()
    for tag, attrs in doc.elements:
        assert tag != "evil", (where, tag, attrs)
        assert not (tag == "img" and ("src", "x") in attrs), (where, tag, attrs)
        for name, value in attrs:
            # A payload's text may sit inside an attribute value (a title, an
            # escaped id); it must never be an event handler or a new attribute.
            assert MARK not in name, (where, tag, name)
            assert not (name.startswith("on") and MARK in (value or "")), (where, tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                assert not re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "data:text/html")), \
                    (where, tag, value)
    for attrs, body in doc.scripts:
        if MARK not in body:
            continue
        kind = (attrs.get("type") or "").lower()
        if kind in ("application/json", "application/ld+json"):
            json.loads(body)  # data, and it must stay parseable as data
        else:
            assert MARK not in _outside_strings(body), (where, "payload outside a string in an inline script")
    return doc


def _html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in (".html", ".htm"))


def test_site_was_built_with_the_hostile_articles(hostile_site):
    records = json.loads((hostile_site / "data" / "articles.json").read_text(encoding="utf-8"))
    seeds = {r["seed"] for r in records}
    assert {"hostile.txt", "hostile_page.html", HOSTILE_NAME} <= seeds
    assert len(_html_files(hostile_site)) > 5


def test_no_html_page_holds_injected_markup(hostile_site):
    for path in _html_files(hostile_site):
        assert_no_live_markup(path.read_text(encoding="utf-8"), str(path.relative_to(hostile_site)))


def test_the_hostile_text_is_shown_as_text(hostile_site):
    records = {r["seed"]: r for r in json.loads((hostile_site / "data" / "articles.json").read_text(encoding="utf-8"))}
    for seed, expected in (("hostile.txt", "<script>window.PWNED_1=1</script>新的产业政策"),
                           ("hostile.txt", '"><img src=x onerror=window.PWNED_2=1>多项创新成果'),
                           ("hostile.txt", "</script><script>window.PWNED_4=1</script>标记和<!--<script>注释"),
                           ("hostile.txt", "{{ 7*191 }}和&lt;b&gt;这样的文字"),
                           ("hostile_page.html", "<script>window.PWNED_14=1</script>会议总结")):
        page = hostile_site / "articles" / f"{records[seed]['id']}.html"
        text = "".join(assert_no_live_markup(page.read_text(encoding="utf-8"), page.name).text)
        assert expected in text, (seed, expected)
    assert "1337" not in (hostile_site / "articles" / f"{records['hostile.txt']['id']}.html").read_text(encoding="utf-8")


def test_feed_and_sitemap_are_well_formed_and_carry_no_markup(hostile_site):
    xml_files = sorted(hostile_site.rglob("*.xml"))
    assert {p.name for p in xml_files} >= {"feed.xml", "sitemap.xml"}
    for path in xml_files:
        tree = ET.parse(path)  # a broken-out payload would make the XML malformed
        for element in tree.iter():
            local = element.tag.rsplit("}", 1)[-1]
            assert local not in ("evil", "script", "img"), (path.name, element.tag)
            assert not element.tag.startswith("{urn:x}"), (path.name, element.tag)
            for name, value in element.attrib.items():
                if name == "href":
                    # a link to the hostile seed's page carries its name slugged to
                    # ASCII letters, digits and _ (`…window_PWNED_9_1_…html`): text, no markup
                    assert re.fullmatch(r"[A-Za-z0-9_.~:/#%-]+", value) and "javascript" not in value.lower(), value
                else:
                    assert MARK not in value, (path.name, element.tag, name)
            if element.get("type") == "html" and element.text:
                assert_no_live_markup(element.text, f"{path.name} <{local} type=html>")
            if element.get("type") == "xhtml":
                for inner in element.iter():
                    assert inner.tag.rsplit("}", 1)[-1] not in ("script", "img", "evil"), (path.name, inner.tag)
            if local == "loc":
                assert re.fullmatch(r"[A-Za-z0-9_.~:/?#@!$&'()*+,;=%-]+", (element.text or "").strip()), element.text


def test_the_feed_carries_the_hostile_title_as_text(hostile_site):
    feed = ET.parse(hostile_site / "feed.xml")
    texts = [e.text or "" for e in feed.iter() if e.tag.rsplit("}", 1)[-1] == "title"]
    assert any("<script>window.PWNED_40=1</script>" in t for t in texts), texts


@pytest.mark.parametrize("document", [
    '<p>x</p><img src=x onerror=window.PWNED_1=1>',
    '<p title="a" onclick="window.PWNED_1=1">x</p>',
    '<a href=" JavaScript:window.PWNED_3=1">x</a>',
    '<script>var d = {"t": "</script><script>window.PWNED_4=1</script>"};</script>',
    '<script>var d = "<!--<script>"; window.PWNED_4=1; </script>',
    '<evil xmlns="urn:x">XML</evil>',
])
def test_the_checker_itself_catches_live_markup(document):
    with pytest.raises(AssertionError):
        assert_no_live_markup(document, "sample")


def test_json_keeps_the_text_as_data(hostile_site):
    records = json.loads((hostile_site / "data" / "articles.json").read_text(encoding="utf-8"))
    body = "".join(p["text"] for r in records if r["seed"] == "hostile.txt" for p in r["paragraphs"])
    assert "<script>window.PWNED_1=1</script>" in body
    for path in sorted(hostile_site.rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))


def test_scripts_hold_seed_text_only_inside_string_literals(hostile_site):
    scripts = sorted(hostile_site.rglob("*.js"))
    assert scripts, "the site ships its search script and index"
    for path in scripts:
        code = path.read_text(encoding="utf-8")
        assert MARK not in _outside_strings(code), path.name


def test_the_search_page_inserts_results_as_text_not_html():
    search_js = Path(__file__).resolve().parent.parent / "static" / "search.js"
    code = search_js.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code.replace("never goes through innerHTML", ""), sink


def test_nothing_runs_in_a_browser(hostile_site):
    """The final word: chromium opens every page and the payloads must not run."""
    fired: list[str] = []
    with launched_chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
        urls = [p.as_uri() for p in _html_files(hostile_site)]
        search = (hostile_site / "search.html").as_uri()
        for query in ('"><img src=x onerror=window.PWNED_30=1>', "<script>window.PWNED_31=1</script>",
                      "PWNED", "科技大会", "script", "img"):
            urls.append(f"{search}?q={quote(query)}")
        for url in urls:
            page.goto(url)
            page.wait_for_timeout(50)
            ran = page.evaluate("Object.keys(window).filter(k => k.startsWith('PWNED'))")
            live = page.evaluate("""[...document.querySelectorAll('*')].filter(e =>
                [...e.attributes].some(a => a.name.includes('pwned') || (a.name.startsWith('on') && a.value.includes('PWNED'))
                  || /^\\s*javascript:/i.test(a.value))).map(e => e.outerHTML.slice(0, 120))""")
            assert not ran and not live, (url, ran, live)
    assert not fired, fired
