"""The cleaner's per-line fast paths give exactly what the slow paths they skip give.

Each fast path keeps its slow version beside it (`*_slowly`, a rule's
`unremembered`), and these tests compare the two on every line of the seeds,
the test pages and the dev pages (when ../shared is there), on those lines
garbled one byte out of step, and on small hand-made and random cases. Each
test also checks that both paths are really exercised (some lines change,
some are skipped), so none can pass by comparing nothing.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from wuxi_archive.clean import body, chrome, metadata, paragraphs, title
from wuxi_archive.clean import mojibake as M
from wuxi_archive.clean import pinyin as Y
from wuxi_archive.clean.chrome import PageLine, Roles
from wuxi_archive.clean.lexicon import lexicon_from, remembered

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _page_paths(seeds_dir: Path) -> list[Path]:
    paths = sorted(seeds_dir.glob("*.txt"))
    for folder in (SHARED / "testpages", SHARED / "devpages"):
        if folder.is_dir():   # a fresh clone has only the seeds
            paths += sorted(folder.glob("*.txt"))
    return paths


@pytest.fixture(scope="module")
def real_lines(seeds_dir) -> list[str]:
    return [line for path in _page_paths(seeds_dir)
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]


@pytest.fixture(scope="module")
def garbled_lines(real_lines) -> list[str]:
    """Lines decoded one byte out of step a third of the way in, as a lost byte leaves them."""
    out = []
    for line in real_lines[::2]:
        if len(line) > 20:
            data = line[len(line) // 3:].encode("gbk", "replace")[1:]
            out.append(line[:len(line) // 3] + "?" + data.decode("gb18030", "replace"))
    return out


# --- pinyin: one substitution for the toned readings -----------------------------------

PINYIN_CASES = [
    "網(wǎng)絡(luò)",                     # toned readings, one after another
    "网(wǎng)(wǎng)",                  # a reading right after a removed one: two passes
    "网（wǎng）（wǎng）（wǎng）",      # full-width brackets, three passes
    "們(men)好",                        # a toneless reading pypinyin knows
    "們(abc)好",                        # bracketed letters that are no reading stay
    "皖I(lǐng)CP备",                   # a toned reading after a Latin letter
    "A(lǐnglǐnglǐng)",                 # ... of any length there
    "網(WǍNG)",                         # upper-case tone marks
    "網(wǎngwǎngx)",                     # seven letters after a character: no reading
    "(完)", "（记者 张敏）", "网(wǎng", "网wǎng)", "",
    "公司(Nasdaq)上市(shàng shì)",      # a space inside: no reading
    "上(shàng)(men)(wǎng)市",           # toned, toneless and toned in a row
    "上(shàng))(wǎng)", "上((shàng)", "3(sān)个", "ſ(ā)",
]


def test_pinyin_one_substitution_matches_the_call_per_reading(real_lines):
    rng = random.Random(19)
    alphabet = "網们們上海A3 ()（）wǎngmenāáǎàlinWǍ"
    randoms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24))) for _ in range(3000)]
    changed = 0
    for text in PINYIN_CASES + real_lines + randoms:
        fast = Y.strip_pinyin_annotations.__wrapped__(text)   # not the memo: the path itself
        assert fast == Y.strip_pinyin_annotations_slowly(text), text
        changed += fast != text
    assert changed > 50     # the seeds' annotated pages and the random cases lose readings


# --- mojibake: the scan of the text before the translate --------------------------------

def test_plainly_clean_scan_agrees_with_the_classes(real_lines, garbled_lines):
    rng = random.Random(19)
    # random lines over common and uncommon characters, punctuation and private use
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动" \
               "暨圳恺浏楫燊婷鐘錫陰苯幨銀ā，。！？《》（）—…!.:-\ue163\ue766 ab1"
    randoms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    skipped = scanned = 0
    for text in real_lines + garbled_lines + randoms:
        if text.isascii():
            continue
        assert M._plainly_clean(text) == M._plainly_clean_slowly(text), text
        if "?" not in text:
            skipped += M._maybe_repair_mark().search(text) is None
            scanned += 1
    assert skipped > scanned // 3                  # most lines need no translate
    assert sum(not M._plainly_clean(t) for t in garbled_lines) > len(garbled_lines) // 2


def test_plainly_clean_scan_never_misses_an_uncommon_pair():
    """Every character the classes call uncommon or private-use is one the scan stops at."""
    sample = [chr(c) for c in range(0x2000, 0xA000, 7)] + [chr(c) for c in range(0xE000, 0xE900, 5)] \
        + [chr(c) for c in range(0xF900, 0xFB00, 3)] + [chr(c) for c in range(0xFF01, 0xFF5F)]
    uncommon = 0
    for char in sample:
        kind = M._RUN_CLASSES[ord(char)]
        if kind in "up":
            uncommon += 1
            assert M._maybe_repair_mark().search(char + char) is not None, repr(char)
            assert M._maybe_repair_mark().search(char + "的" + char) is not None, repr(char)
            for between in ",:!":    # full-width punctuation folded to ASCII is inside a run
                assert M._maybe_repair_mark().search(char + between + char) is not None, repr(char)
    assert uncommon > 1000


# --- remembered rules: the same answers from the memo -------------------------------------

RULES = [chrome.is_legal, chrome.is_notice, body._short_kind, title.is_toolbar, title.is_credit,
         paragraphs.is_caption, metadata._person_names]
ROLES = [Roles(False, False, False), Roles(True, False, False), Roles(False, True, False, "copyright"),
         Roles(False, False, True)]


def test_remembered_rules_answer_as_the_rules_do(real_lines, config):
    lexicon = lexicon_from(config)
    lines = [t.strip() for t in real_lines if t.strip()]
    answers: dict = {}
    for _ in range(2):     # the second round answers from the memo
        for text in lines:
            for rule in RULES:
                answer = rule(text, lexicon)
                assert answer == rule.unremembered(text, lexicon), (rule.__name__, text)
                answers.setdefault(rule.__name__, set()).add(answer)
            for feed in (False, True):
                assert chrome._line_role(text, lexicon, feed) == chrome._line_role.unremembered(text, lexicon, feed)
            for role in ROLES:
                assert chrome.chrome_reason(text, lexicon, role) == chrome.chrome_reason.unremembered(text, lexicon, role)
                line = PageLine(1, text, text)
                assert title._eligible(line, role, lexicon) == title._eligible_text.unremembered(text, lexicon, role)
    # Every rule says yes (or gives a reason) on some lines and no on others: the pages of
    # ../shared hold every kind of line; the seeds alone (a fresh clone) lack some kinds.
    if SHARED.is_dir():
        assert all(len(seen) >= 2 for seen in answers.values()), answers.keys()
    assert sum(len(seen) >= 2 for seen in answers.values()) >= 3, answers


def test_remembered_memo_is_bounded(config, monkeypatch):
    from wuxi_archive.clean import lexicon as lexicon_module
    lexicon = lexicon_from(config)
    calls = []

    @remembered
    def rule(text, lexicon):
        calls.append(text)
        return len(text)

    monkeypatch.setattr(lexicon_module, "LINE_MEMO_SIZE", 5)
    for k in range(12):
        assert rule("x" * k, lexicon) == k
    assert rule("x" * 11, lexicon) == 11 and len(calls) == 12       # remembered
    assert len(lexicon.line_memo[rule.unremembered]) <= 5


def test_text_memos_answer_as_the_predicates_do(real_lines):
    from wuxi_archive.clean import lines as L
    from wuxi_archive.clean.memo import text_memo
    predicates = [L.han_count, L.is_prose, L.is_timestamp, L.is_keyword_salad, L.is_breadcrumb,
                  body.is_spaced_prose, title._is_crumb, title._is_stamp_line, metadata.stamp_date]
    seen: dict = {}
    for _ in range(2):     # the second round answers from the memo
        for text in real_lines:
            for predicate in predicates:
                answer = predicate(text)
                assert answer == predicate.__wrapped__(text), (predicate.__name__, text)
                seen.setdefault(predicate.__name__, set()).add(answer)
    assert all(len(answers) >= 2 for answers in seen.values())

    calls = []
    remembered_len = text_memo(3)(lambda text: calls.append(text) or len(text))
    assert [remembered_len(t) for t in ("a", "bb", "a", "ccc", "dddd", "a")] == [1, 2, 1, 3, 4, 1]
    assert calls == ["a", "bb", "ccc", "dddd", "a"]     # "a" forgotten when the memo was full


# --- ends_complete: the search from the line's end ----------------------------------------

def test_ends_complete_from_the_end_answers_as_the_whole_line_search(real_lines):
    from wuxi_archive.clean import lines as L
    rng = random.Random(19)
    alphabet = "文。！？!?；;…”’」』)）】(（“ \t\n□a"
    randoms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10))) for _ in range(20000)]
    answers = set()
    for text in real_lines + randoms:
        answer = L.ends_complete(text)
        assert answer == L.ends_complete_slowly(text), text
        answers.add(answer)
    assert answers == {True, False}


def test_closing_byline_skips_only_paragraphs_the_regex_would_not_match(real_lines):
    # closing_byline looks for its bracket only in a paragraph ending in `)` or `）`
    from wuxi_archive.clean.metadata import _CLOSING
    extra = ["文。(陈晓云 王子豪)", "文。（记者 钱伟）  ", "文。(刘通摄)\n", "文。(刘通摄)\u3000", "文。(刘通摄)x"]
    matched = 0
    for text in real_lines + extra:
        if not text.rstrip().endswith((")", "）")):
            assert _CLOSING.search(text) is None, text
        else:
            matched += _CLOSING.search(text) is not None
    assert matched
