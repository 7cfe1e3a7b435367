"""An editor's note keeps only http(s), mailto and relative links (issue 23, item 1).

Each bypass below survived the old check, which read the raw href before a
browser decodes it; clicking any of them ran script in Chromium.
"""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from conftest import launched_chromium

from wuxi_archive.editorial.sidecars import render_note

BYPASSES = [
    "javascript:alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "java&#9;script:alert(1)",
    "java&#x09;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "javascript&#58;alert(1)",
    "\x01javascript:alert(1)",
    " \x0bjavascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
]


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.targets += [v or "" for k, v in attrs if k in ("href", "src")]


def _targets(html: str) -> list[str]:
    parser = _Targets()
    parser.feed(html)
    return parser.targets


@pytest.mark.parametrize("target", BYPASSES)
def test_a_script_link_is_dropped_however_it_is_spelt(target):
    for note in (f"[a]({target})", f"![i]({target})", f"<{target}>", f"[a][r]\n\n[r]: {target}"):
        for value in _targets(render_note(note)):
            # html.parser decodes references as a browser does; strip what a URL parser strips
            cleaned = "".join(c for c in value if c not in "\t\n\r").lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
            assert not cleaned.lower().startswith(("javascript:", "vbscript:", "data:")), (note, value)


def test_safe_links_survive():
    html = render_note("[w](https://example.org/a?b=1&c=2) [h](http://x.cn/) [m](mailto:a@example.org) "
                       "[r](../articles/x.html) [f](#top) [q](page.html?q=1)")
    assert _targets(html) == ["https://example.org/a?b=1&c=2", "http://x.cn/", "mailto:a@example.org",
                              "../articles/x.html", "#top", "page.html?q=1"]


def test_no_note_link_runs_in_chromium(tmp_path):
    """Chromium's own URL parser is the judge: every link's protocol must be a safe one."""
    body = "\n\n".join(f"[l{i}]({t}) ![i{i}]({t})" for i, t in enumerate(BYPASSES))
    page_file = tmp_path / "note.html"
    page_file.write_text(f"<!doctype html><meta charset=utf-8><body>{render_note(body)}</body>", encoding="utf-8")
    with launched_chromium() as browser:
        page = browser.new_page()
        page.goto(page_file.as_uri())
        protocols = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.protocol)")
        fired = page.evaluate("""(() => { window.fired = 0; window.alert = () => { window.fired++ };
            for (const a of document.querySelectorAll('a')) a.click(); return window.fired })()""")
    assert all(p in ("http:", "https:", "mailto:", "file:") for p in protocols), protocols
    assert fired == 0
