"""Sidecar overrides: parsing errors name file and line; each field wins in the built site."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEEDS, copy_seeds
from wuxi_archive.build import SidecarErrors, build_site
from wuxi_archive.load import load_seed
from wuxi_archive.editorial.sidecars import SidecarError, parse_sidecar, render_note
from wuxi_archive.build.pipeline import process_page, process_seed


def first_seed() -> Path:
    return sorted(SEEDS.glob("*.txt"))[0]


@pytest.mark.parametrize("text, line, words", [
    ("title: 好标题\ndaet: 2024-01-01\n", 2, ["unknown key 'daet'"]),
    ("title: [unclosed\n", 2, ["not valid YAML"]),
    ("title: a\n\ndate: 2024-13-45\n", 3, ["date", "YYYY-MM-DD"]),
    ("date: yesterday\n", 1, ["date"]),
    ("keep_lines: [3, -1]\n", 1, ["'keep_lines' must be a seed line number (1 or more), not '-1'"]),
    ("keep_lines: 3\n", 1, ["list of seed line numbers"]),
    ("keep_lines: [4]\ndrop_lines: [4]\n", 1, ["both keep_lines and drop_lines"]),
    ("title: a\ntitle: b\n", 2, ["given twice"]),
    ("articles:\n  2:\n    titel: x\n", 3, ["unknown key 'titel'", "article 2"]),
    ("articles:\n  zero: {title: x}\n", 2, ["article number"]),
    ("events:\n  - {date: 2024-01-02}\n", 2, ["needs a 'name'"]),
    ("- just\n- a list\n", 1, ["mapping"]),
    ("title: ''\n", 1, ["non-empty"]),
])
def test_bad_sidecars_name_file_and_line(text, line, words):
    with pytest.raises(SidecarError) as caught:
        parse_sidecar(text, "seeds/x.yaml")
    assert caught.value.file == "seeds/x.yaml"
    assert caught.value.line == line, str(caught.value)
    assert str(caught.value).startswith(f"seeds/x.yaml:{line}: ")
    for word in words:
        assert word in str(caught.value)


def test_valid_sidecar_fields_and_per_article_merge():
    sidecar = parse_sidecar(
        "title: 页面标题\ndate: 2024-05-06\nsource: 某报\n"
        "organisations:\n  - 甲大学\n  - {name: 乙研究院, aliases: [乙院]}\n"
        "events:\n  - {name: 开幕式, date: 2024-05-06, place: 无锡, organisations: [甲大学]}\n"
        "articles:\n  2:\n    title: 第二篇\n    date: null\n", "s.yaml")
    assert sidecar.page.title == "页面标题" and sidecar.page.date == "2024-05-06"
    assert [(o.name, o.aliases) for o in sidecar.page.organisations] == [("甲大学", []), ("乙研究院", ["乙院"])]
    assert sidecar.page.events[0].date == "2024-05-06" and sidecar.page.events[0].organisations == ["甲大学"]
    first, second = sidecar.for_part(1), sidecar.for_part(2)
    assert first.title == "页面标题" and first.date == "2024-05-06"
    assert second.title == "第二篇" and second.date is None and second.clear_date
    assert second.source == "某报"      # not overridden per article: the page's value holds


@pytest.mark.parametrize("text, line, words", [
    ("authors: {a: 1}\n", 1, ["'authors' must be a list of names"]),
    ("editors: ['']\n", 1, ["'editors' must be a non-empty text"]),
])
def test_bad_authors_and_editors_name_file_and_line(text, line, words):
    with pytest.raises(SidecarError) as caught:
        parse_sidecar(text, "seeds/x.yaml")
    assert caught.value.line == line and all(w in str(caught.value) for w in words)


def test_sidecar_authors_and_editors_replace_what_cleaning_found(config):
    page = load_seed(first_seed())
    sidecar = parse_sidecar("authors: [张敏, 刘洋]\neditors: 王五\narticles:\n  1:\n    editors: []\n", "s.yaml")
    assert sidecar.page.authors == ["张敏", "刘洋"] and sidecar.page.editors == ["王五"]
    assert sidecar.for_part(1).editors == [] and sidecar.for_part(1).authors == ["张敏", "刘洋"]
    plain = process_page(page, config)[0].clean
    edited = process_page(page, config, sidecar)
    assert edited[0].clean.authors == ["张敏", "刘洋"] != plain.authors
    assert edited[0].clean.editors == []
    record = edited[0].to_json()
    assert record["authors"] == ["张敏", "刘洋"] and record["editors"] == []


def test_empty_sidecar_is_valid():
    assert parse_sidecar("", "s.yaml").page.title is None
    assert parse_sidecar("# only a comment\n", "s.yaml").articles == {}


def test_sidecar_title_date_source_and_note_win_in_the_built_site(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    seed = first_seed()
    (seeds / f"{seed.stem}.yaml").write_text(
        "title: 编辑改定的标题\ndate: 2023-02-01\nsource: 编辑核实的来源\n"
        "note: |\n  经**编辑**核实。<script>alert(1)</script>\n", encoding="utf-8")
    out = tmp_path / "site"
    build_site(seeds, out, config)
    records = {r["seed"]: r for r in json.loads((out / "data" / "articles.json").read_text(encoding="utf-8"))}
    record = records[seed.name]
    assert record["title"] == "编辑改定的标题"
    assert record["date"] == "2023-02-01" and record["date_basis"] == "editor"
    assert record["source"] == "编辑核实的来源"
    page = (out / "articles" / f"{record['id']}.html").read_text(encoding="utf-8")
    assert "编辑改定的标题" in page
    assert "<strong>编辑</strong>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    others = [r for name, r in records.items() if name != seed.name]
    assert all(r["date_basis"] != "editor" for r in others)   # a sidecar touches only its own seed


def test_drop_lines_moves_a_body_line_to_removed_with_the_editor_reason(config):
    page = load_seed(first_seed())
    plain = process_page(page, config)[0].clean
    body_line = plain.paragraphs[0].lines[0]
    dropped = process_page(page, config, parse_sidecar(f"drop_lines: [{body_line}]\n", "s.yaml"))[0].clean
    assert all(body_line not in p.lines for p in dropped.paragraphs)
    reasons = {r.line: r.reason for r in dropped.removed}
    assert "editor" in reasons[body_line]
    assert len(dropped.paragraphs) < len(plain.paragraphs) or dropped.paragraphs[0].text != plain.paragraphs[0].text


def test_keep_lines_reinstates_a_removed_line_in_seed_order(config):
    page = load_seed(first_seed())
    plain = process_page(page, config)[0].clean
    assert plain.removed, "cleaning removes some chrome from the first seed"
    target = plain.removed[len(plain.removed) // 2]
    kept = process_page(page, config, parse_sidecar(f"keep_lines: [{target.line}]\n", "s.yaml"))[0].clean
    assert target.line not in {r.line for r in kept.removed}
    firsts = [p.lines[0] for p in kept.paragraphs]
    assert target.line in firsts and firsts == sorted(firsts)


def test_keep_lines_of_a_line_not_removed_warns_instead_of_failing(config):
    page = load_seed(first_seed())
    plain = process_page(page, config)[0].clean
    body_line = plain.paragraphs[0].lines[0]
    kept = process_page(page, config, parse_sidecar(f"keep_lines: [{body_line}]\n", "s.yaml"))[0].clean
    assert [p.text for p in kept.paragraphs] == [p.text for p in plain.paragraphs]
    assert any("keep_lines" in w and str(body_line) in w for w in kept.warnings)


def test_a_line_number_beyond_the_seed_is_an_error_naming_the_sidecar(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    seed = first_seed()
    (seeds / f"{seed.stem}.yaml").write_text("title: x\ndrop_lines: [99999]\n", encoding="utf-8")
    with pytest.raises(SidecarErrors) as caught:
        build_site(seeds, tmp_path / "site", config)
    assert f"{seed.stem}.yaml:2:" in caught.value.messages[0] and "99999" in caught.value.messages[0]
    assert not (tmp_path / "site").exists()   # nothing written


def test_organisation_and_event_overrides_replace_extraction(tmp_path, config):
    seeds = copy_seeds(tmp_path)
    seed = first_seed()
    (seeds / f"{seed.stem}.yaml").write_text(
        "organisations: [{name: 编辑确认的机构, aliases: [确认机构]}]\n"
        "events:\n  - {name: 编辑确认的会议, date: 2024-01-02}\n", encoding="utf-8")
    articles = process_seed(seeds / seed.name, config)
    assert [(o.name, o.aliases) for o in articles[0].organisations] == [("编辑确认的机构", ["确认机构"])]
    assert [(e.name, e.date) for e in articles[0].events] == [("编辑确认的会议", "2024-01-02")]


def test_note_markdown_escapes_html_and_drops_script_links():
    html = render_note("**粗体** <b>raw</b>\n\n[ok](https://example.org/) [bad](javascript:alert(1))")
    assert "<strong>粗体</strong>" in html
    assert "<b>" not in html and "&lt;b&gt;raw&lt;/b&gt;" in html
    assert 'href="https://example.org/"' in html
    assert "javascript:" not in html


def _multi_article_page(config):
    for path in sorted(SEEDS.glob("*.txt")):
        page = load_seed(path)
        articles = process_page(page, config)
        if len(articles) > 1:
            return page, articles
    pytest.skip("no seed holds several articles")


def test_per_article_entries_reach_only_their_article(config):
    page, plain = _multi_article_page(config)
    sidecar = parse_sidecar("source: 全页来源\narticles:\n  2:\n    title: 只改第二篇\n", "s.yaml")
    edited = process_page(page, config, sidecar)
    assert [a.clean.title for a in edited] == [
        "只改第二篇" if a.clean.part == 2 else a.clean.title for a in plain]
    assert {a.clean.source for a in edited} == {"全页来源"}


def test_an_article_number_the_page_lacks_is_an_error(config):
    page, plain = _multi_article_page(config)
    sidecar = parse_sidecar(f"note: ok\narticles:\n  {len(plain) + 1}:\n    title: 不存在\n", "s.yaml")
    with pytest.raises(SidecarError) as caught:
        process_page(page, config, sidecar)
    assert caught.value.line == 2 and f"no article {len(plain) + 1}" in caught.value.message


def test_one_title_for_a_page_of_several_articles_is_an_error(config):
    page, _ = _multi_article_page(config)
    with pytest.raises(SidecarError) as caught:
        process_page(page, config, parse_sidecar("date: 2024-01-01\ntitle: 一个标题\n", "s.yaml"))
    assert caught.value.line == 2
    single = load_seed(first_seed())
    if len(process_page(single, config)) == 1:   # on a one-article page the same sidecar is fine
        assert process_page(single, config, parse_sidecar("title: 一个标题\n", "s.yaml"))[0].clean.title == "一个标题"
