"""`wuxi-archive check`: validates without writing; errors fail, --strict fails on warnings too."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SEEDS, copy_seeds
from wuxi_archive.commands.cli import main


def run_check(tmp_path, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)     # no ./wuxi-archive.yaml from elsewhere
    code = main(["check", "--seeds", "seeds", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_seeds_pass_and_nothing_is_written(tmp_path, monkeypatch, capsys):
    seeds = copy_seeds(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, _ = run_check(tmp_path, monkeypatch, capsys)
    assert code == 0, out
    assert "0 errors" in out and f"checked {len(list(seeds.glob('*.txt')))} seeds" in out
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_broken_sidecar_fails_naming_file_and_line(tmp_path, monkeypatch, capsys):
    seeds = copy_seeds(tmp_path)
    stem = sorted(seeds.glob("*.txt"))[1].stem
    (seeds / f"{stem}.yaml").write_text("title: 好标题\ndate: 2024-02-30\n", encoding="utf-8")
    code, _, err = run_check(tmp_path, monkeypatch, capsys)
    assert code == 1
    assert f"{stem}.yaml:2:" in err and "date" in err


def test_json_format_lists_errors_with_file_and_line(tmp_path, monkeypatch, capsys):
    seeds = copy_seeds(tmp_path)
    stem = sorted(seeds.glob("*.txt"))[0].stem
    (seeds / f"{stem}.yaml").write_text("title: x\nsubject: y\n", encoding="utf-8")
    (seeds / "empty.txt").write_bytes(b"\n")
    code, out, _ = run_check(tmp_path, monkeypatch, capsys, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    files = {(Path(e["file"]).name, e["line"]) for e in report["errors"]}
    assert (f"{stem}.yaml", 2) in files
    assert any(Path(e["file"]).name == "empty.txt" for e in report["errors"])
    assert report["seeds"] == len(list(SEEDS.glob("*.txt"))) + 1


def test_warnings_pass_unless_strict(tmp_path, monkeypatch, capsys):
    seeds = copy_seeds(tmp_path)
    (seeds / "no-such-seed.yaml").write_text("title: x\n", encoding="utf-8")
    code, out, _ = run_check(tmp_path, monkeypatch, capsys)
    assert code == 0 and "no-such-seed.yaml" in out and "not used" in out
    code, _, _ = run_check(tmp_path, monkeypatch, capsys, "--strict")
    assert code == 1


def test_a_bad_config_is_an_error_naming_its_line(tmp_path, monkeypatch, capsys):
    copy_seeds(tmp_path)
    (tmp_path / "site.yaml").write_text("site_title: 档案\nsite_titel: typo\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["--config", "site.yaml", "check", "--seeds", "seeds", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(e["file"], e["line"]) for e in report["errors"]] == [("site.yaml", 2)]


def test_the_documented_example_config_loads_and_states_the_defaults():
    from wuxi_archive.config import Config, load_config

    example = Path(__file__).resolve().parent.parent / "docs" / "wuxi-archive.example.yaml"
    loaded, defaults = load_config(example), load_config(None)
    for key in ("site_title", "site_description", "about_markdown", "base_url", "feed_entries",
                "aliases", "protected_terms", "chrome"):
        assert getattr(loaded, key) == getattr(defaults, key), key
    assert Config().site_title == loaded.site_title


def test_check_reuses_a_build_cache_read_only_with_the_same_report(tmp_path, monkeypatch, capsys, config):
    from wuxi_archive.build import build_site
    from wuxi_archive.build.store import cache_dir_for

    seeds = copy_seeds(tmp_path)
    (seeds / "no-such-seed.yaml").write_text("title: x\n", encoding="utf-8")
    build_site(seeds, tmp_path / "build", config)
    cache = cache_dir_for(tmp_path / "build")
    before = {p.name: p.stat().st_mtime_ns for p in cache.rglob("*")}
    _, fresh, _ = run_check(tmp_path, monkeypatch, capsys, "--format", "json", "--out", "elsewhere")
    import wuxi_archive.build.seeds as seeds_module
    computed: list[str] = []
    real = seeds_module.process_job
    monkeypatch.setattr(seeds_module, "process_job", lambda job: computed.append(job.name) or real(job))
    _, cached, _ = run_check(tmp_path, monkeypatch, capsys, "--format", "json", "--out", "build")
    assert computed == []      # every seed came from the store
    assert json.loads(cached) == json.loads(fresh)
    assert {p.name: p.stat().st_mtime_ns for p in cache.rglob("*")} == before


def test_check_counts_and_warns_as_the_build_publishes(tmp_path, monkeypatch, capsys, config):
    from wuxi_archive.build import build_site

    seeds = copy_seeds(tmp_path)
    first = sorted(seeds.glob("*.txt"))[0]
    shutil.copy(first, seeds / "zz-copy.txt")       # the same story scraped twice
    code, out, _ = run_check(tmp_path, monkeypatch, capsys, "--format", "json", "--out", "nowhere")
    report = json.loads(out)
    assert code == 0
    assert any(Path(w["file"]).name == "zz-copy.txt" and "duplicate" in w["message"] for w in report["warnings"])
    build_site(seeds, tmp_path / "site", config)
    published = json.loads((tmp_path / "site" / "data" / "articles.json").read_text(encoding="utf-8"))
    assert report["articles"] == len(published)


def test_the_bundled_word_lists_read_by_libyaml_are_what_the_python_parser_reads():
    # config.bundled_data reads them with libyaml's parser when PyYAML has it (faster).
    from importlib import resources

    import yaml

    from wuxi_archive.config import bundled_data

    files = [f for f in resources.files("wuxi_archive").joinpath("data").iterdir() if f.name.endswith(".yaml")]
    assert len(files) >= 5
    for file in files:
        assert bundled_data(file.name) == (yaml.safe_load(file.read_text(encoding="utf-8")) or {}), file.name
