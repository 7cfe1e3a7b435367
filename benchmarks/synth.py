"""Synthesise a corpus of N articles from the real seeds' material.

    python benchmarks/synth.py --articles 2000 --out /tmp/corpus [--seed 1]

Pages look like the seeds: header and footer chrome cut from real pages,
a title, a date/source line in one of several layouts, and a body of
paragraphs recombined from real sentences, with organisation names varied
from a pool that grows with the corpus and years shifted to the article's
year. The same mix as the seeds: traditional pages with pinyin annotations,
multi-article pages, indented paragraphs, paragraphs broken mid-sentence;
plus a few GBK mojibake lines and non-UTF-8 files, as real scrapes have.

Page i depends only on (seed value, i, material, organisation pool), so
the output is byte-identical for a given N and --seed.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC
from pypinyin import Style, pinyin

sys.path.insert(0, str(Path(__file__).resolve().parent))
from material import ORG_SUFFIXES, Material, load_material  # noqa: E402

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
_S2T = OpenCC("s2t")

# Shares of the page kinds, after the five real seeds (2 of 5 traditional,
# 1 of 5 holding several articles); mojibake and odd encodings are rarer.
SHARE_TRADITIONAL = 0.4
SHARE_MULTI = 0.2
SHARE_MOJIBAKE = 0.06
SHARE_GB18030 = 0.03
SHARE_BOM = 0.02
SHARE_UNDATED = 0.05

_CITIES = ["无锡", "苏州", "常州", "南京", "江阴", "宜兴", "镇江", "南通", "扬州", "泰州", "杭州", "上海", "合肥", "昆山"]
_INDUSTRIES = ["科技", "电子", "光电", "新材料", "智能", "半导体", "生物医药", "软件", "精密机械", "新能源"]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢"
_CITY_PREFIX = re.compile("^(" + "|".join(_CITIES) + ")")


@dataclass
class Corpus:
    material: Material
    orgs: list[str]          # pool, most frequent first
    sources: list[str]
    seed: int


def organisation_pool(mat: Material, size: int, rng: random.Random) -> list[str]:
    """The seeds' organisations, then made-up variants until `size` names."""
    pool = list(mat.orgs)
    seen = set(pool)
    while len(pool) < size:
        base = rng.choice(mat.orgs)
        if rng.random() < 0.5:
            stem = _CITY_PREFIX.sub("", base)
            name = rng.choice(_CITIES) + stem
        else:
            brand = "".join(rng.choice(mat.han) for _ in range(2))
            suffix = rng.choice(["有限公司", "有限公司", "股份有限公司", "研究院", "集团"])
            name = rng.choice(_CITIES) + brand + rng.choice(_INDUSTRIES) + suffix
        if name not in seen and name.endswith(ORG_SUFFIXES + ("股份有限公司",)):
            seen.add(name)
            pool.append(name)
    return pool


def make_corpus(articles: int, seed: int, seeds_dir: Path = SEEDS_DIR) -> Corpus:
    mat = load_material(seeds_dir)
    rng = random.Random(f"pool:{seed}")
    orgs = organisation_pool(mat, len(mat.orgs) + 40 + articles // 4, rng)
    sources = list(mat.sources) + [c + s for c in _CITIES for s in ("日报", "晚报", "新闻网", "发布")]
    return Corpus(material=mat, orgs=orgs, sources=sources, seed=seed)


@lru_cache(maxsize=200_000)
def _trad(text: str) -> str:
    return _S2T.convert(text)


@lru_cache(maxsize=20_000)
def _reading(char: str) -> str:
    return pinyin(char, style=Style.TONE)[0][0]


def to_traditional(text: str, rng: random.Random) -> str:
    """Traditional text with a pinyin annotation after most changed characters."""
    simplified = text
    trad = _trad(simplified)
    if len(trad) != len(simplified):
        return trad
    out = []
    for s, t in zip(simplified, trad):
        out.append(t)
        if s != t and rng.random() < 0.85:
            out.append(f"({_reading(s)})")
    return "".join(out)


def mojibake(text: str) -> str:
    """UTF-8 bytes read as GBK: the classic scrape damage."""
    return text.encode("utf-8").decode("gbk", errors="replace")


class PageMaker:
    """Makes page i of a corpus; one instance per page, seeded by i."""

    def __init__(self, corpus: Corpus, index: int) -> None:
        self.c = corpus
        self.m = corpus.material
        self.rng = random.Random(f"page:{corpus.seed}:{index}")
        self.index = index

    def _org(self) -> str:
        # Zipf-like: a few organisations are in many articles, most in few.
        rank = int(self.rng.paretovariate(0.9)) - 1
        return self.c.orgs[rank % len(self.c.orgs)]

    def _sentence(self, year: int) -> str:
        parts = []
        for piece in self.rng.choice(self.m.sentences):
            if isinstance(piece, str):
                parts.append(piece)
            elif piece[0] == "org":
                parts.append(piece[1] if self.rng.random() < 0.3 else self._org())
            else:
                parts.append(str(max(2000, min(2035, piece[1] + year - 2024))))
        return "".join(parts)

    def _paragraph(self, year: int) -> str:
        return "".join(self._sentence(year) for _ in range(self.rng.randint(1, 4)))

    def _name(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.choice(self.m.han) for _ in range(self.rng.randint(1, 2)))

    def _title(self) -> str:
        clause = self.rng.choice(self.m.clauses)
        return (self._org() + clause)[:30] if self.rng.random() < 0.5 else clause

    def _date_line(self, date: tuple[int, int, int], source: str) -> list[str]:
        y, mo, d = date
        h, mi, s = self.rng.randrange(24), self.rng.randrange(60), self.rng.randrange(60)
        layout = self.rng.randrange(4)
        if layout == 0:
            return [f"{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}", f"来源:{source}"]
        if layout == 1:
            return [f"来源:{source} 日期:{y}-{mo:02d}-{d:02d} {h:02d}:{mi:02d} 浏览量:"]
        if layout == 2:
            return [f"{y}年{mo:02d}月{d:02d}日 {h:02d}:{mi:02d} 来源:{source} 作者:{self._name()}"]
        return [f"发布时间:{y}/{mo}/{d}", f"信息来源:{source}"]

    def _body(self, year: int, month: int, day: int, indent: str, lead: str) -> list[str]:
        lines: list[str] = []
        for n in range(self.rng.randint(3, 9)):
            text = self._paragraph(year)
            if n == 0:
                text = f"{lead}{month}月{day}日,{text}"
            if self.rng.random() < 0.08 and len(text) > 40:
                # Broken mid-sentence, as a copy from a print layout is.
                cut = self.rng.randrange(10, len(text) - 10)
                lines += [indent + text[:cut], "", text[cut:], ""]
            else:
                lines += [indent + text, ""]
            if self.rng.random() < 0.1 and self.m.inner:
                lines += [self.rng.choice(self.m.inner), ""]
        if self.rng.random() < 0.5:
            lines[-2] += f"({self._name()})"
        return lines

    def _date(self) -> tuple[int, int, int]:
        return self.rng.randint(2012, 2025), self.rng.randint(1, 12), self.rng.randint(1, 28)

    def _header(self) -> list[str]:
        block = list(self.rng.choice([h for h in self.m.headers if h] or [[]]))
        footer = self.rng.choice(self.m.footers)
        items = [f for f in footer if 2 <= len(f) <= 8]
        if items and self.rng.random() < 0.7:
            block.insert(0, " ".join(self.rng.sample(items, min(len(items), self.rng.randint(3, 8)))))
        return block

    def _footer(self) -> list[str]:
        footer = self.rng.choice(self.m.footers)
        if len(footer) > 12 and self.rng.random() < 0.5:
            start = self.rng.randrange(len(footer) - 10)
            footer = footer[start:start + self.rng.randint(10, len(footer) - start)]
        return list(footer)

    def page(self, articles: int) -> tuple[str, list[str]]:
        """(encoding, lines) of a page holding `articles` articles."""
        rng = self.rng
        indent = "  " if rng.random() < 0.3 else ""
        source = rng.choice(self.c.sources)
        lines = self._header() + [""]
        for part in range(articles):
            date = self._date()
            y, mo, d = date
            lines += [self._title(), ""]
            if articles == 1 and rng.random() >= SHARE_UNDATED:
                lines += self._date_line(date, source) + [""]
            lead = "本报讯 " if articles > 1 else ""
            lines += self._body(y, mo, d, indent, lead)
            if articles > 1 and part < articles - 1 and rng.random() < 0.5 and self.m.inner:
                lines += [rng.choice(self.m.inner), ""]
        lines += [f"编辑:{self._name()}", ""] + self._footer()
        if rng.random() < SHARE_MOJIBAKE:
            body = [i for i, line in enumerate(lines) if len(line) > 40]
            if body:
                i = rng.choice(body)
                lines[i] = mojibake(lines[i])
        traditional = rng.random() < SHARE_TRADITIONAL
        if traditional:
            lines = [to_traditional(line, rng) for line in lines]
        roll = rng.random()
        # GBK-family files come from mainland sites: simplified pages only.
        encoding = ("gb18030" if roll < SHARE_GB18030 and not traditional
                    else "utf-8-sig" if roll < SHARE_GB18030 + SHARE_BOM else "utf-8")
        return encoding, lines

    def articles_wanted(self) -> int:
        return self.rng.randint(2, 4) if self.rng.random() < SHARE_MULTI else 1


def page_name(seed: int, index: int) -> str:
    digest = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()[:16]
    return f"{index:06d}_{digest}.txt"


def write_page(corpus: Corpus, index: int, out_dir: Path, articles: int | None = None) -> tuple[Path, int]:
    """Write page `index`; returns its path and how many articles it holds."""
    maker = PageMaker(corpus, index)
    wanted = maker.articles_wanted()
    count = min(wanted, articles) if articles else wanted
    encoding, lines = maker.page(count)
    path = out_dir / page_name(corpus.seed, index)
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace") + b"\n")
    return path, count


def synthesise(out_dir: Path, articles: int, seed: int = 1, seeds_dir: Path = SEEDS_DIR) -> tuple[Corpus, list[Path]]:
    """Fill `out_dir` (emptied first) with pages holding `articles` articles in all."""
    corpus = make_corpus(articles, seed, seeds_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    paths: list[Path] = []
    left = articles
    while left > 0:
        path, count = write_page(corpus, len(paths), out_dir, left)
        paths.append(path)
        left -= count
    return corpus, paths


def edit_page(path: Path, seed: int) -> None:
    """Change one seed the way an editor would: one body line gets longer."""
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "gb18030", data.decode("gb18030")
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    donor = random.Random(f"edit:{seed}:{path.name}").choice([line for line in lines if len(line) > 20] or [lines[longest]])
    lines[longest] += donor.strip()
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles in the corpus (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to fill (emptied first; keep it in /tmp)")
    args = parser.parse_args(argv)
    _, paths = synthesise(args.out, args.articles, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} seeds, {args.articles} articles, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
