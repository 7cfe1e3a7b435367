"""Site-wide configuration: defaults, the bundled word lists, a user's YAML.

Configuration is loaded once and passed into each stage; no stage reads a
global. The bundled data files (`wuxi_archive/data/*.yaml`) hold every word
list the rules need; a user's config file may extend each of them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .safe_yaml import load_limited
from .wording import kind_of

DEFAULT_CONFIG_NAME = "wuxi-archive.yaml"


class ConfigError(Exception):
    """A configuration or sidecar file is wrong; the message names file and line."""


@dataclass
class Config:
    site_title: str = "无锡科技新闻档案"
    site_description: str = "无锡科技园区、高校、企业与政府项目的新闻离线档案"
    about_markdown: str = ""
    base_url: str = ""                       # absolute URL for feed/sitemap; relative when empty
    feed_entries: int = 50
    page_size: int = 100                     # items on one page of a list (render/pagination.py)
    aliases: dict[str, str] = field(default_factory=dict)       # alias -> canonical organisation
    protected_terms: list[str] = field(default_factory=list)    # never converted to simplified
    chrome: dict[str, list[str]] = field(default_factory=dict)  # word lists of the cleaner
    entities: dict[str, Any] = field(default_factory=dict)      # word lists of the extractor (data/entities.yaml)
    source_file: str | None = None

    def fingerprint(self) -> str:
        """Hash of everything that changes a build's output (for the cache)."""
        payload = json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


_CONFIG_KEYS = {
    "site_title": str, "site_description": str, "about": str, "base_url": str, "feed_entries": int,
    "page_size": int, "aliases": dict, "protected_terms": list, "chrome": dict,
}

_COUNT_KEYS = ("feed_entries", "page_size")


def bundled_data(name: str) -> Any:
    """Load one of the YAML data files shipped inside the package."""
    text = resources.files("wuxi_archive").joinpath("data", name).read_text(encoding="utf-8")
    # libyaml's parser where PyYAML has it: the same data, and every build reads these
    # files (0.036-0.05 s with the Python parser, about a fifth of a rebuild's start).
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def load_config(path: Path | None = None) -> Config:
    """Defaults plus the bundled data, extended by `path` when given."""
    cfg = Config(
        aliases=dict(bundled_data("aliases.yaml").get("aliases", {})),
        protected_terms=list(bundled_data("protected_terms.yaml").get("protected_terms", [])),
        chrome={k: list(v) for k, v in bundled_data("chrome.yaml").items()},
        entities=dict(bundled_data("entities.yaml")),
    )
    if path is None:
        return cfg
    data = read_yaml_mapping(path)
    for key, value in data.items():
        expected = _CONFIG_KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{path}:{_line_of(path, key)}: unknown key '{str(key)[:40]}' (known: {', '.join(sorted(_CONFIG_KEYS))})")
        if not isinstance(value, expected):
            raise ConfigError(f"{path}:{_line_of(path, key)}: '{key}' must be {kind_of(expected)}, not {kind_of(type(value))}")
    cfg.site_title = data.get("site_title", cfg.site_title)
    cfg.site_description = data.get("site_description", cfg.site_description)
    cfg.about_markdown = data.get("about", "")
    cfg.base_url = data.get("base_url", "").rstrip("/")
    # Counts: a boolean is an int to Python, and 0 or -1 would slice lists into nothing.
    for key in _COUNT_KEYS:
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or value < 1):
            raise ConfigError(f"{path}:{_line_of(path, key)}: '{key}' must be a positive whole number, not {value!r}")
    cfg.feed_entries = data.get("feed_entries", cfg.feed_entries)
    cfg.page_size = data.get("page_size", cfg.page_size)
    for alias, canonical in data.get("aliases", {}).items():
        if not _is_name(alias) or not _is_name(canonical):
            raise ConfigError(f"{path}:{_line_of(path, 'aliases')}: aliases map a name to a name "
                              "(neither may be empty)")
        cfg.aliases[alias.strip()] = canonical.strip()
    cfg.protected_terms += _words(data.get("protected_terms", []), path, "protected_terms")
    for group, words in data.get("chrome", {}).items():
        if group not in cfg.chrome or not isinstance(words, list):
            raise ConfigError(f"{path}:{_line_of(path, 'chrome', group)}: chrome.{str(group)[:40]} is not a known word list ({', '.join(sorted(cfg.chrome))})")
        cfg.chrome[group] += _words(words, path, "chrome")
    cfg.source_file = str(path)
    return cfg


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _words(values: list, path: Path, key: str) -> list[str]:
    """A word list of the config: texts or numbers, none empty (an empty word matches everywhere)."""
    words = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
            raise ConfigError(f"{path}:{_line_of(path, key)}: '{key}' holds words (non-empty texts), "
                              f"not {type(value).__name__ if str(value).strip() else 'an empty text'}")
        words.append(str(value))
    return words


def read_yaml_mapping(path: Path) -> dict:
    """Parse a YAML file that must hold a mapping; errors name file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    try:
        data = load_limited(text)       # limits on size, nesting, aliases, integers (safe_yaml)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: must be a mapping of keys to values")
    return data


def _line_of(path: Path, key: str, inner: object = None) -> int:
    """The 1-based line where a top-level key is written, for messages; with `inner`,
    the line of that key inside the top-level key's block (a word list under `chrome:`)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    start = next((n for n, line in enumerate(lines, 1) if not line[:1].isspace() and _key_of(line) == str(key)), 0)
    if not start or inner is None:
        return start or 1
    for number, line in enumerate(lines[start:], start + 1):
        if line.strip() and not line[:1].isspace() and not line.lstrip().startswith("#"):
            break                                   # the next top-level key: the block ended
        if _key_of(line) == str(inner):
            return number
    return start


def _key_of(line: str) -> str:
    """The key a YAML mapping line writes (unquoted), or '' for another line."""
    return line.split(":", 1)[0].strip().strip("'\"") if ":" in line else ""
