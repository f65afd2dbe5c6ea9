//! Name, place and contact vocabularies.

/// Common Chinese surnames with pinyin and relative frequency (percent, approx.).
pub const ZH_SURNAMES: &[(&str, &str, f64)] = &[
    ("王", "wang", 7.1), ("李", "li", 7.0), ("张", "zhang", 6.5), ("刘", "liu", 5.4), ("陈", "chen", 4.5),
    ("杨", "yang", 3.1), ("黄", "huang", 2.2), ("赵", "zhao", 2.0), ("吴", "wu", 1.9), ("周", "zhou", 1.9),
    ("徐", "xu", 1.5), ("孙", "sun", 1.4), ("马", "ma", 1.3), ("朱", "zhu", 1.2), ("胡", "hu", 1.1),
    ("郭", "guo", 1.1), ("何", "he", 1.0), ("高", "gao", 1.0), ("林", "lin", 1.0), ("罗", "luo", 0.9),
    ("郑", "zheng", 0.9), ("梁", "liang", 0.8), ("谢", "xie", 0.7), ("宋", "song", 0.7), ("唐", "tang", 0.7),
    ("许", "xu", 0.6), ("韩", "han", 0.6), ("冯", "feng", 0.6), ("邓", "deng", 0.6), ("曹", "cao", 0.6),
    ("彭", "peng", 0.5), ("曾", "zeng", 0.5), ("肖", "xiao", 0.5), ("田", "tian", 0.5), ("董", "dong", 0.5),
    ("袁", "yuan", 0.4), ("潘", "pan", 0.4), ("于", "yu", 0.4), ("蒋", "jiang", 0.4), ("蔡", "cai", 0.4),
    ("余", "yu", 0.4), ("杜", "du", 0.4), ("叶", "ye", 0.4), ("程", "cheng", 0.4), ("苏", "su", 0.3),
    ("魏", "wei", 0.3), ("吕", "lv", 0.3), ("丁", "ding", 0.3), ("任", "ren", 0.3), ("沈", "shen", 0.3),
    ("姚", "yao", 0.3), ("卢", "lu", 0.3), ("姜", "jiang", 0.3), ("崔", "cui", 0.3), ("钟", "zhong", 0.3),
    ("谭", "tan", 0.3), ("陆", "lu", 0.3), ("汪", "wang", 0.2), ("范", "fan", 0.2), ("金", "jin", 0.2),
    ("欧阳", "ouyang", 0.1), ("司马", "sima", 0.03), ("上官", "shangguan", 0.03),
];

/// Characters used in given names, with pinyin.
pub const ZH_GIVEN: &[(&str, &str)] = &[
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
    ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
    ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
    ("华", "hua"), ("慧", "hui"), ("鑫", "xin"), ("宇", "yu"), ("浩", "hao"), ("婷", "ting"), ("欣", "xin"),
    ("怡", "yi"), ("佳", "jia"), ("晨", "chen"), ("子", "zi"), ("轩", "xuan"), ("梓", "zi"), ("涵", "han"),
    ("雨", "yu"), ("萱", "xuan"), ("博", "bo"), ("文", "wen"), ("嘉", "jia"), ("思", "si"), ("琪", "qi"),
    ("俊", "jun"), ("凯", "kai"), ("鹏", "peng"), ("辉", "hui"), ("建", "jian"), ("国", "guo"), ("海", "hai"),
    ("玲", "ling"), ("颖", "ying"), ("晓", "xiao"), ("雪", "xue"), ("梅", "mei"), ("兰", "lan"), ("斌", "bin"),
    ("志", "zhi"), ("新", "xin"), ("一", "yi"), ("诺", "nuo"), ("昊", "hao"), ("然", "ran"), ("泽", "ze"),
    ("天", "tian"), ("宁", "ning"), ("瑶", "yao"), ("菲", "fei"), ("晶", "jing"), ("雯", "wen"), ("彤", "tong"),
];

pub const EN_FIRST: &[&str] = &[
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Daniel", "Karen",
    "Matthew", "Emily", "Anthony", "Lisa", "Mark", "Nancy", "Andrew", "Sophie", "Kevin", "Emma",
    "Brian", "Olivia", "George", "Grace", "Edward", "Chloe", "Ryan", "Hannah", "Jason", "Amelia",
    "Oliver", "Charlotte", "Lucas", "Isabella", "Ethan", "Mia", "Samuel", "Ava", "Benjamin", "Ella",
    "Jack", "Lily", "Henry", "Zoe", "Nathan", "Laura", "Peter", "Rachel", "Alex", "Priya",
];

pub const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Taylor", "Anderson",
    "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson",
    "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
    "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey",
    "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray",
    "Chan", "Wong", "Lee", "Tan", "Ng", "Lim",
];

/// Cities: (name, 中文, region key, city tier, weight for zh customers, weight for en customers).
pub const CITIES: &[(&str, &str, &str, u8, f64, f64)] = &[
    ("Shanghai", "上海", "east_china", 1, 10.0, 18.0),
    ("Beijing", "北京", "north_china", 1, 9.0, 14.0),
    ("Guangzhou", "广州", "south_china", 1, 7.0, 6.0),
    ("Shenzhen", "深圳", "south_china", 1, 7.0, 10.0),
    ("Hangzhou", "杭州", "east_china", 2, 5.0, 3.0),
    ("Nanjing", "南京", "east_china", 2, 4.0, 2.0),
    ("Suzhou", "苏州", "east_china", 2, 4.0, 3.0),
    ("Chengdu", "成都", "southwest", 2, 5.0, 2.0),
    ("Chongqing", "重庆", "southwest", 2, 4.0, 1.0),
    ("Wuhan", "武汉", "central_china", 2, 4.0, 1.0),
    ("Xi'an", "西安", "northwest", 2, 3.0, 1.0),
    ("Tianjin", "天津", "north_china", 2, 3.0, 1.0),
    ("Changsha", "长沙", "central_china", 2, 3.0, 0.5),
    ("Qingdao", "青岛", "east_china", 2, 2.5, 1.0),
    ("Xiamen", "厦门", "east_china", 2, 2.0, 1.0),
    ("Shenyang", "沈阳", "northeast", 2, 2.0, 0.5),
    ("Kunming", "昆明", "southwest", 3, 2.0, 0.5),
    ("Hefei", "合肥", "east_china", 3, 2.0, 0.3),
    ("Nanning", "南宁", "south_china", 3, 1.5, 0.3),
    ("Lanzhou", "兰州", "northwest", 3, 1.2, 0.2),
    ("Harbin", "哈尔滨", "northeast", 3, 1.5, 0.3),
    ("Luoyang", "洛阳", "central_china", 3, 1.2, 0.2),
    ("Wenzhou", "温州", "east_china", 3, 1.5, 0.3),
    ("Hong Kong", "香港", "hong_kong", 1, 1.5, 12.0),
    ("Singapore", "新加坡", "overseas", 1, 0.5, 8.0),
];

/// Tier-1 city indices (for TA customers).
pub fn tier1_cities() -> impl Iterator<Item = usize> {
    CITIES.iter().enumerate().filter(|(_, c)| c.3 == 1).map(|(i, _)| i)
}

pub const ZH_EMAIL_DOMAINS: &[&str] = &["example.cn", "mail.example.cn", "example.com"];
pub const EN_EMAIL_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];
pub const CN_MOBILE_PREFIX: &[&str] = &[
    "130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157",
    "158", "159", "166", "176", "177", "180", "181", "185", "186", "187", "188", "189", "199",
];
