#!/usr/bin/env python3
"""Writes the lexicons bundled in crates/cxm-text/data/lexicon/ (reproducibly).

Inputs: the files fetched by tools/text/fetch_data.sh (jionlp 1.5.31 and
vaderSentiment 3.3.2) plus the project-authored lists in this script.
Run:  tools/text/fetch_data.sh && python3 tools/text/build_lexicons.py

Every output is UTF-8 with LF line ends, `#` comment lines on top saying
where it came from, then one entry per line with tab-separated fields.
The project-authored lists were written from general knowledge of Chinese
and English review language; none is derived from the labelled corpora.
"""

import os
import re
import sys

SRC = os.environ.get("CXM_TEXT_DATA", os.path.expanduser("~/.cache/cxm-text"))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crates", "cxm-text", "data", "lexicon")

HAN = re.compile(r"^[\u4e00-\u9fff]+$")
EN_TOKEN = re.compile(r"^[a-z][a-z']*( [a-z][a-z']*)*$")

JIONLP = "jionlp 1.5.31 (https://github.com/dongrixinyu/JioNLP), Apache-2.0; modified by cxm"
VADER = "vaderSentiment 3.3.2 (https://github.com/cjhutto/vaderSentiment), MIT, Copyright (c) 2016 C.J. Hutto; modified by cxm"
OWN = "written by the cxm project, Apache-2.0"

# ---------------------------------------------------------------- Chinese

# Degree words: multiplier of the next sentiment word (pre) or of the one just
# before (post). Weakeners are below 1. Written by us: jionlp's table lacks
# 很/太/特别 and has no weakeners.
ZH_DEGREE = [
    # intensifiers
    ("极其", 1.8, "pre"), ("极为", 1.8, "pre"), ("极度", 1.8, "pre"), ("超级", 1.8, "pre"), ("最", 1.8, "pre"),
    ("非常", 1.6, "pre"), ("十分", 1.6, "pre"), ("万分", 1.6, "pre"), ("格外", 1.5, "pre"), ("分外", 1.5, "pre"),
    ("特别", 1.6, "pre"), ("特", 1.5, "pre"), ("太", 1.6, "pre"), ("超", 1.6, "pre"), ("巨", 1.6, "pre"),
    ("贼", 1.5, "pre"), ("极", 1.7, "pre"), ("相当", 1.4, "pre"), ("实在", 1.4, "pre"), ("实在是", 1.4, "pre"),
    ("真", 1.4, "pre"), ("真的", 1.4, "pre"), ("真是", 1.4, "pre"), ("确实", 1.3, "pre"), ("的确", 1.3, "pre"),
    ("很", 1.5, "pre"), ("挺", 1.3, "pre"), ("蛮", 1.3, "pre"), ("怪", 1.2, "pre"), ("老", 1.2, "pre"),
    ("更", 1.3, "pre"), ("更加", 1.4, "pre"), ("越来越", 1.4, "pre"), ("愈发", 1.4, "pre"), ("尤其", 1.4, "pre"),
    ("如此", 1.4, "pre"), ("这么", 1.3, "pre"), ("那么", 1.3, "pre"), ("多么", 1.5, "pre"), ("好不", 1.5, "pre"),
    ("完全", 1.4, "pre"), ("绝对", 1.5, "pre"), ("简直", 1.6, "pre"), ("超级无敌", 2.0, "pre"), ("颇", 1.3, "pre"),
    ("颇为", 1.3, "pre"), ("过于", 1.4, "pre"), ("太过", 1.5, "pre"), ("强烈", 1.6, "pre"),
    # weakeners (below 1)
    ("比较", 0.9, "pre"), ("还算", 0.7, "pre"), ("还", 0.9, "pre"), ("还比较", 0.8, "pre"), ("算是", 0.8, "pre"),
    ("有点", 0.6, "pre"), ("有点儿", 0.6, "pre"), ("有一点", 0.6, "pre"), ("有一点点", 0.5, "pre"),
    ("有些", 0.7, "pre"), ("有一些", 0.7, "pre"), ("稍微", 0.6, "pre"), ("稍稍", 0.6, "pre"), ("稍", 0.6, "pre"),
    ("略", 0.6, "pre"), ("略微", 0.6, "pre"), ("略有", 0.6, "pre"), ("略显", 0.7, "pre"), ("些许", 0.6, "pre"),
    ("一点", 0.6, "pre"), ("不怎么", 0.5, "pre"), ("基本", 0.8, "pre"), ("基本上", 0.8, "pre"),
    # after the word: 好吃极了, 差死了, 慢得要命
    ("极了", 1.8, "post"), ("死了", 1.6, "post"), ("透了", 1.7, "post"), ("得很", 1.4, "post"),
    ("得要命", 1.8, "post"), ("得不得了", 1.8, "post"), ("爆了", 1.7, "post"), ("至极", 1.8, "post"),
    ("了点", 0.7, "post"), ("了一点", 0.7, "post"), ("了些", 0.7, "post"), ("一点点", 0.6, "post"),
]

# Negators kept from jionlp's list: the entries that only negate. Dropped are
# sentiment words (不好, 不满, 不佳, 没用 …), connectives (不仅, 不管, 除非 …)
# and words whose 不 does not negate what follows (不久, 不同, 不到 …).
ZH_NEG_KEEP = {
    "不", "不会", "不可", "不大", "不太", "不应", "不想", "不是", "不曾", "不用", "不能", "不要",
    "不许", "从不", "从未", "从没", "决不", "决非", "别", "勿", "并不", "并不是", "并无", "并未", "并没",
    "并没有", "并非", "很不", "无", "无法", "无须", "未", "未必", "未曾", "未能", "毋须", "毫不", "毫无",
    "永不", "没", "没有", "绝不", "绝非", "莫", "请别", "请勿", "还不", "还未", "还没", "远非", "都不", "非",
}
ZH_NEG_OWN = ["没能", "不必", "不够", "未免不", "一点也不", "一点都不", "根本不", "根本没", "根本没有", "完全不", "完全没有",
              "不再", "不算", "谈不上", "算不上", "称不上", "没什么", "没啥", "并不算", "也不", "都没", "都没有",
              "不见得", "无需", "不需要", "用不着", "别再"]

# Contrast and concession words. contrast: starts a new clause that outweighs
# what came before; inner: the same but the word sits inside its clause
# (质量却很差), so no split; concession: 虽然 X (X weighs less, the next clause more);
# flip: 难道 … 吗 (the clause means the opposite); indignant: 怎么能 … (positive
# words there are sarcastic).
ZH_FUNCTION = [
    ("但是", "contrast"), ("但", "contrast"), ("不过", "contrast"), ("可是", "contrast"), ("然而", "contrast"),
    ("只是", "contrast"), ("只不过", "contrast"), ("遗憾的是", "contrast"),
    ("却", "inner"), ("倒是", "inner"),
    ("虽然", "concession"), ("虽", "concession"), ("尽管", "concession"), ("虽说", "concession"),
    ("难道", "flip"),
    ("怎么能", "indignant"), ("怎么可以", "indignant"), ("怎能", "indignant"), ("凭什么", "indignant"),
    ("这也叫", "indignant"), ("也好意思", "indignant"), ("还好意思", "indignant"), ("就这", "indignant"),
]

# The core list: common single-character and colloquial evaluative words that
# jionlp lacks, with our weights (jionlp's scale, ±1.1 … ±1.9). Flags:
#   e  counts only in evaluative use: right after a degree word or negator, or
#      at the end of its clause (物流快, 很卡, 卡了) — 快递/卡片 etc. are blocked below
#   d  right before another sentiment word it is a degree adverb (好贵 = very expensive)
# Weight 0 marks a blocker: a whole word that must win over the single
# characters inside it (好像, 好多, 快递, 银行卡, 不好意思 …) or over a negator (没想到).
ZH_CORE = [
    # positive
    ("好", 1.2, "d"), ("棒", 1.6, ""), ("赞", 1.6, ""), ("点赞", 1.5, ""), ("划算", 1.5, ""), ("超值", 1.7, ""),
    ("快", 1.1, "e"), ("满意", 1.6, ""), ("推荐", 1.4, ""), ("值", 1.1, "e"), ("值得", 1.4, ""), ("好评", 1.7, ""),
    ("五星", 1.5, ""), ("满分", 1.6, ""), ("给力", 1.6, ""), ("好用", 1.5, ""), ("好吃", 1.5, ""), ("好喝", 1.5, ""),
    ("好看", 1.4, ""), ("好闻", 1.3, ""), ("好听", 1.3, ""), ("香", 1.1, "e"), ("甜", 1.1, "e"), ("爽", 1.3, ""),
    ("舒服", 1.4, ""), ("合身", 1.3, ""), ("合适", 1.2, ""), ("正品", 1.4, ""), ("回购", 1.4, ""), ("喜欢", 1.5, ""),
    ("爱", 1.3, ""), ("赞赞", 1.7, ""), ("完美", 1.8, ""), ("靠谱", 1.5, ""), ("不错", 1.5, ""), ("还行", 0.6, ""),
    ("还可以", 0.7, ""), ("还好", 0.5, ""), ("挺好", 1.6, ""), ("蛮好", 1.5, ""), ("很快", 1.5, ""), ("神速", 1.7, ""),
    ("及时", 1.1, ""), ("流畅", 1.4, ""), ("清晰", 1.2, ""), ("干净", 1.4, ""), ("新鲜", 1.4, ""), ("实惠", 1.6, ""),
    ("便宜", 1.1, ""), ("结实", 1.3, ""), ("耐用", 1.3, ""), ("漂亮", 1.6, ""), ("精致", 1.4, ""), ("好好", 0, ""),
    ("热情", 1.4, ""), ("耐心", 1.3, ""), ("周到", 1.4, ""), ("贴心", 1.5, ""), ("放心", 1.3, ""), ("省心", 1.3, ""),
    ("方便", 1.2, ""), ("舒适", 1.4, ""), ("安静", 1.2, ""), ("宽敞", 1.3, ""), ("多汁", 1.2, ""), ("水嫩", 1.2, ""),
    ("柔顺", 1.3, ""), ("顺滑", 1.3, ""), ("保湿", 0.8, ""), ("去屑", 0.8, ""), ("谢谢", 1.0, ""), ("感谢", 1.1, ""),
    ("辛苦了", 0.9, ""), ("物超所值", 1.9, ""), ("性价比高", 1.7, ""), ("性价比很高", 1.8, ""), ("性价比超高", 1.9, ""),
    ("还会再来", 1.6, ""), ("还会再买", 1.6, ""), ("会再来", 1.3, ""), ("会再买", 1.3, ""), ("还会光顾", 1.6, ""),
    ("下次还来", 1.5, ""), ("下次还会", 1.4, ""), ("会回购", 1.5, ""), ("再好不过", 1.9, ""), ("没得说", 1.5, ""),
    ("没话说", 1.5, ""), ("没的说", 1.5, ""), ("没毛病", 1.4, ""), ("没问题", 1.1, ""), ("不失望", 1.2, ""),
    ("哈哈", 1.0, ""), ("开心", 1.4, ""), ("惊喜", 1.5, ""), ("好评如潮", 1.9, ""),
    # negative
    ("差", -1.5, ""), ("贵", -1.1, "e"), ("慢", -1.3, ""), ("脏", -1.5, ""), ("烂", -1.6, ""), ("坏", -1.5, ""),
    ("卡", -1.3, "e"), ("卡顿", -1.5, ""), ("很卡", -1.6, ""), ("死机", -1.6, ""), ("闪退", -1.6, ""), ("蓝屏", -1.6, ""),
    ("发烫", -1.2, ""), ("垃圾", -1.8, ""), ("坑", -1.5, ""), ("坑人", -1.8, ""), ("坑爹", -1.8, ""), ("被坑", -1.7, ""),
    ("失望", -1.7, ""), ("无语", -1.6, ""), ("差评", -1.9, ""), ("一星", -1.5, ""), ("退货", -1.2, ""),
    ("退款", -0.8, ""), ("换货", -0.8, ""), ("难用", -1.5, ""), ("难吃", -1.6, ""), ("难喝", -1.6, ""),
    ("难看", -1.5, ""), ("难闻", -1.5, ""), ("臭", -1.4, ""), ("吵", -1.2, ""), ("破", -1.0, "e"), ("旧", -0.8, "e"),
    ("假", -1.1, "e"), ("假货", -1.8, ""), ("骗", -1.6, ""), ("骗人", -1.8, ""), ("忽悠", -1.6, ""), ("上当", -1.6, ""),
    ("后悔", -1.6, ""), ("郁闷", -1.3, ""), ("生气", -1.5, ""), ("气人", -1.6, ""), ("坑钱", -1.7, ""),
    ("糟糕", -1.6, ""), ("恶心", -1.6, ""), ("差劲", -1.7, ""), ("太差", -1.8, ""), ("一般", -0.6, ""),
    ("一般般", -0.8, ""), ("凑合", -0.5, ""), ("将就", -0.5, ""), ("不值", -1.3, ""), ("掉色", -1.3, ""),
    ("褪色", -1.3, ""), ("起球", -1.3, ""), ("开线", -1.2, ""), ("线头", -0.8, ""), ("色差", -1.0, ""), ("异味", -1.3, ""),
    ("刺鼻", -1.3, ""), ("发霉", -1.6, ""), ("变质", -1.6, ""), ("腐烂", -1.6, ""), ("漏水", -1.3, ""), ("漏", -1.0, "e"),
    ("破损", -1.3, ""), ("磨损", -1.0, ""), ("瑕疵", -1.2, ""), ("毛病", -1.3, ""), ("故障", -1.3, ""), ("噪音", -1.0, ""),
    ("别买", -1.7, ""), ("不要买", -1.7, ""), ("千万别买", -1.9, ""), ("慎买", -1.6, ""), ("劝退", -1.4, ""),
    ("不会再买", -1.6, ""), ("不会再来", -1.6, ""), ("再也不买", -1.8, ""), ("再也不来", -1.8, ""), ("不推荐", -1.4, ""),
    ("不敢恭维", -1.4, ""), ("态度差", -1.7, ""), ("不耐烦", -1.4, ""), ("没人管", -1.4, ""), ("没人理", -1.4, ""),
    ("不理人", -1.4, ""), ("乱扣费", -1.7, ""), ("扣费", -0.6, ""), ("投诉", -1.2, ""), ("拉肚子", -1.4, ""),
    ("太贵", -1.5, ""), ("偏贵", -1.0, ""), ("小贵", -0.7, ""), ("不值得", -1.3, ""), ("心塞", -1.4, ""), ("呵呵", -0.8, ""),
    ("醉了", -1.2, ""), ("服了", -1.0, ""), ("无奈", -1.2, ""), ("吐槽", -1.0, ""), ("黑心", -1.8, ""), ("奸商", -1.8, ""),
    ("抵制", -1.5, ""), ("缺斤少两", -1.7, ""), ("不新鲜", -1.5, ""), ("干巴", -1.0, ""), ("苦", -0.8, "e"),
    ("酸", -0.6, "e"), ("涩", -0.8, "e"), ("硬", -0.6, "e"), ("薄", -0.5, "e"), ("小", -0.4, "e"), ("少", -0.5, "e"),
    ("粗糙", -1.3, ""), ("破旧", -1.3, ""), ("陈旧", -1.1, ""), ("老旧", -1.1, ""), ("潮湿", -1.1, ""),
    # blockers: whole words that stop a single character or a negator from matching
    ("好像", 0, ""), ("好多", 0, ""), ("好几", 0, ""), ("好些", 0, ""), ("好在", 0, ""), ("只好", 0, ""),
    ("好久", 0, ""), ("好不容易", 0, ""), ("好奇", 0, ""), ("好友", 0, ""), ("要好", 0, ""), ("好歹", 0, ""),
    ("好坏", 0, ""), ("正好", 0, ""), ("刚好", 0.3, ""), ("最好", 1.0, ""), ("好了", 0.5, ""), ("好的", 0.6, ""),
    ("弄好", 0, ""), ("做好", 0, ""), ("搞好", 0, ""), ("好不好", 0, ""), ("不好意思", 0, ""), ("好处", 0.8, ""),
    ("快递", 0, ""), ("快递员", 0, ""), ("尽快", 0, ""), ("快点", 0, ""), ("赶快", 0, ""), ("快要", 0, ""),
    ("快到", 0, ""), ("快来", 0, ""), ("快去", 0, ""), ("快些", 0, ""), ("快餐", 0, ""), ("快门", 0, ""),
    ("快件", 0, ""), ("快充", 0.5, ""), ("快捷", 1.2, ""), ("快速", 1.2, ""), ("加快", 0, ""), ("快一点", 0, ""),
    ("卡片", 0, ""), ("卡号", 0, ""), ("卡套", 0, ""), ("卡通", 0, ""), ("卡车", 0, ""), ("卡子", 0, ""),
    ("卡扣", 0, ""), ("卡槽", 0, ""), ("发卡", 0, ""), ("显卡", 0, ""), ("网卡", 0, ""), ("声卡", 0, ""),
    ("银行卡", 0, ""), ("信用卡", 0, ""), ("会员卡", 0, ""), ("购物卡", 0, ""), ("储值卡", 0, ""), ("电话卡", 0, ""),
    ("手机卡", 0, ""), ("流量卡", 0, ""), ("内存卡", 0, ""), ("上网卡", 0, ""), ("充值卡", 0, ""), ("刷卡", 0, ""),
    ("办卡", 0, ""), ("房卡", 0, ""), ("门卡", 0, ""), ("卡拉", 0, ""), ("贺卡", 0, ""), ("卡包", 0, ""),
    ("差不多", 0, ""), ("出差", 0, ""), ("差价", 0, ""), ("差距", 0, ""), ("差别", 0, ""), ("相差", 0, ""),
    ("差点", 0, ""), ("差一点", 0, ""), ("误差", 0, ""), ("时差", 0, ""), ("差异", 0, ""), ("温差", 0, ""),
    ("落差", 0, ""), ("参差", 0, ""), ("差事", 0, ""),
    ("贵宾", 0, ""), ("贵族", 0, ""), ("贵州", 0, ""), ("贵阳", 0, ""), ("贵公司", 0, ""), ("贵店", 0, ""),
    ("贵司", 0, ""), ("贵方", 0, ""), ("贵姓", 0, ""), ("富贵", 0, ""),
    ("慢慢", 0, ""), ("慢走", 0, ""), ("慢性", 0, ""), ("慢用", 0, ""), ("心脏", 0, ""), ("内脏", 0, ""),
    ("棒球", 0, ""), ("棒棒糖", 0, ""), ("冰棒", 0, ""), ("棒子", 0, ""), ("赞助", 0, ""),
    ("垃圾袋", 0, ""), ("垃圾桶", 0, ""), ("垃圾箱", 0, ""), ("垃圾分类", 0, ""),
    ("破解", 0, ""), ("突破", 0, ""), ("破费", 0, ""), ("香港", 0, ""), ("香蕉", 0, ""), ("香味", 0.3, ""),
    ("香水", 0, ""), ("香皂", 0, ""), ("甜品", 0, ""), ("甜点", 0, ""), ("甜度", 0, ""), ("小时", 0, ""),
    ("小姐", 0, ""), ("小孩", 0, ""), ("小朋友", 0, ""), ("小区", 0, ""), ("从小", 0, ""), ("小米", 0, ""),
    ("少女", 0, ""), ("至少", 0, ""), ("多少", 0, ""), ("不少", 0, ""), ("少量", 0, ""), ("硬盘", 0, ""),
    ("硬件", 0, ""), ("软硬", 0, ""), ("硬币", 0, ""), ("酸奶", 0, ""), ("酸甜", 0.6, ""), ("辛苦", 0, ""),
    ("漏洞", 0, ""), ("旧的", 0, ""), ("依旧", 0, ""), ("仍旧", 0, ""), ("照旧", 0, ""), ("以旧换新", 0, ""),
    ("真假", 0, ""), ("假期", 0, ""), ("假日", 0, ""), ("请假", 0, ""), ("放假", 0, ""), ("暑假", 0, ""), ("寒假", 0, ""),
    ("值班", 0, ""), ("充值", 0, ""), ("数值", 0, ""), ("价值", 0, ""), ("超市", 0, ""), ("超过", 0, ""),
    ("超出", 0, ""), ("超人", 0, ""), ("太阳", 0, ""), ("太太", 0, ""), ("太空", 0, ""), ("真正", 0, ""),
    ("真实", 0.6, ""), ("希望", 0, ""), ("问题", -0.9, ""), ("正常", 0.5, ""), ("一般来说", 0, ""),
    ("一般都", 0, ""), ("没想到", 0, ""), ("想不到", 0, ""), ("不得不", 0, ""), ("不得不说", 0, ""), ("不仅", 0, ""),
    ("不但", 0, ""), ("不只", 0, ""), ("不管", 0, ""), ("无论", 0, ""), ("不一定", 0, ""), ("不久", 0, ""),
    ("没多久", 0, ""), ("不到", 0, ""), ("没几天", 0, ""), ("没过多久", 0, ""), ("不知道", 0, ""), ("不同", 0, ""),
    ("不一样", 0, ""), ("无线", 0, ""), ("无人", 0, ""), ("非要", 0, ""), ("并且", 0, ""),
    ("不但是", 0, ""), ("不管是", 0, ""), ("但愿", 0, ""), ("不过如此", -1.2, ""), ("只不过是", 0, ""),
    ("不只是", 0, ""), ("不仅是", 0, ""), ("别人", 0, ""), ("别的", 0, ""), ("别家", 0, ""), ("区别", 0, ""),
    ("特别是", 0, ""), ("无所谓", 0, ""), ("没什么问题", 1.1, ""), ("没有问题", 1.1, ""), ("无论如何", 0, ""),
]

# jionlp words that are mostly neutral in customer feedback (东西 "thing" is
# −1.1 there, 朋友 +1.9, 强烈 −1.1 although 强烈推荐 is praise). Chosen by
# reading the jionlp entries that are most frequent in jieba's general
# dictionary (its word frequencies), not from any labelled review data.
ZH_NEUTRAL = """
发展 主要 进行 经济 知道 起来 成为 通过 生产 决定 可能 需要 管理 一定 法律 中心 要求 参加 必须 系统 增长 自然
东西 能力 基础 得到 举行 资源 提高 完成 准备 增加 获得 达到 实行 实现 原来 突然 不断 先生 利用 学习 科学 当然
重点 很多 最高 实际 其实 了解 地位 传统 批准 专家 大量 人物 接受 坚持 开发 标准 独立 注意 机会 经验 根本 似乎
全面 明显 集中 正式 朋友 保证 实际上 拥有 专门 说明 特色 巨大 命令 训练 治疗 所谓 离开 恢复 经营 怎样 减少 财产
机械 手段 开展 气候 相信 确定 投入 竟然 居然 肯定 音乐 现代化 一级 适应 明确 关键 理解 愿意 维护 成长 同意 掌握
亲自 关注 必要 主持 公开 现实 显然 深入 推进 核心 地下 大声 习惯 刚刚 利润 轻轻 配合 红色 必然 承认 发育 一口
上升 依然 给予 仪式 防止 恐怕 道理 上级 微微 低声 动手 通知 自动 客观 注重 反复 申请 最新 主体 得名 自我 享有
事实上 物理 学会 保险 钢铁 紧急 透露 足够 厉害 激动 取消 刺激 平板 意思 发现 只有 同时 原因 东东 回头
""".split()

# ---------------------------------------------------------------- English

EN_NEGATORS = [
    "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "hardly",
    "barely", "scarcely", "rarely", "seldom", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "arent",
    "wasnt", "werent", "wont", "wouldnt", "shouldnt", "couldnt", "havent", "hasnt", "hadnt", "aint", "lack",
    "lacks", "lacked", "lacking", "neednt", "mustnt",
]
# Tokens ending in n't (don't, isn't …) are negators too; the scorer checks the suffix.

EN_DEGREE = [
    ("very", 1.3), ("really", 1.3), ("so", 1.3), ("too", 1.3), ("extremely", 1.6), ("absolutely", 1.5),
    ("completely", 1.5), ("totally", 1.5), ("utterly", 1.6), ("incredibly", 1.6), ("insanely", 1.6),
    ("super", 1.4), ("highly", 1.4), ("most", 1.3), ("more", 1.2), ("truly", 1.3), ("especially", 1.3),
    ("exceptionally", 1.5), ("remarkably", 1.4), ("terribly", 1.5), ("awfully", 1.5), ("hugely", 1.5),
    ("deeply", 1.4), ("entirely", 1.4), ("thoroughly", 1.4), ("seriously", 1.3), ("damn", 1.3), ("freaking", 1.4),
    ("fucking", 1.4), ("such", 1.2), ("quite", 1.1), ("pretty", 1.1),
    ("definitely", 1.3), ("certainly", 1.2), ("simply", 1.2),
    ("slightly", 0.6), ("somewhat", 0.7), ("a bit", 0.7), ("a little", 0.7), ("a little bit", 0.6),
    ("kind of", 0.7), ("kinda", 0.7), ("sort of", 0.7), ("sorta", 0.7), ("fairly", 0.8), ("rather", 0.8),
    ("marginally", 0.6), ("partly", 0.7), ("mostly", 0.9), ("almost", 0.8), ("relatively", 0.8),
    ("reasonably", 0.8), ("moderately", 0.7), ("mildly", 0.6), ("less", 0.6),
]

EN_FUNCTION = [
    ("but", "contrast"), ("however", "contrast"), ("yet", "contrast_initial"), ("nevertheless", "contrast"),
    ("nonetheless", "contrast"), ("except", "contrast"),
    ("although", "concession"), ("though", "concession"), ("even though", "concession"), ("while", "concession_initial"),
    ("whereas", "concession"), ("despite", "concession"), ("in spite of", "concession"),
    ("how can", "indignant"), ("how could", "indignant"), ("how dare", "indignant"), ("why would", "indignant"),
]

# Multi-word expressions and words whose VADER valence misleads in reviews
# (VADER's scale, −4 … +4). Weight 0 removes a word.
EN_OWN = [
    ("don't waste your money", -2.6), ("dont waste your money", -2.6), ("do not waste your money", -2.6),
    ("don't waste your time", -2.4), ("dont waste your time", -2.4), ("do not waste your time", -2.4),
    ("waste of money", -2.6), ("waste of time", -2.4), ("waste your money", -2.6), ("waste your time", -2.4),
    ("no problem", 1.2), ("no problems", 1.2), ("no complaints", 1.6), ("no issues", 1.2), ("not a problem", 1.0),
    ("couldn't be happier", 3.0), ("could not be happier", 3.0), ("couldn't be better", 2.8),
    ("could not be better", 2.8), ("can't go wrong", 2.2), ("cannot go wrong", 2.2), ("can't beat", 2.0),
    ("stopped working", -2.4), ("quit working", -2.4), ("fell apart", -2.2), ("falls apart", -2.2),
    ("fell off", -1.2), ("broke down", -2.0), ("piece of junk", -3.0), ("piece of crap", -3.0), ("piece of shit", -3.0),
    ("works great", 2.6), ("works well", 2.2), ("worked great", 2.6), ("worked well", 2.2), ("works fine", 1.6),
    ("work", 0.7), ("works", 0.7), ("worked", 0.7), ("working", 0.4), ("junk", -2.2), ("crap", -2.4), ("garbage", -2.4),
    ("returned", -0.8), ("refund", -0.8), ("return it", -1.2), ("sent it back", -1.6), ("never again", -1.8),
    ("not worth", -1.8), ("worth", 1.2), ("worth it", 1.6), ("well worth", 1.8), ("recommended", 1.6), ("recommend", 1.6),
    ("would recommend", 1.8), ("highly recommend", 2.6), ("five stars", 2.2), ("one star", -2.0),
    ("zero stars", -2.4), ("zero stars", -2.4), ("rude", -2.2), ("slow", -1.2), ("cold", -0.6), ("bland", -1.5),
    ("tasteless", -1.8), ("overpriced", -1.8), ("mediocre", -1.4), ("disappointment", -2.2), ("disappointing", -2.2),
    ("sucked", -2.0), ("lacking", -1.2), ("flavorless", -1.8), ("undercooked", -1.6), ("overcooked", -1.4),
    ("inedible", -2.4), ("stale", -1.4), ("soggy", -1.2), ("greasy", -1.0), ("dirty", -1.8), ("delicious", 2.8),
    ("tasty", 2.2), ("yummy", 2.4), ("friendly", 2.0), ("attentive", 1.8), ("recommend it", 1.8), ("wonderful", 2.8),
    ("like", 1.5), ("kind", 0.8), ("well", 0.5), ("please", 0), ("want", 0), ("yes", 0.3),
    ("ok", 0.6), ("okay", 0.5), ("fine", 0.6), ("sure", 0.3), ("cheap", -0.5), ("cheaply", -1.2), ("cheaply made", -2.0),
    ("hard", -0.6), ("easy", 1.5), ("easily", 1.0), ("fast", 1.2), ("quickly", 0.8), ("quick", 1.0),
    ("comfortable", 1.8), ("uncomfortable", -1.8), ("reliable", 1.6), ("unreliable", -1.8), ("sturdy", 1.6),
    ("flimsy", -1.8), ("clear", 0.8), ("loud", 0.3), ("static", -1.2), ("dropped", -0.8), ("drop", -0.4),
    ("unusable", -2.4), ("useless", -2.2), ("defective", -2.2), ("dead", -1.6), ("battery life", 0),
    ("lasted", 0.3), ("last", 0), ("at least", 0), ("the least", 0), ("least", -0.3), ("mess", -1.4),
    ("poorly", -2.0), ("poor quality", -2.4), ("high quality", 1.8), ("great quality", 2.6), ("good quality", 2.0),
    ("good price", 1.8), ("great price", 2.4), ("great value", 2.6), ("good value", 2.0), ("value", 0.8),
    ("will be back", 2.0), ("be back", 1.2), ("go back", 0.3), ("come back", 0.8), ("coming back", 0.8),
    ("won't be back", -2.2), ("wont be back", -2.2), ("never be back", -2.4), ("not be back", -2.2),
    ("wasted", -2.0), ("wasting", -1.6), ("excuse", -0.6), ("unacceptable", -2.4), ("lame", -1.8),
    ("average", -0.4), ("nothing special", -1.4), ("not impressed", -1.8), ("impressed", 2.0), ("impressive", 2.2),
    ("issue", -0.8), ("issues", -0.8), ("hassle", -1.4), ("buzz", -0.6), ("echo", -0.6), ("breaks", -1.4),
    ("kept", 0), ("keep", 0), ("fit", 0.5), ("fits", 0.6), ("perfectly", 2.2), ("perfect", 2.8),
    ("gem", 2.0), ("hidden gem", 2.6), ("must", 0), ("a must", 1.8), ("must have", 1.8),
]

# ---------------------------------------------------------------- emoji and emoticons

# Weights on the jionlp scale (±1 … ±2). Emoji are keyed by their first code
# point (variation selectors and skin tones are ignored by the scorer).
EMOJI = [
    ("😀", 1.5), ("😃", 1.5), ("😄", 1.6), ("😁", 1.6), ("😆", 1.5), ("😅", 0.5), ("🤣", 1.4), ("😂", 1.2),
    ("🙂", 1.0), ("😉", 1.0), ("😊", 1.6), ("😇", 1.4), ("🥰", 1.9), ("😍", 1.9), ("🤩", 1.9), ("😘", 1.6),
    ("😗", 1.0), ("☺", 1.4), ("😚", 1.4), ("😙", 1.2), ("😋", 1.6), ("😛", 0.8), ("😜", 0.9), ("🤪", 0.8),
    ("😝", 0.8), ("🤗", 1.4), ("🤭", 0.6), ("😏", -0.3), ("😌", 1.0), ("😎", 1.2), ("🥳", 1.8), ("🤤", 1.0),
    ("😐", -0.3), ("😑", -0.6), ("😶", -0.3), ("🙄", -1.2), ("😬", -0.8), ("🤥", -1.2), ("😔", -1.3),
    ("😪", -0.8), ("😴", -0.5), ("😷", -0.6), ("🤒", -1.0), ("🤕", -1.2), ("🤢", -1.7), ("🤮", -1.9),
    ("🥵", -0.8), ("🥶", -0.8), ("😵", -1.2), ("🤯", -0.8), ("😕", -1.1), ("😟", -1.3), ("🙁", -1.3),
    ("☹", -1.5), ("😮", -0.2), ("😯", -0.2), ("😲", -0.3), ("😳", -0.6), ("🥺", -0.8), ("😦", -1.1),
    ("😧", -1.2), ("😨", -1.4), ("😰", -1.4), ("😥", -1.2), ("😢", -1.6), ("😭", -1.7), ("😱", -1.5),
    ("😖", -1.5), ("😣", -1.4), ("😞", -1.6), ("😓", -1.2), ("😩", -1.6), ("😫", -1.6), ("🥱", -0.6),
    ("😤", -1.5), ("😡", -1.9), ("😠", -1.8), ("🤬", -1.9), ("👿", -1.6), ("💀", -0.8), ("💩", -1.7),
    ("🤡", -1.2), ("👍", 1.6), ("👎", -1.7), ("👌", 1.3), ("👏", 1.5), ("🙌", 1.5), ("🙏", 0.8), ("💪", 1.3),
    ("✌", 0.8), ("🤝", 0.8), ("❤", 1.7), ("🧡", 1.6), ("💛", 1.6), ("💚", 1.6), ("💙", 1.6), ("💜", 1.6),
    ("🖤", 0.8), ("💖", 1.8), ("💗", 1.7), ("💓", 1.6), ("💕", 1.7), ("💞", 1.6), ("💘", 1.6), ("💝", 1.6),
    ("💔", -1.6), ("💯", 1.6), ("✨", 0.8), ("🌟", 1.2), ("⭐", 1.0), ("🔥", 1.0), ("🎉", 1.5), ("🎊", 1.4),
    ("🏆", 1.4), ("🥇", 1.4), ("🌹", 1.0), ("💐", 1.0), ("✅", 0.8), ("❌", -1.2), ("⚠", -0.8), ("🚫", -1.0),
    ("😒", -1.2), ("😾", -1.4), ("😻", 1.6), ("😸", 1.2), ("😹", 1.0), ("😿", -1.4), ("🙃", -0.2), ("🤔", -0.3),
    ("🤨", -0.6), ("🥲", -0.3), ("💢", -1.5), ("🆗", 0.8), ("🐂", 1.2), ("🐮", 1.0),
]
EMOTICONS = [
    (":)", 1.2), (":-)", 1.2), (":))", 1.4), ("=)", 1.1), (":]", 1.0), (":d", 1.5), (":-d", 1.5), ("=d", 1.4),
    (";)", 1.0), (";-)", 1.0), (":p", 0.7), (":-p", 0.7), ("^_^", 1.3), ("^^", 1.1), ("^o^", 1.3),
    ("<3", 1.6), (":(", -1.3), (":-(", -1.3), (":((", -1.5), ("=(", -1.2), (":[", -1.0), (":'(", -1.6),
    (":-/", -0.7), (":|", -0.4), (">:(", -1.7), ("t_t", -1.4), ("t.t", -1.3), ("qaq", -1.3),
    ("-_-", -0.7), ("-.-", -0.7), ("orz", -0.8), ("</3", -1.5),
]


def read(path):
    with open(path, encoding="utf-8-sig") as f:
        return [line.rstrip("\r\n").replace("\r", "") for line in f]


def write(name, source, notes, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# {name}: {notes}\n# source: {source}\n# generated by tools/text/build_lexicons.py; do not edit by hand\n")
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    print(f"wrote {path} ({len(rows)} entries, {os.path.getsize(path)} bytes)")


def fmt(x):
    return f"{x:g}"


def main():
    need = [f"{SRC}/jionlp/sentiment_words.txt", f"{SRC}/jionlp/negative_words.txt", f"{SRC}/vader/vader_lexicon.txt"]
    missing = [p for p in need if not os.path.exists(p)]
    if missing:
        sys.exit(f"missing {missing}: run tools/text/fetch_data.sh first")
    os.makedirs(OUT, exist_ok=True)

    degree = {w for w, _, _ in ZH_DEGREE}
    function = {w for w, _ in ZH_FUNCTION}
    ZH_CORE.extend((w, 0, "") for w in ZH_NEUTRAL if w not in {c for c, _, _ in ZH_CORE} | degree)
    core = {w for w, _, _ in ZH_CORE}
    for w in degree | function | core:
        assert HAN.match(w) or w in core, w

    # Negators: jionlp's pure negators plus ours, minus what another list owns.
    jneg = [w.strip() for w in read(f"{SRC}/jionlp/negative_words.txt") if w.strip()]
    unknown = ZH_NEG_KEEP - set(jneg)
    assert not unknown, f"not in jionlp's list: {unknown}"
    negators = sorted((set(w for w in jneg if w in ZH_NEG_KEEP) | set(ZH_NEG_OWN)) - degree - function - core)

    # Sentiment words: jionlp entries of Han characters only, minus words our
    # lists define (core entries override jionlp's weight).
    taken = degree | function | core | set(negators)
    sentiment = {}
    for line in read(f"{SRC}/jionlp/sentiment_words.txt"):
        parts = line.split("\t")
        if len(parts) != 2:
            continue
        word, weight = parts[0].strip(), float(parts[1])
        if HAN.match(word) and word not in taken and word not in sentiment:
            sentiment[word] = weight
    # Degree word + sentiment word entries (很好, 非常满意 …): the scorer composes
    # these itself, and as whole words they would hide the degree word's weight.
    known = set(sentiment) | {w for w, v, _ in ZH_CORE if v != 0}
    for word in list(sentiment):
        if any(word.startswith(d) and word[len(d):] in known for d in degree):
            del sentiment[word]
    write("zh_sentiment.tsv", JIONLP,
          "Chinese sentiment words, word<TAB>weight (±1.1 … ±1.9); jionlp's sentiment_words.txt with CR stripped, "
          "entries with non-Han characters, degree word + sentiment word compounds and words defined by the other zh lists removed",
          sorted(((w, fmt(v)) for w, v in sentiment.items()), key=lambda r: r[0]))
    write("zh_negation.txt", JIONLP + "; plus words " + OWN,
          "Chinese negators, one per line; jionlp's negative_words.txt filtered to words that only negate, "
          "plus project additions", [(w,) for w in negators])
    write("zh_degree.tsv", OWN, "Chinese degree words, word<TAB>multiplier<TAB>pre|post (weakeners < 1)",
          [(w, fmt(m), p) for w, m, p in ZH_DEGREE])
    write("zh_function.tsv", OWN,
          "Chinese contrast / concession / rhetorical markers, word<TAB>contrast|inner|concession|flip|indignant",
          ZH_FUNCTION)
    write("zh_core.tsv", OWN,
          "core Chinese words jionlp lacks or misweights, word<TAB>weight<TAB>flags "
          "(e = evaluative use only, d = degree adverb before a sentiment word, - = none; weight 0 = blocker)",
          [(w, fmt(v), f or "-") for w, v, f in ZH_CORE])

    # English: VADER's token and mean valence for tokens the scorer can form.
    vader = {}
    for line in read(f"{SRC}/vader/vader_lexicon.txt"):
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        token = parts[0].strip().lower()
        if EN_TOKEN.match(token) and token not in vader:
            vader[token] = float(parts[1])
    write("en_vader.tsv", VADER,
          "English sentiment words, token<TAB>mean valence (−4 … +4); vader_lexicon.txt reduced to its first two "
          "columns, CR stripped, lower-cased, entries that are not letter words (emoticons, hyphenated) removed",
          sorted(((t, fmt(v)) for t, v in vader.items()), key=lambda r: r[0]))
    write("en_own.tsv", OWN, "English words and phrases that override or add to VADER, phrase<TAB>valence (0 = ignore)",
          [(t, fmt(v)) for t, v in dict(EN_OWN).items()])
    write("en_negation.txt", OWN, "English negators (tokens ending in n't also negate)", [(w,) for w in EN_NEGATORS])
    write("en_degree.tsv", OWN, "English boosters (> 1) and dampeners (< 1), word<TAB>multiplier",
          [(w, fmt(m)) for w, m in EN_DEGREE])
    write("en_function.tsv", OWN,
          "English contrast / concession / rhetorical markers, phrase<TAB>contrast|contrast_initial|concession|"
          "concession_initial|indignant", EN_FUNCTION)
    write("emoji.tsv", OWN, "emoji and emoticons (lower-case, as normalized), symbol<TAB>weight",
          [(e, fmt(v)) for e, v in EMOJI + EMOTICONS])


if __name__ == "__main__":
    main()
