"""The article as one run: what a run carries across, where it stops, which run wins."""
from __future__ import annotations

from test_clean_cases import FOOTER, MENU, P1, P2, P3, SHORT, clean, texts

from wuxi_archive.clean.body import is_code, is_spaced_prose

HEAD = ["企业创新座谈会召开", "2024-03-05 10:00 来源：科技日报"]


def reasons(article) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


def test_numbered_heads_captions_and_section_numbers_stay_inside(config):
    page = HEAD + [P1, "一、人才引进", P2, "1", "图为座谈会现场。记者 王敏 摄", "02 成果转化", P3] + FOOTER
    [a] = clean(page, config)
    assert texts(a)[0] == P1 and texts(a)[-1] == P3
    assert {"一、人才引进", "1", "02 成果转化"} <= set(texts(a))
    assert not any("一、人才引进" in r.text for r in a.removed)


def test_a_table_of_numeric_cells_between_prose_is_carried(config):
    table = ["主要产品产量", "产品名称", "计量单位", "产量", "较上年±%", "饮料酒", "千升", "15767", "18.64",
             "塑料制品", "吨", "183946", "26.63", "胶合板", "立方米", "223828", "6.25"]
    [a] = clean(HEAD + [P1, P2] + table + [P3] + FOOTER, config)
    assert texts(a)[-1] == P3
    assert "183946" in " ".join(texts(a))


def test_the_same_short_lines_without_numbers_end_the_article(config):
    # a menu between the article and a sidebar's prose is not a table
    menu = ["热门栏目", "国内新闻", "国际新闻", "财经频道", "体育频道", "娱乐频道"]
    [a] = clean(HEAD + [P1, P2] + menu + [P3] + FOOTER, config)
    assert texts(a) == [P1, P2]
    assert "outside the article" in reasons(a)[P3] or "after the article" in reasons(a)[P3]


def test_an_inline_ad_is_removed_with_its_reason_and_the_article_goes_on(config):
    page = HEAD + [P1, "广告", "三天学会炒股，月入过万不是梦", "×", P2, "广告通知：留学名额有限，速来报名", "×", P3]
    [a] = clean(page + FOOTER, config)
    assert texts(a) == [P1, P2, P3]
    why = reasons(a)
    assert why["广告"].startswith("inside the article")
    assert "advertisement" in why["广告通知：留学名额有限，速来报名"]
    assert why["三天学会炒股，月入过万不是梦"].startswith("inside the article")


def test_a_share_bar_inside_is_removed_whole(config):
    bar = ["Facebook", "Line", "Weibo", "Twitter", "复制连结"]
    [a] = clean(HEAD + [P1] + bar + [P2, P3] + FOOTER, config)
    assert texts(a) == [P1, P2, P3]
    assert "Line" in reasons(a)


def test_a_platform_disclaimer_after_the_article_is_a_notice(config):
    notice = "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台用户上传并发布，本平台仅提供信息存储服务。"
    [a] = clean(HEAD + [P1, P2, P3, notice] + FOOTER, config)
    assert texts(a) == [P1, P2, P3]
    assert "notice" in reasons(a)[notice]


def test_a_sentence_naming_the_law_is_no_legal_footer(config):
    law = "第六十六条 违反本法规定，构成犯罪的，依法追究刑事责任。"
    [a] = clean(HEAD + [P1, law, P2, P3] + FOOTER, config)
    assert law in texts(a)


def test_comments_under_their_opener_are_not_the_article(config):
    comments = ["网友评论", "用户甲", P2 + "我觉得说得很对，支持一下。", "回复·05月10日",
                "用户乙", P3 + "同意楼上的观点，希望越来越好。", "回复·05月11日"]
    [a] = clean(HEAD + [P1, SHORT] + comments + FOOTER, config)
    assert texts(a) == [P1, SHORT]


def test_the_run_under_a_dateline_beats_a_heavier_list_under_an_opener(config):
    # a one-paragraph article, then a recommendation stream with more prose
    stream = ["你可能还想看", "某某财经·8 小时前", "另一篇文章的标题", P2 + P3, "某某地产·4 小时前",
              "又一篇文章的标题", P3 + P2]
    [a] = clean(MENU + HEAD + [P1] + stream + FOOTER, config)
    assert texts(a) == [P1]
    assert a.title == "企业创新座谈会召开"


def test_a_poster_layout_broken_after_every_comma_is_one_article(config):
    poster = ["下周一，", "道路施工就将进入第二阶段，", "也是对市民出行影响最大的一段。", "什么？", "你还不知道？",
              "5月20日至31日，", "北行方向将封闭施工，", "届时对过江出行，", "造成最直观的影响。", P1, P2]
    [a] = clean(HEAD + poster + FOOTER, config)
    joined = "".join(texts(a))
    assert joined.startswith("下周一，道路施工就将进入第二阶段，")
    assert "你还不知道？" in joined and joined.endswith(P2)


def test_a_code_block_between_prose_is_carried(config):
    code = ["version=2.0.1", "docker stop portal && docker rm portal", "docker run -p 28070:8070 \\",
            "-e ENV=dev \\", "-d --name portal apolloconfig/apollo-portal:2.0.1", "sleep 30s",
            "echo \"started\"", "# 修改文件权限", "sudo chmod -R 777 /data"]
    [a] = clean(HEAD + [P1] + code + [P2, P3] + FOOTER, config)
    assert texts(a)[-1] == P3
    assert "sudo chmod -R 777 /data" in "\n".join(texts(a))


def test_line_features():
    assert is_code("docker stop grafana && docker rm grafana")
    assert is_code("# 停止然后移除容器")
    assert not is_code("Facebook") and not is_code("#佛系#")
    assert is_spaced_prose("一波波接续性低温寒流报到 已将新竹尖石乡后山一带层层山峦披上嫣红的彩衣")
    assert not is_spaced_prose("资金流向 千股千评 个股诊断 最新评级 模拟交易")


def test_a_forum_thread_keeps_every_post_and_drops_the_posters_metadata(config):
    posts = []
    for n, (user, text) in enumerate([("楼主甲", "建议对这个角色进行改版，现在的技能跟别的角色差太远了，建议："),
                                       ("用户乙", "顶你，这个角色真的太弱了，攻击低，还要花钱"),
                                       ("用户丙", "同质化太严重了就没意思了"),
                                       ("用户丁", "能自动恢复就可以重新站起来了")], 1):
        posts += [user, "积分", str(n * 7), "发消息", f"发表于 2024-4-{n + 4} 23:20:45 | 只看该作者", text, "回复", "举报"]
    [a] = clean(["建议对这个角色进行改版", "返回列表"] + posts + ["返回列表", "关于我们"], config)
    body = texts(a)
    assert body[0].startswith("建议对这个角色进行改版，") and body[-1] == "能自动恢复就可以重新站起来了"
    assert "同质化太严重了就没意思了" in body
    assert not {"积分", "发消息", "回复", "用户乙"} & set(body)
    assert a.date == "2024-04-05"           # the first post dates the thread
    assert reasons(a)["用户丙"].startswith("post metadata")


def test_a_quotation_standing_above_the_first_paragraph_opens_the_essay(config):
    quote = "“事机一失应难再，时乎时乎不我待！”"
    [a] = clean(MENU + ["稳经济需要跑出加速度", "2022-06-02 09:52:19", "文丨特约评论员 韩涵", quote, P1, P2, P3] + FOOTER,
                config)
    assert texts(a)[0] == quote
    assert a.title == "稳经济需要跑出加速度"


def test_a_headline_ending_in_an_exclamation_mark_stays_the_title(config):
    [a] = clean(MENU + ["座谈会成功召开！", P1, P2, P3] + FOOTER, config)
    assert a.title == "座谈会成功召开！" and texts(a)[0] == P1


def test_a_breadcrumb_is_a_boundary_a_notice_above_it_stays_out(config):
    notice = "根据内容分级处理办法的规定，本网站已于首页标示限制级内容，未满十八岁者请勿浏览。"
    page = [notice, "我已年满18岁进入", "首页 > 即时 > 生活", "凶宅下月拍卖开价四百万", "2018-07-31 08:19", P1, P2]
    [a] = clean(page + FOOTER, config)
    assert texts(a) == [P1, P2] and a.title == "凶宅下月拍卖开价四百万"


def test_a_caption_and_a_lead_either_side_of_the_dateline_are_the_article(config):
    caption = "下月将法拍的房子位在万大路一带。（图翻摄自地图）"
    related = ["相关新闻", "租屋族小心！最阴大楼 网友都推这栋", "2018-07-30 10:00",
               "房客指控租到凶宅 房东才知前房客上吊自杀", "2018-07-29 09:00"]
    [a] = clean(["凶宅下月拍卖开价四百万", caption, "2018-07-31 08:19", P1, P2] + related + FOOTER, config)
    assert texts(a)[-2:] == [P1, P2]


def test_a_ticker_of_exclaiming_headlines_after_the_article_stays_out(config):
    ticker = ["快讯", "皇后的新裤！金发女逛卖场 网友看晕了", "座谈亮点！女主持正翻 网求大神开门：拜托特写",
              "声林之王／投票抽大奖！详细请点这", "关键字：客运,车祸"]
    [a] = clean(HEAD + [P1, P2, P3] + ticker + FOOTER, config)
    assert texts(a) == [P1, P2, P3]


def test_a_spaced_headline_right_under_the_breadcrumb_stays_the_title(config):
    headline = "常德市金融系统积极开展“金融知识普及月 金融知识进万家”活动"
    [a] = clean(MENU + ["首页 > 要闻 > 头条 > 正文", headline, P1, P2, P3] + FOOTER, config)
    assert a.title == headline and texts(a)[0] == P1


def test_a_breadcrumb_ending_in_the_headline_is_navigation_and_names_the_title(config):
    headline = "江门七旬阿婆接来电称其涉黑被骗上百万！冒充公检法电诈团伙被端"
    [a] = clean(MENU + [f"首页  >   时政新闻   >   {headline}", headline, P1, P2, P3] + FOOTER, config)
    assert a.title == headline and texts(a)[0] == P1
    assert a.subtitle is None


def test_short_sentences_holding_a_notice_or_opener_word_stay_in_the_article(config):
    # 会员 and 不代表 are notice words, 评论 opens the comments: in a sentence they are text
    lines = ["协会会员单位已达到一百二十家。", "评论员指出，这是好事。", "这一数据不代表行业整体情况。"]
    [a] = clean(HEAD + [P1, lines[0], lines[1], P2, lines[2], P3] + FOOTER, config)
    assert texts(a) == [P1, lines[0], lines[1], P2, lines[2], P3]


def test_a_page_printing_its_body_twice_keeps_it_once_and_says_so(config):
    [a] = clean(HEAD + [P1, P2, P3, P1, P2, P3] + FOOTER, config)
    assert texts(a) == [P1, P2, P3]
    assert sum("repeats an earlier paragraph" in r.reason for r in a.removed) == 3


def test_a_one_line_page_gets_no_paragraph_for_a_title(config):
    long_line = (P1 + P2 + P3) * 20
    [a] = clean([long_line], config)
    assert a.title == "case.txt" and len(a.title) < 100
    assert any("no headline found" in w for w in a.warnings)
