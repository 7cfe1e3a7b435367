"""YAML from people is read with limits (issue 23, item 3).

A few hundred bytes of YAML took 2.75 GB and 22 s before a MemoryError
(an alias bomb, expanded by `repr` in an error message); deep nesting gave a
RecursionError traceback, a long integer a ValueError traceback, and
`aliases: {"": X}` looped forever. Each hostile text must be answered, as a
sidecar, as the config and through `check`, with one message naming the
file and a line, in well under a second.
"""
from __future__ import annotations

import resource
import time

import pytest

from wuxi_archive.commands.cli import main
from wuxi_archive.config import ConfigError, load_config
from wuxi_archive.editorial.sidecars import SidecarError, parse_sidecar
from wuxi_archive.config.safe_yaml import MAX_BYTES, load_limited


def _bomb(key: str) -> str:
    lines = [f'{key}:', '  - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, prev in zip("bcdefghi", "abcdefgh"):
        lines.append(f"  - &{name} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias bomb": _bomb("organisations"),
    "deep flow nesting": "title: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep block nesting": "title:\n" + "".join(" " * (i + 1) + "- \n" for i in range(300)),
    "long integer": "keep_lines: [" + "9" * 5000 + "]\n",
    "a value that contains itself": "organisations: &a [*a]\n",
    "long key": "x" * 500_000 + ": 1\n",
    "just under the size limit": "keep_lines:\n" + "- 1\n" * ((MAX_BYTES - 20) // 4),
    "over the size limit": "title: '" + "长" * (MAX_BYTES // 3 + 10) + "'\n",
}


def _within_budget(call) -> tuple[float, float]:  # noqa: ANN001
    """CPU seconds and MB the call took: CPU time, not wall time, so that a machine busy with
    other work does not fail a parse that is fast (the unguarded parser took 22 s and 2.75 GB)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    call()
    return time.process_time() - start, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_sidecar_is_an_error_with_a_line_quickly(name):
    def parse():
        with pytest.raises(SidecarError) as info:
            parse_sidecar(HOSTILE[name], "seeds/x.yaml")
        message = str(info.value)
        assert message.startswith("seeds/x.yaml:") and len(message) < 300, message[:300]

    seconds, grown_mb = _within_budget(parse)
    assert seconds < 1.0 and grown_mb < 100, (name, seconds, grown_mb)


@pytest.mark.parametrize("name", ["alias bomb", "deep flow nesting", "long integer", "a value that contains itself"])
def test_a_hostile_config_is_an_error_with_a_line_quickly(name, tmp_path):
    path = tmp_path / "wuxi-archive.yaml"
    path.write_text(HOSTILE[name].replace("organisations:", "protected_terms:").replace("keep_lines:", "feed_entries:")
                    .replace("title:", "chrome:"), encoding="utf-8")
    seconds, grown_mb = _within_budget(lambda: pytest.raises(ConfigError, load_config, path))
    assert seconds < 1.0 and grown_mb < 100, (name, seconds, grown_mb)


@pytest.mark.parametrize("aliases", ['{"": 无锡}', '{无锡: ""}', "{'  ': 无锡}"])
def test_an_empty_alias_is_refused(tmp_path, aliases):
    path = tmp_path / "wuxi-archive.yaml"
    path.write_text(f"aliases: {aliases}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="neither may be empty"):
        load_config(path)


def test_an_empty_protected_term_or_chrome_word_is_refused(tmp_path):
    path = tmp_path / "wuxi-archive.yaml"
    for text in ('protected_terms: [""]\n', "protected_terms: [[a, b]]\n"):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match="protected_terms"):
            load_config(path)


def test_an_empty_alias_cannot_loop_the_extractor(config):
    """Even handed in past the config check, an empty alias or known name is never searched for."""
    from wuxi_archive.extract.lexicon import build_lexicon

    lex = build_lexicon(config.entities, {**config.aliases, "": "无锡", "西浦": ""})
    assert "" not in lex.aliases and "" not in lex.fixed_heads and "西浦" not in lex.aliases


def test_check_and_build_answer_an_alias_bomb_in_a_sidecar(tmp_path, monkeypatch, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("无锡举办科技大会\n2024-05-30\n无锡市今天举办了一场科技大会，来自全国的专家参加了会议。\n", encoding="utf-8")
    (seeds / "a.yaml").write_text(HOSTILE["alias bomb"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for argv in (["check", "--seeds", "seeds"], ["build", "--seeds", "seeds", "--out", "out"]):
        start = time.perf_counter()
        assert main(argv) == 1
        assert time.perf_counter() - start < 5
        err = capsys.readouterr().err
        assert "a.yaml:" in err and "aliases are expanded" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_ordinary_yaml_reads_as_pyyaml_reads_it():
    import yaml

    text = ("title: 无锡\ndate: 2024-05-30\nkeep_lines: [1, 0x1f, 1_000]\nbase: &b {x: 1, y: [a, b]}\n"
            "merged:\n  <<: *b\n  z: ~\nflag: yes\nnum: 1.5\n'quoted': \"t\"\nmulti: |\n  a\n  b\n")
    assert load_limited(text) == yaml.safe_load(text)
