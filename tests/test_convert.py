"""Traditional -> simplified: only traditional text is converted; names survive."""
from __future__ import annotations

import pytest

from wuxi_archive.convert import convert_article, detect_script, needs_conversion, to_simplified
from wuxi_archive.records import CleanArticle, Paragraph


def article(script: str, *texts: str, title: str = "标题") -> CleanArticle:
    return CleanArticle(seed="t.txt", part=1, title=title, script=script,
                        paragraphs=[Paragraph("p", t, [i + 1]) for i, t in enumerate(texts)])


def test_detect_script():
    assert detect_script("無錫高新區2024年產業科技創新人才服務周啟幕") == "traditional"
    assert detect_script("无锡高新区2024年产业科技创新人才服务周启幕") == "simplified"
    assert detect_script("2024-05-30") == "simplified"


def test_simplified_article_is_never_converted():
    text = "西安交通大学苏州校友会会长、江苏乾融投资控股集团董事长叶晓明介绍了情况。"
    out = convert_article(article("simplified", text), ())
    assert out.paragraphs[0].text == text      # opencc would turn 乾 into 干


def test_traditional_article_is_converted():
    out = convert_article(article("traditional", "無錫高新區產業科技創新", title="中國新聞網"), ())
    assert out.paragraphs[0].text == "无锡高新区产业科技创新"
    assert out.title == "中国新闻网"
    assert any(f.kind == "converted" for f in out.fixes)


def test_passage_without_traditional_forms_is_untouched_in_a_traditional_page():
    out = convert_article(article("traditional", "無錫產業", "江苏乾融投资控股集团"), ())
    assert out.paragraphs[1].text == "江苏乾融投资控股集团"


def test_traditional_passage_inside_a_simplified_page_is_converted():
    quoted = "這是一段繁體中文的引文，記錄了會議的發言內容。"
    assert needs_conversion(quoted, "simplified")
    assert not needs_conversion("这是简体。只有一个個字。", "simplified")   # one stray form is not a passage
    out = convert_article(article("simplified", "简体段落。", quoted), ())
    assert out.paragraphs[1].text == "这是一段繁体中文的引文，记录了会议的发言内容。"


def test_protected_terms_survive_in_both_spellings():
    protected = ("乾融",)
    assert to_simplified("江蘇乾融投資", protected) == "江苏乾融投资"
    assert to_simplified("江蘇乾融投資", ()) != "江苏乾融投资"
    assert to_simplified("乾縣", ("乾县",)) == "乾县"


def test_the_particle_zhu_becomes_zhe_but_zhu_words_stay():
    from wuxi_archive.convert import to_simplified
    # opencc's t2s leaves 著 in all of these; simplified writes the particle and zháo/zhuó 着.
    assert to_simplified("在深化校地合作中起著“雙面膠”的作用") == "在深化校地合作中起着“双面胶”的作用"
    assert to_simplified("隨著時間推移,他們看著、想著,著手準備") == "随着时间推移,他们看着、想着,着手准备"
    assert to_simplified("這起著作用") == "这起着作用"
    # 著 as zhù (write, notable) stays
    assert to_simplified("著名學者編著的著作有顯著影響,起到顯著作用") == "著名学者编著的著作有显著影响,起到显著作用"


def test_seed_002_reads_qi_zhe(seeds_dir, config):
    from wuxi_archive.load import load_seed
    from wuxi_archive.build.pipeline import process_page
    seed = seeds_dir / "002_c83e22518ca00d00.txt"
    if not seed.is_file():
        pytest.skip("seed 002 is not in seeds/")
    text = "".join(p.text for a in process_page(load_seed(seed), config) for p in a.clean.paragraphs)
    assert "起着“双面胶”" in text and "著" not in text
