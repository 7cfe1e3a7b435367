"""benchmarks/peers.py: the articles wuxi-archive made, exported as Markdown the peers build alike."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
try:
    import peers
finally:
    sys.path.pop(0)


def _record(**changes) -> dict:
    record = {"id": "a-1", "title": "无锡高新区举办大会", "date": "2024-05-01", "source": "无锡日报",
              "authors": ["张敏", "刘洋"], "tags": ["科技"], "organisations": [{"name": "江南大学", "aliases": []}],
              "paragraphs": [{"kind": "h", "text": "一、总体情况"}, {"kind": "p", "text": "正文*不是*强调_也不是_ #标题"},
                             {"kind": "caption", "text": "图为会场"}]}
    return {**record, **changes}


def test_markdown_keeps_every_paragraph_as_text_with_its_kind():
    body = peers.markdown_body(_record())
    assert body.split("\n\n") == ["## 一、总体情况", "正文\\*不是\\*强调\\_也不是\\_ \\#标题", "*图为会场*\n"]


def test_pelican_files_carry_the_metadata_and_an_undated_article_gets_a_date(tmp_path):
    peers.write_pelican_articles([_record(), _record(id="b", date=None, source=None, authors=[])], tmp_path / "c")
    first = (tmp_path / "c" / "a-1.md").read_text(encoding="utf-8")
    assert first.startswith("Title: 无锡高新区举办大会\nDate: 2024-05-01\nSlug: a-1\nCategory: 无锡日报\n")
    assert "Authors: 张敏, 刘洋" in first and "Tags: 科技, 江南大学" in first
    second = (tmp_path / "c" / "b.md").read_text(encoding="utf-8")
    assert "Date: 2000-01-01" in second and "Authors" not in second


@pytest.mark.skipif(not shutil.which("hugo"), reason="hugo is not installed (Debian: apt install hugo)")
def test_hugo_builds_the_export_with_an_article_page_and_taxonomy_pages(tmp_path):
    peers.write_hugo_articles([_record(), _record(id="b", title="第二篇", organisations=[])], tmp_path / "h")
    out = tmp_path / "out"
    run = peers.timed("Hugo", ["hugo", "--quiet", "-s", str(tmp_path / "h"), "-d", str(out)], out)
    assert run.files > 4 and run.cpu >= 0
    page = next(out.rglob("a-1/index.html")).read_text(encoding="utf-8")
    assert "无锡高新区举办大会" in page and "一、总体情况" in page and "江南大学" in page
    assert any("organisations" in p.as_posix() for p in out.rglob("index.html"))


def test_the_table_gives_per_article_figures():
    text = peers.table([peers.Run("Hugo", cpu=2.0, wall=1.0, bytes=2048 * 1000, files=5)], 1000)
    assert "| Hugo | 2.00 | 2.00 | 1.00 | 2.0 | 5 |" in text


def test_a_failing_tool_stops_the_comparison_with_its_output(tmp_path):
    with pytest.raises(SystemExit, match="false failed"):
        peers.timed("false", [sys.executable, "-c", "import sys; sys.exit(3)"], tmp_path / "x")
    assert subprocess.run([sys.executable, str(Path(peers.__file__)), "--help"], capture_output=True).returncode == 0
