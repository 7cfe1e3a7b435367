"""Fast paths of the per-seed stages and the cleaning report give exactly what
the simple code they replaced gave.

Each test keeps the simple version here, as the reference, and compares the
fast one with it on real input (seeds, test pages, their cleaning fixes) and
on small hand-made or random cases, including ones where nothing must match.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from wuxi_archive.clean import mojibake as M
from wuxi_archive.script import _traditional_count, is_traditional_char
from wuxi_archive.extract import article_text
from wuxi_archive.extract.lexicon import lexicon_for
from wuxi_archive.extract.names import _not_place, all_generic, ends_with_any, headed_by, place_head
from wuxi_archive.extract.organisations import _alias_led_forms, _is_place, _parent, _short_forms
from wuxi_archive.extract.text import last_stop_end, protected_mask
from wuxi_archive.load import encoding as E
from wuxi_archive.build.pipeline import process_seed_file
from wuxi_archive.render.report_diff import _bracket_deletion_diff, _deletion_diff, _substitution_diff, char_diff

SHARED_TESTPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "testpages"


def _seed_paths(seeds_dir: Path) -> list[Path]:
    paths = sorted(seeds_dir.glob("*.txt"))
    if SHARED_TESTPAGES.is_dir():   # a fresh clone has only the seeds
        paths += sorted(SHARED_TESTPAGES.glob("*.txt"))
    return paths


@pytest.fixture(scope="module")
def outcomes(seeds_dir, config):
    return [process_seed_file(path, config) for path in _seed_paths(seeds_dir)]


@pytest.fixture(scope="module")
def texts(seeds_dir) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in _seed_paths(seeds_dir)]


@pytest.fixture(scope="module")
def lines(texts) -> list[str]:
    real = [line for text in texts for line in text.splitlines()]
    garbled = []
    for line in real[::3]:
        if len(line) > 20:   # one byte lost a third of the way in, read on out of step
            data = line[len(line) // 3:].encode("gbk", "replace")[1:]
            garbled.append(line[:len(line) // 3] + "?" + data.decode("gb18030", "replace"))
    return real + garbled


# --- the cleaning report -------------------------------------------------------------

def simple_deletion_diff(before: str, after: str) -> list[tuple[str, str]] | None:
    if len(after) > len(before):
        return None
    ops: list[str] = []
    k = 0
    for char in before:
        if k < len(after) and char == after[k]:
            ops.append("same")
            k += 1
        else:
            ops.append("del")
    if k != len(after):
        return None
    runs: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(before) + 1):
        if i == len(before) or ops[i] != ops[start]:
            runs.append((ops[start], before[start:i]))
            start = i
    return runs


def simple_substitution_diff(before: str, after: str) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(before) + 1):
        if i == len(before) or (before[i] == after[i]) != (before[start] == after[start]):
            if before[start] == after[start]:
                runs.append(("same", before[start:i]))
            else:
                runs += [("del", before[start:i]), ("ins", after[start:i])]
            start = i
    return runs


def _fix_pairs(outcomes) -> list[tuple[str, str]]:
    return [(f.before, f.after) for o in outcomes for a in o.articles for f in a.clean.fixes]


def test_diffs_match_the_character_loops_on_the_pages_fixes(outcomes):
    pairs = _fix_pairs(outcomes)
    kinds = {f.kind for o in outcomes for a in o.articles for f in a.clean.fixes}
    assert {"pinyin", "converted"} <= kinds, kinds   # the pages do hold both kinds of repair
    for before, after in pairs:
        assert _deletion_diff(before, after) == simple_deletion_diff(before, after)
        if len(before) == len(after):
            assert _substitution_diff(before, after) == simple_substitution_diff(before, after)


@pytest.mark.parametrize("before,after", [
    ("", ""), ("a", ""), ("", "a"), ("abc", "abc"), ("abc", "ac"), ("abc", "ca"), ("aaa", "aa"),
    ("abab", "ab"), ("網(wǎng)絡(luò)公司", "網絡公司"), ("xxxxxxxxxxxxxxxxy", "xy"), ("ab", "abc"),
])
def test_deletion_diff_matches_the_loop_on_hand_made_cases(before, after):
    assert _deletion_diff(before, after) == simple_deletion_diff(before, after)


def test_diffs_match_the_character_loops_on_random_texts():
    rng = random.Random(7)
    for _ in range(4000):
        before = "".join(rng.choice("甲乙(a)") for _ in range(rng.randint(0, 40)))
        kept = "".join(c for c in before if rng.random() < 0.7)
        other = "".join(rng.choice("甲乙丙") for _ in range(rng.randint(0, 10)))   # often not a deletion
        for after in (kept, other):
            assert _deletion_diff(before, after) == simple_deletion_diff(before, after)
        swapped = "".join(c if rng.random() < 0.6 else rng.choice("甲乙丙") for c in before)
        assert _substitution_diff(before, swapped) == simple_substitution_diff(before, swapped)


def test_bracket_split_gives_the_greedy_runs_or_steps_aside(outcomes):
    pinyin = [(f.before, f.after) for o in outcomes for a in o.articles for f in a.clean.fixes if f.kind == "pinyin"]
    taken = [pair for pair in pinyin if _bracket_deletion_diff(*pair) is not None]
    assert taken, "the pages' pinyin fixes should take the bracket split"
    for before, after in pinyin:
        assert char_diff(before, after) == simple_deletion_diff(before, after)


@pytest.mark.parametrize("before,after", [
    ("網(wǎng)絡(luò)公司", "網絡公司"),
    ("電(diàn)(孫權)", "電(孫權)"),       # the greedy match takes `(` inside the annotation
    ("區(qū))設", "區)設"),               # and `)` too
    ("甲(a)a乙", "甲a乙"), ("甲(a)(b)乙", "甲乙"), ("(a)甲(b)", "甲"), ("甲(ab)", "甲(ab)"),
    ("甲(a)乙(b)", "甲乙(b)"),           # a bracket kept: not the split, the greedy loop
])
def test_bracket_split_on_hand_made_cases(before, after):
    assert char_diff(before, after) == simple_deletion_diff(before, after)


def test_bracket_split_on_random_texts():
    rng = random.Random(11)
    pieces = ["甲", "乙", "(", ")", "a", "(a)", "(ab)", "(á)", "（a）"]
    for _ in range(4000):
        before = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        kept = "".join(c for c in before if rng.random() < 0.8)
        annotations_out = _BRACKETS_FOR_TEST.sub(lambda m: "" if rng.random() < 0.8 else m.group(0), before)
        for after in (kept, annotations_out):
            if len(after) != len(before):
                assert char_diff(before, after) == (simple_deletion_diff(before, after) or char_diff(before, after))
                if _bracket_deletion_diff(before, after) is not None:
                    assert _bracket_deletion_diff(before, after) == simple_deletion_diff(before, after)


_BRACKETS_FOR_TEST = re.compile(r"[(（][a-zá]+[)）]")


# --- load, clean, convert -----------------------------------------------------------

def test_encoding_counts_match_the_per_character_tests(texts):
    rng = random.Random(5)
    samples = [t[:20000] for t in texts] + ["", "\x00\x01\t\n\x7f abc", "ｶﾀｶﾅ、。「」汉字"]
    for _ in range(500):
        samples.append("".join(chr(rng.randrange(0, 0x10000)) for _ in range(rng.randint(0, 30))))
    for sample in samples:
        good = sum(1 for c in sample if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
                   or "\uff00" <= c <= "\uffef")
        assert len(sample) - len(E._NOT_CJK_OR_ASCII.findall(sample)) == good
        controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or c == "\x7f")
        assert len(E._CONTROL.findall(sample)) == controls


def test_traditional_count_matches_the_per_character_test(texts, lines):
    for text in texts + lines + ["", "abc", "網絡公司", "网络公司", "乾隆著作"]:
        han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
        assert _traditional_count(text) == (sum(1 for c in han if is_traditional_char(c)), len(han))


def test_a_text_without_a_character_t2s_changes_is_never_counted_traditional(texts, lines):
    from wuxi_archive.script import (PASSAGE_MIN_CHARS, PASSAGE_SHARE, TRADITIONAL_SHARE, _may_be_traditional,
                                      detect_script, needs_conversion)
    for code in range(0x4E00, 0xA000):      # every character the count can mark traditional
        if is_traditional_char(chr(code)):
            assert _may_be_traditional(chr(code)), chr(code)
    skipped = 0
    for text in texts + lines + ["", "abc", "網絡公司", "网络公司", "乾隆著作", "江苏乾融"]:
        traditional, han = _traditional_count(text)
        if not _may_be_traditional(text):
            skipped += 1
            assert traditional == 0, text
        share = "traditional" if han and traditional / han >= TRADITIONAL_SHARE else "simplified"
        assert detect_script(text) == share
        for script in ("traditional", "simplified"):
            assert needs_conversion(text, script) == (traditional > 0 and (
                script == "traditional" or (traditional >= PASSAGE_MIN_CHARS and traditional / han >= PASSAGE_SHARE)))
    assert skipped


def simple_spans(text: str) -> list[tuple[int, int]]:
    spans, i = [], 0
    while i < len(text):
        if M._encode(text[i]) is None:
            i += 1
            continue
        j = i
        while j < len(text) and M._encode(text[j]) is not None:
            j += 1
        if any(not c.isascii() for c in text[i:j]):
            spans.append((i, j))
        i = j
    return spans


def test_mojibake_runs_found_by_translate_match_the_character_loop(lines):
    extra = ["", "abc", "!!", "a!中", "\ue000\uf8ff中文", "中\U0001f600文"]
    assert any(M._spans(line) for line in lines)
    for line in lines + extra:
        assert M._spans(line) == simple_spans(line)


def test_candidate_runs_hold_every_run_the_repair_would_not_skip(lines):
    extra = ["?中文", "中?文", "中?a文", "ab?zhèn)中文", "?zhèn)中文?", "\ue000中", "中\ue000", "?", "??中",
             "甲?乙丙丁戊己庚辛壬癸子", "\U000f0000中?\ue900文"]
    kept = 0
    for line in lines + extra:
        classes = line.translate(M._RUN_CLASSES)
        runs = M._spans(line)

        def looked_at(run):
            return M._head_marker(line, run[0]) is not None or M._may_start_repair(classes[run[0]:run[1]])

        candidates = M._candidate_spans(line, classes)
        assert set(candidates) <= set(runs) and candidates == sorted(candidates), line
        assert [r for r in candidates if looked_at(r)] == [r for r in runs if looked_at(r)], line
        kept += len(candidates)
    assert kept


def test_lines_the_pre_scan_passes_need_no_classes_to_find_their_candidate_runs(lines):
    # The shortcut in _repair_line: where _maybe_repair_mark finds nothing (a line whose
    # only garble sign is a `?`), the classes are not made; the same runs must be looked
    # at, and none of them can start a repair by itself.
    extra = ["?中文", "中?文", "ab?zhèn)中文", "更好?数字江恩《股知道》", "??中", "中文？?。"]
    passed = 0
    for line in lines + extra + [l[:len(l) // 2] + "?" + l[len(l) // 2:] for l in lines]:
        if M._maybe_repair_mark().search(line):
            continue
        classes = line.translate(M._RUN_CLASSES)
        assert M._candidate_spans(line, None) == M._candidate_spans(line, classes), line
        assert not any(M._may_start_repair(classes[a:b]) for a, b in M._spans(line)), line
        passed += "?" in line and bool(M._candidate_spans(line, None))
    assert passed > 10     # lines with a `?` before a run were compared


def test_a_run_skipped_as_unable_to_start_a_repair_has_no_window(lines):
    # The shortcut in _repair_line: a run without `?` marker is skipped when
    # _may_start_repair says no; the full window search must find none there.
    skipped = 0
    for line in lines:
        classes = line.translate(M._RUN_CLASSES)
        for start, end in M._spans(line):
            if not M._may_start_repair(classes[start:end]):
                skipped += 1
                assert M._best_window(line, start, end, False) is None
    assert skipped


# --- extract ------------------------------------------------------------------------

def simple_protected_mask(segment: str, compounds: tuple[str, ...]) -> list[bool]:
    mask = [False] * len(segment)
    for word in compounds:
        start = segment.find(word)
        while start >= 0:
            for k in range(start, start + len(word)):
                mask[k] = True
            start = segment.find(word, start + 1)
    return mask


def simple_last_stop_end(segment: str, words: tuple[str, ...], singles: frozenset[str], mask: list[bool]) -> int:
    best = 0
    for i in range(len(segment) - 1, -1, -1):
        if segment[i] in singles and not mask[i]:
            best = i + 1
            break
    taken: dict[int, int] = {}
    for word in words:
        i = segment.find(word) if word else -1
        while i >= 0:
            if i not in taken and not any(mask[i:i + len(word)]):
                taken[i] = i + len(word)
            i = segment.find(word, i + 1)
    return max(best, *taken.values()) if taken else best


def simple_place_head(name: str, lex) -> str:
    for place in lex.place_prefixes:
        if name.startswith(place):
            longer = lex.place_head_re.match(name)
            if longer and len(longer.group(0)) > len(place) and not _not_place(longer.group(0), lex):
                return longer.group(0)
            return place
    match = lex.place_head_re.match(name)
    if match and not _not_place(match.group(0), lex):
        return match.group(0)
    return ""


def simple_all_generic(words: str, lex) -> bool:
    if not words:
        return True
    reachable = [True] + [False] * len(words)
    for i in range(len(words)):
        if not reachable[i]:
            continue
        for word in lex.generic_words:
            if words.startswith(word, i):
                reachable[i + len(word)] = True
        if words[i].isdigit() or words[i] in "年第届":
            reachable[i + 1] = True
    return reachable[-1]


def _article_texts(outcomes) -> list[str]:
    return [article_text(a.clean) for o in outcomes for a in o.articles]


def test_stop_words_and_protected_compounds_match_the_find_loops(outcomes, config):
    lex = lexicon_for(config)
    masked = 0
    for text in _article_texts(outcomes):
        for segment in text.splitlines():
            segment = segment[:60]
            mask = protected_mask(segment, lex.protected_compounds)
            assert mask == simple_protected_mask(segment, lex.protected_compounds)
            masked += any(mask)
            for words in (lex.stop_verbs, lex.event_left_stops):
                assert last_stop_end(segment, words, lex.stop_singles, mask) == \
                    simple_last_stop_end(segment, words, lex.stop_singles, mask)
    assert masked   # the pages do hold protected compounds


def test_stop_words_match_the_find_loop_when_a_masked_word_hides_a_shorter_one():
    rng = random.Random(11)
    alphabet = "在由与和的是为了会"
    for _ in range(3000):
        segment = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        words = tuple({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(0, 6))})
        words = tuple(sorted(words, key=lambda w: rng.random()))   # any order: the first fitting word wins
        compounds = tuple({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(3)})
        mask = protected_mask(segment, compounds)
        assert mask == simple_protected_mask(segment, compounds)
        assert last_stop_end(segment, words, frozenset("在"), mask) == \
            simple_last_stop_end(segment, words, frozenset("在"), mask)


def test_name_tests_by_lookup_match_the_word_loops(outcomes, config):
    lex = lexicon_for(config)
    names = {t[i:i + n] for t in _article_texts(outcomes) for i in range(0, len(t), 3) for n in (2, 4, 7, 12)}
    names |= set(lex.place_prefixes[:50]) | {"", "无锡", "无锡市新吴区", "江苏省南京市", "特色专业", "中外合作2020年"}
    heads = lex.known_orgs[:200] + lex.place_prefixes[:200]
    for name in sorted(names):
        assert place_head(name, lex) == simple_place_head(name, lex)
        assert all_generic(name, lex) == simple_all_generic(name, lex)
        assert headed_by(name, heads) == next((h for h in heads if len(name) > len(h) and name.startswith(h)), "")
        for words in (lex.venue_endings, lex.reference_endings, lex.suffix_exclusions):
            assert ends_with_any(name, words) == next((w for w in words if name.endswith(w)), "")
    assert any(place_head(n, lex) for n in names) and any(all_generic(n, lex) for n in names if n)


def test_parent_by_prefix_lookup_matches_the_longest_first_loop():
    known = {"西安交通大学", "西安交大", "西安", "大学", "清华", "清华大学", "a", ""}
    ordered = sorted(known, key=lambda n: (-len(n), n))
    for surface in ["西安交通大学苏州研究院", "西安交通大学", "西安交大医院", "清华大学化学系", "清华x", "ab", "abc", "", "大学城"]:
        expected = next((n for n in ordered if len(surface) >= len(n) + 2 and surface.startswith(n)), "")
        assert _parent(surface, known) == expected


def simple_short_forms(surfaces, known_names, lex):
    owners = {}
    for full in sorted(surfaces):
        for tail in sorted(surfaces):
            head = full[:len(full) - len(tail)]
            if tail != full and full.endswith(tail) and (head in known_names or _is_place(head, lex)):
                owners.setdefault(tail, []).append(full)
    return {tail: fulls[0] for tail, fulls in owners.items() if len(fulls) == 1}


def simple_alias_led_forms(surfaces, canonical_of):
    forms = {}
    for surface in surfaces:
        for alias, canonical in canonical_of.items():
            if surface.startswith(alias) and surface != alias and canonical + surface[len(alias):] in surfaces:
                forms[surface] = canonical + surface[len(alias):]
    return forms


def test_organisation_forms_by_last_character_and_prefix_match_the_pair_loops(outcomes, config):
    lex = lexicon_for(config)
    known = set(lex.known_orgs)
    canonical_of = {"中科院": "中国科学院", "西安交大": "西安交通大学", "交大": "上海交通大学", "": "空"}
    found = 0
    for o in outcomes:
        for a in o.articles:
            surfaces = {org.name for org in a.organisations} | {al for org in a.organisations for al in org.aliases}
            surfaces |= {"中科院地理科学与资源研究所", "中国科学院地理科学与资源研究所", "苏州研究院",
                         "西安交通大学苏州研究院", "无锡市城东街道党工委", "城东街道党工委", "交大", "院"}
            for extra in (set(), {""}):
                forms = _short_forms(surfaces | extra, known, lex)
                assert forms == simple_short_forms(surfaces | extra, known, lex)
                assert _alias_led_forms(surfaces | extra, canonical_of) == \
                    simple_alias_led_forms(surfaces | extra, canonical_of)
                found += len(forms)
    assert found


def test_legal_footer_test_scanning_first_matches_the_word_count(lines, config):
    from wuxi_archive.clean import lines as L
    from wuxi_archive.clean.chrome import is_legal
    from wuxi_archive.clean.lexicon import lexicon_from
    lex = lexicon_from(config)

    def simple_is_legal(text):
        if L.is_record_number(text):
            return True
        hits = sum(1 for w in lex.legal_lower if w in text.lower())
        # one legal word inside a sentence is the article speaking of the law
        return hits >= 2 or (hits == 1 and not L.is_prose(text))

    extra = [w.upper() + "说明" for w in lex.legal] + ["版权所有 ©2024 某某网"]
    verdicts = [is_legal(line, lex) for line in lines + extra]
    assert verdicts == [simple_is_legal(line) for line in lines + extra]
    assert any(verdicts) and not all(verdicts)


def test_page_words_stripped_line_by_line_equal_the_whole_page_stripped(texts):
    from wuxi_archive.clean.pinyin import strip_pinyin_annotations
    whole_page = strip_pinyin_annotations.__wrapped__   # without the memo, on the page as one text
    pages = texts + ["網(wǎng)\n(wǎng)絡", "網\n(wǎng)", "皖I\n(lǐng)CP", "a(lǐng)\nb", "網(wǎng)(wǎng)\n們(men)"]
    assert any("(" in page and whole_page(page) != page for page in pages)
    for page in pages:
        assert M._page_words(page) == whole_page(page)


def simple_repair_window(text, done, first, end, head, context):
    """_repair_window as first written: both characters chosen before the score is checked."""
    garbled = text[first:end]
    middle = "".join(c or "" for c in M._shifted_pairs(garbled))
    start = head[0] if head else first
    penalty = 3 if head else 0
    if head and head[1]:
        penalty += 2
    left = M.strip_pinyin_annotations(done)
    codes = [M._encode(c) for c in garbled]
    head_char = M.choose(M._candidates(None, codes[0][0]), head[1] if head else None,
                         left[-6:], middle, context) or M.GAP
    lead, stop, reading = codes[-1][1], end, None
    if lead < 0x81:
        return None
    tail_char = None
    after = text[end:end + 2]
    swallowed = ""
    if after[:1] == "?":
        penalty += 3
        stop = end + 1
        fragment = M._FRAGMENT.match(text, stop)
        if fragment:
            reading, stop = fragment.group(0)[:-1], fragment.end()
        elif stop < len(text):
            swallowed = M.GAP
    elif after[:1].isascii() and 0x40 <= ord(after[:1] or "\0") <= 0x7E and not after[1:].isascii():
        tail_char = M._decode(bytes((lead, ord(after[0]))))
        if tail_char:
            penalty += 3
            stop = end + 1
    if tail_char is None:
        right = M.strip_pinyin_annotations(text[stop:])
        tail_char = M.choose(M._candidates(lead, None), reading, (left + head_char + middle)[-6:],
                             right, context) or M.GAP
    before_score = sum(M.char_quality(c) for c in garbled) - penalty
    after_score = sum(M.char_quality(c) for c in head_char + middle + tail_char)
    doubtful = sum(M.char_quality(c) < 0 for c in middle)
    if after_score - before_score < M.MIN_GAIN or doubtful * 5 > len(middle):
        return None
    return start, stop, head_char + middle + tail_char + swallowed


def test_repair_window_skipping_hopeless_runs_decides_as_choosing_first(lines):
    # Every run the repair would try, with and without a `?` marker before it,
    # against the page text (here: all lines) as context.
    context = "\n".join(lines[:400])
    tried = repaired = 0
    for line in lines:
        for start, end in M._spans(line):
            head = M._head_marker(line, start)
            first = M._best_window(line, start, end, head is not None)
            if first is None:
                continue
            done = line[:head[0] if head else first]
            expected = simple_repair_window(line, done, first, end, head, context)
            assert M._repair_window(line, done, first, end, head, context) == expected
            tried += 1
            repaired += expected is not None
    assert tried > repaired > 0   # both verdicts occur


def test_record_number_check_skips_only_lines_the_regex_would_not_match(lines):
    from wuxi_archive.clean.lines import ICP, is_record_number
    made = ["苏ICP备123号", "icp证", "Icp ：12", "ıcp:1", "公网安备 32", "备案/许可证", "CP:", "ICP", ""]
    cases = lines + made
    # Both verdicts occur (the seeds alone hold no record number: the test pages and these do).
    assert any(is_record_number(line) for line in made) and not all(is_record_number(line) for line in cases)
    for line in cases:
        assert is_record_number(line) == bool(ICP.search(line))


def test_converter_shortcut_for_texts_without_phrases_gives_the_reference_output(lines):
    from opencc import OpenCC

    from wuxi_archive.script.tables import FastConverter
    reference, s2t = OpenCC("t2s"), OpenCC("s2t")
    fast = FastConverter("t2s")
    assert fast._plain_table is not None
    phrases = fast._chain[0][0]
    samples = [s2t.convert(line) for line in lines[:600] if line.strip()] + ["", "乾隆著作", "頭髮 理髮", "，。"]
    shortcut = [text for text in samples if not phrases.starts.search(text)]
    assert shortcut and len(shortcut) < len(samples)   # both paths are taken
    for text in samples:
        assert fast.convert(text) == reference.convert(text)


def test_han_count_by_runs_is_the_count_of_han_characters(lines):
    from wuxi_archive.clean.lines import HAN, han_count
    rng = random.Random(2)
    samples = lines + ["", "abc", "中文", "\u3400\u9fff\uf900\ufaff\u33ff\ua000"]
    for _ in range(1000):   # around the class's edges
        samples.append("".join(chr(rng.choice([rng.randrange(0x33f0, 0x3410), rng.randrange(0x9ff0, 0xa010),
                                               rng.randrange(0xf8f0, 0xfb10), rng.randrange(0, 200)]))
                               for _ in range(rng.randint(0, 30))))
    for text in samples:
        assert han_count.__wrapped__(text) == len(HAN.findall(text))
