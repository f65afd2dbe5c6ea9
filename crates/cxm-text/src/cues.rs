//! Aspect-level cues that a sentiment lexicon does not hold: statements of
//! fact that a customer makes as a complaint or as praise ("charged me
//! twice", "等了两个小时", "still not fixed", "半小时就修好了"), lukewarm
//! verdicts (一般, 还行, ok, fine) and tolerance ("还能接受", "no big deal").
//!
//! They read one clause of normalized text (ASCII lower case, simplified
//! characters) and only feed the polarity of aspect mentions: the text and
//! sentence scores stay with the lexicon and the model.

/// Complaint facts (Chinese): wrong or extra charges, failures, things not
/// done yet, being ignored or passed around.
const ZH_PROBLEM: &[&str] = &[
    "多收",
    "多扣",
    "多付",
    "多扫",
    "多算",
    "乱收",
    "乱扣",
    "重复扣",
    "扣了两次",
    "收了两次",
    "自动续费",
    "自动续保",
    "自动扣",
    "没经过",
    "未经",
    "擅自",
    "报错",
    "闪退",
    "打不开",
    "登不上",
    "登录不了",
    "进不去",
    "不制冷",
    "不出水",
    "不工作",
    "凉了",
    "绕路",
    "绕了",
    "还没",
    "仍未",
    "仍然没",
    "至今",
    "到现在还",
    "到现在都",
    "迟迟",
    "没人接",
    "没人管",
    "没人理",
    "没人回",
    "不理人",
    "踢皮球",
    "推来推去",
    "坑",
    "排长队",
    "白跑",
    "翻倍",
    "一倍",
    "丢了",
    "漏发",
    "少发",
    "发错",
    "送错",
    "晚点",
    "延误",
    "迟到",
    "超时",
    "又收",
    "又扣",
    "只开了",
    "偏高",
    "水渍",
    "破了",
    "压扁",
    "漏了",
    "洒了",
    "虚假",
    "太高",
    "涨价",
    "涨了",
    "贵了",
];

/// Complaint facts (English), matched at word boundaries.
const EN_PROBLEM: &[&str] = &[
    "twice",
    "double",
    "doubled",
    "still hasn't",
    "still has not",
    "still not",
    "still no",
    "still waiting",
    "still haven't",
    "never arrived",
    "never received",
    "never showed",
    "never came",
    "never got",
    "hasn't been",
    "haven't received",
    "without telling",
    "without asking",
    "without consent",
    "without my",
    "without warning",
    "without notice",
    "kept crashing",
    "keeps crashing",
    "crashed",
    "crashing",
    "crashes",
    "went up",
    "gone up",
    "goes up",
    "higher than",
    "late",
    "dented",
    "crushed",
    "soaked",
    "leaking",
    "leaked",
    "detour",
    "only give",
    "only gave",
    "pending",
    "hair in",
    "lost my",
    "lost our",
    "cancelled on",
    "couldn't",
    "could not",
    "can't even",
    "won't",
    "wouldn't",
    "no one",
    "nobody",
    "bounced",
    "ran a red",
    "on his phone",
    "on her phone",
    "tastes like",
    "robbery",
    "rip-off",
    "ripoff",
    "overcharged",
    "charged me",
    "a joke",
    "nightmare",
    "over the top",
    "hold on my",
    "just for the",
    "no idea",
    "had to queue",
    "had to wait",
    "waited",
    "too high",
    "more expensive",
];

/// Praise facts (Chinese): fixed, refunded, replaced, early, transparent.
const ZH_RESOLVED: &[&str] = &[
    "修好了",
    "解决了",
    "处理好了",
    "退回来了",
    "退了差价",
    "给换了",
    "给退了",
    "免掉",
    "马上就",
    "就帮",
    "就给",
    "提前到",
    "准时",
    "按时",
    "透明",
    "合理",
    "热乎",
    "道歉",
    "麻利",
    "利索",
    "送回来",
    "二话不说",
    "帮忙",
    "没得说",
    "退了",
    "退回",
    "赔了",
    "换了新",
    "换新",
    "弄好",
    "修好",
    "恢复",
    "秒到",
];

/// Praise facts (English).
const EN_RESOLVED: &[&str] = &[
    "fixed",
    "sorted",
    "resolved",
    "took it off",
    "took them off",
    "refunded",
    "full refund",
    "money back",
    "got it back",
    "on time",
    "same day",
    "next day",
    "next morning",
    "one call",
    "first call",
    "rebooked",
    "reasonable",
    "apologized",
    "apologised",
    "cleaned up after",
    "explained",
    "knew his stuff",
    "knew her stuff",
    "knew what",
    "piping hot",
    "spotless",
    "legroom",
    "replaced",
    "swapped",
    "compensation",
    "back on",
    "ahead of schedule",
    "no questions asked",
    "painless",
    "within the hour",
    "in minutes",
    "saves",
    "saved",
    "lower than",
    "upheld",
];

/// Lukewarm verdicts: neither praise nor complaint (README: 一般, 还行, ok, fine, average → neutral).
const ZH_LUKEWARM: &[&str] = &[
    "一般",
    "还行",
    "还可以",
    "中规中矩",
    "凑合",
    "马马虎虎",
    "差不多",
    "正常",
    "还能接受",
    "可以接受",
    "能接受",
    "不算久",
    "不算慢",
    "不算长",
];
const EN_LUKEWARM: &[&str] = &[
    "ok",
    "okay",
    "fine",
    "nothing special",
    "average",
    "so-so",
    "acceptable",
    "no big deal",
    "not a big deal",
    "not rude",
    "same as",
    "not too long",
    "fair enough",
];

/// Lukewarm words that are not verdicts in these contexts (一般来说 = "generally").
const ZH_LUKEWARM_EXCEPT: &[&str] = &["一般来说", "一般都", "不一般", "正常营业"];

/// Time units after a quantity (等了两个小时, 半小时就).
const ZH_TIME_UNITS: &[&str] = &["小时", "分钟", "钟头", "天", "周", "星期", "个月"];
const ZH_NUMERALS: &str = "0123456789一二三四五六七八九十两半几多百快个来";
/// Waiting verbs: a stated wait with a duration is a complaint (等了快两个小时).
const ZH_WAIT_VERBS: &[&str] = &["等", "排", "送了", "拖了", "耗了", "磨了"];

const EN_TIME_UNITS: &[&str] =
    &["minute", "minutes", "min", "mins", "hour", "hours", "hrs", "day", "days", "week", "weeks"];
const EN_WAIT_VERBS: &[&str] = &["wait", "waited", "waiting", "queue", "queued", "queuing", "hold", "took", "pending"];

/// What the cues say about one clause.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cues {
    /// Complaint facts found (each one counts 1).
    pub problem: u32,
    /// Praise facts found (a negated one counts as a problem instead).
    pub resolved: u32,
    /// A lukewarm verdict or a tolerated wait.
    pub lukewarm: bool,
}

impl Cues {
    /// −1, 0 or +1: which kind of fact the clause states; the later kind wins a tie.
    pub fn sign(&self) -> f32 {
        (self.resolved as f32 - self.problem as f32).clamp(-1.0, 1.0)
    }
}

/// What a listed phrase signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Problem,
    Resolved,
    Lukewarm,
    LukewarmExcept,
    Promise,
}

/// Every Chinese phrase list in one automaton, so a clause is scanned once
/// (a `contains` per phrase was a tenth of the whole analysis).
struct ZhPhrases {
    automaton: aho_corasick::AhoCorasick,
    kinds: Vec<Kind>,
}

fn zh_phrases() -> Option<&'static ZhPhrases> {
    static PHRASES: std::sync::OnceLock<Option<ZhPhrases>> = std::sync::OnceLock::new();
    PHRASES
        .get_or_init(|| {
            let lists: [(&[&str], Kind); 5] = [
                (ZH_PROBLEM, Kind::Problem),
                (ZH_RESOLVED, Kind::Resolved),
                (ZH_LUKEWARM, Kind::Lukewarm),
                (ZH_LUKEWARM_EXCEPT, Kind::LukewarmExcept),
                (ZH_PROMISE, Kind::Promise),
            ];
            let (patterns, kinds): (Vec<&str>, Vec<Kind>) =
                lists.iter().flat_map(|(words, kind)| words.iter().map(move |w| (*w, *kind))).unzip();
            aho_corasick::AhoCorasick::new(&patterns).ok().map(|automaton| ZhPhrases { automaton, kinds })
        })
        .as_ref()
}

/// English phrases (as words, with what they signal) by their first word.
type EnPhrases = std::collections::HashMap<&'static str, Vec<(Vec<&'static str>, Kind)>>;

/// English phrases by their first word, so the words are walked once.
fn en_phrases() -> &'static EnPhrases {
    static PHRASES: std::sync::OnceLock<EnPhrases> = std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut map = EnPhrases::new();
        for (list, kind) in [(EN_PROBLEM, Kind::Problem), (EN_RESOLVED, Kind::Resolved), (EN_LUKEWARM, Kind::Lukewarm)]
        {
            for phrase in list {
                let parts: Vec<&'static str> = phrase.split(' ').collect();
                if let Some(first) = parts.first() {
                    map.entry(*first).or_default().push((parts, kind));
                }
            }
        }
        map
    })
}

/// The cues of one clause of normalized text.
pub fn read(clause: &str) -> Cues {
    let mut c = Cues::default();
    let has_han = !clause.is_ascii();
    let words = en_words(clause);
    let mut promise = zh_says(clause) || words.iter().any(|w| EN_PROMISE.contains(w));
    if has_han && let Some(zh) = zh_phrases() {
        let (mut lukewarm, mut except) = (false, false);
        // Overlapping: each phrase counts on its own, as separate searches would.
        for m in zh.automaton.find_overlapping_iter(clause) {
            match zh.kinds.get(m.pattern().as_usize()) {
                Some(Kind::Problem) => c.problem += 1,
                Some(Kind::Resolved) if zh_negated(&clause[..m.start()]) => c.problem += 1,
                Some(Kind::Resolved) => c.resolved += 1,
                Some(Kind::Lukewarm) => lukewarm = true,
                Some(Kind::LukewarmExcept) => except = true,
                Some(Kind::Promise) => promise = true,
                None => {}
            }
        }
        c.lukewarm |= lukewarm && !except;
        let (p, r) = zh_durations(clause);
        c.problem += p;
        c.resolved += r;
    }
    if !words.is_empty() {
        let phrases = en_phrases();
        for (at, w) in words.iter().enumerate() {
            for (parts, kind) in phrases.get(w).into_iter().flatten() {
                if words.get(at..at + parts.len()) != Some(&parts[..]) {
                    continue;
                }
                match kind {
                    Kind::Problem => c.problem += 1,
                    Kind::Resolved if en_negated(&words, at) => c.problem += 1,
                    Kind::Resolved => c.resolved += 1,
                    Kind::Lukewarm => c.lukewarm = true,
                    _ => {}
                }
            }
        }
        let (p, r) = en_durations(&words);
        c.problem += p;
        c.resolved += r;
    }
    if promise {
        c.resolved = 0;
    }
    c
}

/// A negator or "only" right before a praise fact (没修好, 还没解决, 只退了一半).
fn zh_negated(before: &str) -> bool {
    before.chars().next_back().is_some_and(|c| matches!(c, '没' | '未' | '不' | '只'))
}

/// 说 reporting what someone said (客服说…), not 二话不说, 说了 (I told them) or 说实话.
fn zh_says(clause: &str) -> bool {
    let chars: Vec<char> = clause.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        c == '说' && !(i > 0 && chars[i - 1] == '不') && !chars.get(i + 1).is_some_and(|&n| n == '了' || n == '实')
    })
}

fn en_negated(words: &[&str], at: usize) -> bool {
    words[at.saturating_sub(2)..at].iter().any(|w| matches!(*w, "not" | "never" | "no" | "only") || w.ends_with("n't"))
}

/// Reported promises are not outcomes: "客服说48小时内联系", "they said it would
/// be fixed in a day".
const ZH_PROMISE: &[&str] = &["承诺", "答应", "保证", "预计", "显示"];
const EN_PROMISE: &[&str] = &["said", "told", "promised", "will", "would", "supposed", "estimated", "expected"];

/// Durations: a wait verb shortly before "quantity + unit" is a complaint
/// (等了快两个小时), unless 就 follows it (半小时就修好了: fast, praise).
fn zh_durations(clause: &str) -> (u32, u32) {
    let chars: Vec<char> = clause.chars().collect();
    let (mut problem, mut resolved) = (0, 0);
    let mut i = 0;
    while i < chars.len() {
        let Some(unit) = ZH_TIME_UNITS.iter().find(|u| starts_with(&chars, i, u)) else {
            i += 1;
            continue;
        };
        let quantity = i > 0 && ZH_NUMERALS.contains(chars[i - 1]);
        let end = i + unit.chars().count();
        i = end;
        if !quantity {
            continue;
        }
        // 就 right after the duration (maybe after 左右/内/之内) marks speed.
        let after: String = chars[end..chars.len().min(end + 4)].iter().collect();
        if after.starts_with('就')
            || after.starts_with('内')
            || after.starts_with("之内")
            || after.starts_with("左右就")
        {
            resolved += 1;
            continue;
        }
        let before: String = chars[end.saturating_sub(12)..end].iter().collect();
        if ZH_WAIT_VERBS.iter().any(|v| before.contains(v)) || after.starts_with('才') {
            problem += 1;
        }
    }
    (problem, resolved)
}

/// "within 48 hours", "in 10 minutes", "under 20 minutes" are speed (praise);
/// "waited 40 minutes", "on hold for an hour", "took 2 hours" are complaints.
fn en_durations(words: &[&str]) -> (u32, u32) {
    let (mut problem, mut resolved) = (0, 0);
    for (i, w) in words.iter().enumerate() {
        if !EN_TIME_UNITS.contains(w) || i == 0 {
            continue;
        }
        let q = words[i - 1];
        let quantity = q.chars().all(|c| c.is_ascii_digit())
            || matches!(q, "an" | "a" | "one" | "two" | "three" | "few" | "several" | "couple" | "half" | "many");
        if !quantity {
            continue;
        }
        let lead = &words[i.saturating_sub(3)..i - 1];
        if lead.iter().any(|w| matches!(*w, "within" | "in" | "under")) {
            resolved += 1;
        } else if words[i.saturating_sub(6)..i].iter().any(|w| EN_WAIT_VERBS.contains(w)) {
            problem += 1;
        }
    }
    (problem, resolved)
}

fn starts_with(chars: &[char], i: usize, w: &str) -> bool {
    w.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c))
}

/// ASCII words of the clause (apostrophes and hyphens kept inside a word).
fn en_words(clause: &str) -> Vec<&str> {
    clause
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '-'))
        .filter(|w| !w.is_empty() && w.is_ascii())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaint_facts() {
        assert!(read("直接扣了两次").sign() < 0.0);
        assert!(read("等了快两个小时").sign() < 0.0);
        assert!(read("退款到现在还没到账").sign() < 0.0);
        assert!(read("they charged me twice").sign() < 0.0);
        assert!(read("it's still not fixed").sign() < 0.0, "a negated fix is a problem");
        assert!(read("waited 40 minutes on hold").sign() < 0.0);
    }

    #[test]
    fn praise_facts() {
        assert!(read("半小时就修好了").sign() > 0.0);
        assert!(read("第二天就退回来了").sign() > 0.0);
        assert!(read("they refunded it within 48 hours").sign() > 0.0);
        assert!(read("plain text").sign() == 0.0);
    }

    #[test]
    fn lukewarm() {
        assert!(read("味道一般").lukewarm);
        assert!(read("the food was ok").lukewarm);
        assert!(!read("一般来说很快").lukewarm);
        assert!(!read("bookings").lukewarm, "ok only as a word");
    }
}
