"""People's names are read with their surname's reading (data/surnames.yaml)."""
from __future__ import annotations

import pytest

from wuxi_archive.index import build_index
from wuxi_archive.index.slugs import assign_slugs, person_key, pinyin_initial
from wuxi_archive.records import Article, CleanArticle, Person
from wuxi_archive.surnames import person_reading, surname_readings, toneless


@pytest.mark.parametrize("name, syllables", [
    ("单智伟", ["shan", "zhi", "wei"]), ("曾国藩", ["zeng", "guo", "fan"]), ("解缙", ["xie", "jin"]),
    ("仇英", ["qiu", "ying"]), ("区志航", ["ou", "zhi", "hang"]), ("朴槿惠", ["piao", "jin", "hui"]),
    ("查良镛", ["zha", "liang", "yong"]), ("盖叫天", ["ge", "jiao", "tian"]), ("乐嘉", ["yue", "jia"]),
    ("尉迟恭", ["yu", "chi", "gong"]), ("万俟卨", ["mo", "qi", "xie"]),
])
def test_a_surname_is_read_as_a_surname(name, syllables):
    assert person_reading(name) == syllables


def test_other_names_and_other_words_keep_their_reading():
    assert person_reading("王小明") == ["wang", "xiao", "ming"]
    assert person_reading("吕布") == ["lv", "bu"]                 # ü spelt v, as pypinyin spells it
    assert person_reading("单") == ["dan"]                        # a surname alone is no name
    assert person_reading("Tim Cook") != []                       # Latin names are read as they are
    assert pinyin_initial("单位") == "D"                           # organisations and words: as before


def test_the_table_is_toneless_one_syllable_a_character():
    table = surname_readings()
    assert table["单"] == ["shan"] and table["尉迟"] == ["yu", "chi"] and toneless("lǚ") == "lv"
    assert all(len(syllables) == len(name) for name, syllables in table.items())


def test_the_person_index_files_and_slugs_by_the_surname_reading():
    people = ["单智伟", "邓小平", "曾国藩", "蔡元培"]
    articles = [Article(clean=CleanArticle(seed=f"s{n}.txt", part=1, title=f"标题{n}", paragraphs=[], date="2024-01-0" + str(n + 1)),
                        people=[Person(name=name, role=None)]) for n, name in enumerate(people)]
    index = build_index(articles)
    assert index.people["单智伟"].slug == "shan-zhi-wei"
    groups = dict((letter, [e.name for e in entries]) for letter, entries in index.person_groups())
    assert "单智伟" in groups["S"] and "曾国藩" in groups["Z"] and "邓小平" in groups["D"]
    assert pinyin_initial("单智伟", person_key) == "S"
    assert assign_slugs(["单智伟"])["单智伟"] == "dan-zhi-wei"         # read as a word by default
