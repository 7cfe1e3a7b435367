"""Paths: nothing is written outside the output folder, and no file name comes from unchecked text."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from wuxi_archive.build import build_site
from wuxi_archive.index.slugs import assign_slugs
from wuxi_archive.records import article_id
from wuxi_archive.render.writer import SiteWriter, UnsafePathError, safe_relpath

SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")


@pytest.mark.parametrize("bad", [
    "../evil.html", "a/../../evil.html", "/etc/passwd", "", ".", "a\\..\\b.html", "C:evil.html", "a\0b.html", "articles/..",
    "a//b.html", "a/./b.html", "articles/",      # never made by the build: refused rather than normalised
])
def test_safe_relpath_refuses_paths_leaving_the_folder(bad):
    with pytest.raises(UnsafePathError):
        safe_relpath(bad)


@pytest.mark.parametrize("good", ["index.html", "articles/000_x.html", "org/wu-xi.html", "static/style.css"])
def test_safe_relpath_accepts_site_paths(good):
    assert str(safe_relpath(good)) == good


def test_the_writer_writes_nothing_outside(tmp_path):
    writer = SiteWriter(tmp_path / "out")
    for bad in ("../escape.html", "/tmp/escape.html", "a/../../escape.html"):
        with pytest.raises(UnsafePathError):
            writer.write(bad, "x")
    writer.write("ok.html", "x")
    writer.commit()
    assert {p.name for p in tmp_path.iterdir()} <= {"out", ".out.lock"}
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ok.html"]


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_a_file_made_of_pieces_of_another_holds_exactly_those_bytes(tmp_path, monkeypatch, kernel_copy):
    from wuxi_archive.render.writer import write_staged_pieces
    source = tmp_path / "old.bin"
    data = bytes(range(256)) * 4000
    source.write_bytes(data)
    if not kernel_copy:     # a system without copy_file_range: the bytes are read and written instead
        def refuse(*args):
            raise OSError(38, "Function not implemented")
        monkeypatch.setattr("os.copy_file_range", refuse, raising=False)
    pieces = [b"head", (0, 10), (1000, 1000), b"", (5, 700_001), b"mid", (1_023_999, 1_024_000), b"tail"]
    size, _ = write_staged_pieces(tmp_path / "staging", "data/new.bin", pieces, source)
    made = (tmp_path / "staging" / "data" / "new.bin").read_bytes()
    assert made == b"head" + data[:10] + data[5:700_001] + b"mid" + data[-1:] + b"tail"
    assert size == len(made)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=40), st.integers(1, 5), st.integers(1, 5))
def test_article_ids_are_safe_file_names_whatever_the_seed_name(stem, part, parts):
    ident = article_id(stem + ".txt", part, parts)
    assert SAFE_NAME.fullmatch(ident) and ident not in (".", "..") and not ident.startswith(".")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=8, unique=True))
def test_slugs_are_ascii_unique_and_safe(names):
    slugs = assign_slugs(names)
    assert set(slugs) == set(names)
    assert len(set(slugs.values())) == len(names)
    for slug in slugs.values():
        assert re.fullmatch(r"[a-z0-9-]+", slug), slug


def test_a_build_from_oddly_named_seeds_stays_inside_its_folder(tmp_path, config):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    for i, name in enumerate(["..txt", "...txt", "-rf.txt", "名字 带空格.txt", "CON.txt", "a;b&c|d.txt", "%2e%2e%2f.txt"]):
        (seeds / name).write_text(text.replace("无锡", "无锡" + "一二三四五六七"[i]), encoding="utf-8")
    out = tmp_path / "work" / "build"
    out.parent.mkdir()
    build_site(seeds, out, config, use_cache=False)
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
        assert SAFE_NAME.fullmatch(path.name), path
    # Beside the output folder only the build's own cache and lock may appear.
    assert {p.name for p in out.parent.iterdir()} <= {"build", ".build.cache", ".build.lock"}
