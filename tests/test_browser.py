"""The site in a real browser (Debian's Chromium through Playwright), opened from file://."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from test_site import small_site  # noqa: F401  (a fixture: the hand-made archive)

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not shutil.which("chromium"),
                                reason="Debian's chromium is not installed (make browser installs it)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()
    assert errors == [], errors


def url(site: Path, rel: str) -> str:
    return (site / rel).resolve().as_uri()


def search(page, site: Path, query: str) -> list[str]:
    """Type a query into the box of the home page; return the result titles."""
    page.goto(url(site, "index.html"))
    page.fill("input[name=q]", query)
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search.html?q=*")
    wait_for_search(page)
    return page.locator("#search-results li h3").all_inner_texts()


def wait_for_search(page) -> None:
    """Until the search page has listed its first results (it loads its shards after the page)."""
    page.wait_for_function("() => window.WUXI_SEARCH_DONE !== undefined")


def open_search(page, site: Path, query: str) -> None:
    page.goto(url(site, "search.html") + "?q=" + quote(query))
    wait_for_search(page)


@pytest.mark.parametrize("which", ["small_site", "built_site"])
def test_follow_article_organisation_event_date_and_back(page, request, which):
    """Home -> an article -> one of its organisations -> an event -> its date page, then back.

    On the hand-made archive, and on the seeds (which needs the extractor to find events).
    """
    built_site = request.getfixturevalue(which)
    site_records = json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))
    routes = [r for r in site_records if r["events"] and r["organisations"]]
    assert routes, "no article in the seeds has both an event and an organisation (extraction)"
    record = routes[0]
    page.goto(url(built_site, "index.html"))
    page.click(f'a[href="articles/{record["id"]}.html"]')
    assert page.locator("h1").inner_text() == record["title"]
    article_url = page.url

    # an organisation whose page lists an event
    org_links = page.locator('.facts a[href^="../org/"]')
    event_href = None
    for i in range(org_links.count()):
        page.goto(article_url)
        page.locator('.facts a[href^="../org/"]').nth(i).click()
        events = page.locator('main a[href^="../event/"]')
        if events.count():
            org_url, org_name = page.url, page.locator("h1").inner_text()
            event_href = events.first.get_attribute("href")
            break
    assert event_href, "no organisation page of the article links to an event"
    assert page.locator(f'a[href="../articles/{record["id"]}.html"]').count() >= 1   # org -> article
    page.click(f'main a[href="{event_href}"]')
    event_url, event_name = page.url, page.locator("h1").inner_text()
    page.click('dl.facts-list a[href^="../date/"]')
    assert "/date/" in page.url and page.url.endswith("index.html")
    assert page.locator("main a[href*='articles/']").count() >= 1

    page.go_back()
    assert page.url == event_url and page.locator("h1").inner_text() == event_name
    page.go_back()
    assert page.url == org_url and page.locator("h1").inner_text() == org_name
    page.click(f'a[href="../articles/{record["id"]}.html"]')
    assert page.locator("h1").inner_text() == record["title"]


def test_search_finds_integrated_circuits(page, built_site):
    titles = search(page, built_site, "集成电路")
    assert titles
    assert page.locator("#search-results mark").first.inner_text() == "集成电路"


def test_search_alias_reaches_the_lu_jianjun_article(page, built_site):
    titles = search(page, built_site, "西安交大")
    assert titles
    match = [t for t in titles if "卢建军" in t]
    assert match, f"no result titled with 卢建军 among {titles}"
    page.click(f'#search-results a:has-text("{match[0]}")')
    assert "卢建军" in page.locator("h1").inner_text()
    assert page.locator('.body a[href="../org/xi-an-jiao-tong-da-xue.html"]').count() == 1


def test_search_reads_q_from_the_url_and_takes_traditional_input(page, small_site):
    open_search(page, small_site, "集成電路")
    titles = page.locator("#search-results li h3").all_inner_texts()
    assert titles[:2] == ["大会闭幕 <b>", "大会召开"] or set(titles) == {"大会闭幕 <b>", "大会召开"}
    assert page.input_value("input[name=q]") == "集成電路"
    # seed text arrives as text: the title's "<b>" is not an element
    assert page.locator("#search-results b").count() == 0


def test_search_ranks_title_hits_first_and_needs_every_bigram(page, small_site):
    open_search(page, small_site, "大会召开")
    assert page.locator("#search-results li h3").all_inner_texts() == ["大会召开"]
    # 会 and 无关 occur in one article, but not the bigram 会无 of the phrase 会无关: no hit
    open_search(page, small_site, "会无关")
    assert page.locator("#search-results li").count() == 0
    assert "没有找到" in page.locator("#search-status").inner_text()


def test_search_result_links_open_articles(page, small_site):
    open_search(page, small_site, "日期不详")
    page.click("#search-results a")
    assert page.locator("h1").inner_text() == "无日期"


def test_site_works_from_a_sub_path_of_a_server(page, small_site):
    """The same files served under /<folder>/ on 127.0.0.1: links and search still work."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(small_site.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/{small_site.name}/"
        page.goto(base + "index.html")
        page.click('nav.site-nav a[href="org/index.html"]')
        assert page.url == base + "org/index.html"
        page.click("text=西安交通大学")
        assert page.locator("h1").inner_text() == "西安交通大学"
        page.fill("input[name=q]", "西安交大")
        page.press("input[name=q]", "Enter")
        page.wait_for_url(base + "search.html?q=*")
        wait_for_search(page)
        assert page.locator("#search-results li").count() >= 1
    finally:
        server.shutdown()
        server.server_close()


# Drawn with the heading's own font: each character as the page shows it, and a code point no
# font has (a private-use one), which every browser draws as its unknown-glyph box ("tofu").
_GLYPHS_JS = """([selector, unknown]) => {
  const heading = document.querySelector(selector);
  const style = getComputedStyle(heading);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.font = `${style.fontWeight} 40px ${style.fontFamily}`;
  const draw = (text) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.fillText(text, 4, 48);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(",");
  };
  const chars = Array.from(heading.textContent.trim()).filter((c) => /\\p{Script=Han}/u.test(c));
  return { chars: chars.map(draw), unknown: draw(unknown), otherUnknown: draw(String.fromCodePoint(0x10fffc)) };
}"""


def test_a_chinese_heading_renders_with_real_glyphs(page, built_site):
    """On a machine without a CJK font every character is the same box; `make test` installs
    fonts-noto-cjk. Distinct characters must draw distinct glyphs, none of them the box."""
    record = json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))[0]
    page.goto(url(built_site, f"articles/{record['id']}.html"))
    drawn = page.evaluate(_GLYPHS_JS, ["main h1", "\U0010fffd"])
    chars = drawn["chars"]
    assert len(chars) >= 4, record["title"]
    assert drawn["unknown"] not in chars, "a character of the heading is drawn as the unknown-glyph box"
    distinct = {c for c in record["title"] if "\u4e00" <= c <= "\u9fff"}
    assert len(set(chars)) == len(distinct), "different characters drawn alike: no CJK font"
    # The measure can fail: two different unknown code points draw the same box. (Widths alone
    # cannot tell: Chromium's box is 1 em wide, as a CJK glyph is.)
    assert drawn["unknown"] == drawn["otherUnknown"]


def test_slash_puts_the_cursor_in_the_search_box(page, built_site):
    record = json.loads((built_site / "data" / "articles.json").read_text(encoding="utf-8"))[0]
    page.goto(url(built_site, f"articles/{record['id']}.html"))
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.input_value("#q") == ""              # the slash itself is not typed
    page.keyboard.type("无锡/")                        # inside the box a slash is just a slash
    assert page.input_value("#q") == "无锡/"
