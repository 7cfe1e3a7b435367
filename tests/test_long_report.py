"""A cleaning report of a very long seed opens without stalling a browser (issue 23, item 9).

Each `<li value=N>` made Chromium renumber the list item by item: 142 s for
20,000 lines (9 s on a quiet machine here), against about 1 s numbered by the
list's `start`.
"""
from __future__ import annotations

import re
import time

import pytest

from conftest import launched_chromium

from wuxi_archive.render.editor import RawRow, raw_lines_html

LINE = "无锡市今天举办了一场科技大会，来自全国的专家参加了会议"


def _rows(first: int, count: int) -> list[RawRow]:
    return [RawRow(n, LINE, "removed" if n % 3 else "kept", "导航" if n % 3 else "", []) for n in range(first, first + count)]


def test_the_list_is_numbered_by_its_start_not_item_by_item():
    html = str(raw_lines_html(_rows(41, 5)))
    assert html.startswith('<ol class="raw-lines" start="41">') and "value=" not in html
    assert re.findall(r'id="L(\d+)"', html) == ["41", "42", "43", "44", "45"]
    assert str(raw_lines_html([])).startswith('<ol class="raw-lines">')


def test_a_report_of_20000_lines_opens_in_chromium_in_seconds(tmp_path):
    page_file = tmp_path / "report.html"
    page_file.write_text("<!doctype html><meta charset=utf-8><link rel=stylesheet href=x.css>"
                         + str(raw_lines_html(_rows(7, 20_000))), encoding="utf-8")
    with launched_chromium() as browser:
        page = browser.new_page()
        started = time.perf_counter()
        page.goto(page_file.as_uri(), timeout=120_000)
        page.evaluate("document.body.offsetHeight")
        seconds = time.perf_counter() - started
        # the browser's own numbering: the item of line N is the (N - start + 1)th
        number = page.evaluate("(() => { const ol = document.querySelector('ol'); const li = document.getElementById('L12345');"
                               " return ol.start + [...ol.children].indexOf(li) })()")
    assert number == 12345
    assert seconds < 5, seconds
