//! User-facing strings live in `locales/{en,zh}.json`, compiled into the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "zh" => Some(Locale::Zh),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Locale::Zh => "zh",
            Locale::En => "en",
        }
    }
    pub fn other(self) -> Locale {
        match self {
            Locale::Zh => Locale::En,
            Locale::En => Locale::Zh,
        }
    }
    /// From an Accept-Language header: English if it prefers en, else Chinese.
    pub fn from_accept_language(header: Option<&str>) -> Locale {
        match header.and_then(|h| h.split(',').next()) {
            Some(first) if first.trim().to_ascii_lowercase().starts_with("en") => Locale::En,
            _ => Locale::Zh,
        }
    }
}

type Catalog = HashMap<String, String>;

fn catalogs() -> &'static (Catalog, Catalog) {
    static CATALOGS: OnceLock<(Catalog, Catalog)> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        let parse = |text: &str| serde_json::from_str::<Catalog>(text).unwrap_or_default();
        (parse(include_str!("../locales/zh.json")), parse(include_str!("../locales/en.json")))
    })
}

/// The string for `key` in `locale`, falling back to English, then the key.
pub fn t(locale: Locale, key: &str) -> String {
    let (zh, en) = catalogs();
    let primary = if locale == Locale::Zh { zh } else { en };
    primary.get(key).or_else(|| en.get(key)).cloned().unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let (zh, en) = catalogs();
        assert!(!en.is_empty());
        let mut a: Vec<_> = zh.keys().collect();
        let mut b: Vec<_> = en.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert_eq!(t(Locale::Zh, "login.title"), "登录");
        assert_eq!(t(Locale::En, "login.title"), "Sign in");
    }
}
