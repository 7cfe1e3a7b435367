"""Bidi overrides and zero-width characters are taken out of titles and names (issue 23, item 8),
and the editor is told, in the article's warnings and its cleaning report."""
from __future__ import annotations

import json

from conftest import site_report
from wuxi_archive.build import build_site
from wuxi_archive.invisible import CONTROLS, strip_controls

RLO, ZWSP, ZWJ, LRI, PDI = "\u202e", "\u200b", "\u200d", "\u2066", "\u2069"


def test_strip_controls_removes_each_and_names_it():
    text, codes = strip_controls(f"无锡{RLO}txt.exe{ZWSP}大会{LRI}x{PDI}")
    assert text == "无锡txt.exe大会x" and codes == ["U+202E", "U+200B", "U+2066", "U+2069"]
    assert strip_controls("无锡科技大会") == ("无锡科技大会", [])
    assert all(strip_controls(c) == ("", [f"U+{ord(c):04X}"]) for c in CONTROLS)


def test_a_built_site_shows_no_control_in_titles_or_names_and_warns(tmp_path, config):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "spoof.txt").write_text(
        f"无锡{RLO}会大技科举办{ZWSP}\n2024-05-30 来源：新华{ZWJ}社 记者 张{ZWSP}三\n"
        "无锡市今天举办了一场科技大会，来自全国的专家参加了会议，会上发布了新的产业政策。\n"
        f"江南大学{ZWSP}与无锡市政府签署了合作协议，双方将在人工智能领域开展深入合作，推动产业发展。\n",
        encoding="utf-8")
    (seeds / "spoof.yaml").write_text(f"organisations: ['无锡{RLO}大学']\n", encoding="utf-8")
    out = tmp_path / "out"
    build_site(seeds, out, config, use_cache=False)
    [record] = json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))
    names = [record["title"], record["source"] or "", *record["authors"], *record["editors"], *record["tags"],
             *(o["name"] for o in record["organisations"]), *(a for o in record["organisations"] for a in o["aliases"]),
             *(e["name"] for e in record["events"]), *(p["name"] for p in record["people"])]
    assert not any(c in name for name in names for c in CONTROLS), names
    assert record["title"].startswith("无锡会大技科举办")
    assert any("U+202E" in w for w in record["warnings"]), record["warnings"]
    assert any("U+202E" in w for w in site_report(out, record["id"])["warnings"])
    # the body is left as it was: nothing of an article sentence is lost
    assert any(ZWSP in p["text"] for p in record["paragraphs"])
