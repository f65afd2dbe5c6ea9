//! Streaming row sources: CSV, XLSX and JSON lines, all seen as a header plus
//! rows of optional text cells. Nothing here reads a whole file into memory
//! (XLSX cells are streamed from the sheet XML).

use super::RowError;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::Path;

/// Longest accepted cell, in bytes; longer cells are a row error, not a crash.
pub const MAX_FIELD_BYTES: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    JsonLines,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Some(Format::Csv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "jsonl" | "ndjson" | "json" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// One data row: its 1-based line (CSV/JSONL) or sheet row number, and cells
/// aligned with the source's header (missing trailing cells are `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<Option<String>>,
}

/// What a source yields per row: the row, or why it could not be read.
pub type RowResult = Result<RawRow, RowError>;

/// A fatal problem with the file itself (not one row).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{0}")]
    Format(String),
}

pub trait RowSource: Send {
    /// Column names; may grow while reading JSON lines (new keys append).
    fn header(&self) -> &[String];
    fn next_row(&mut self) -> Option<RowResult>;
    /// Bytes consumed so far, for progress.
    fn position(&self) -> u64;
}

pub fn open(path: &Path, format: Format) -> Result<Box<dyn RowSource>, SourceError> {
    let io = |source| SourceError::Io { path: path.display().to_string(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    match format {
        Format::Csv => Ok(Box::new(CsvSource::new(file)?)),
        Format::JsonLines => Ok(Box::new(JsonLinesSource::new(BufReader::with_capacity(1 << 16, file)))),
        Format::Xlsx => Ok(Box::new(XlsxSource::new(BufReader::new(file))?)),
    }
}

fn cell_text(bytes: &[u8], field: &str, line: u64) -> Result<Option<String>, RowError> {
    if bytes.len() > MAX_FIELD_BYTES {
        return Err(RowError::new(
            line,
            field,
            format!("value is {} bytes; at most {MAX_FIELD_BYTES} are accepted", bytes.len()),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        RowError::new(line, field, format!("not valid UTF-8 at byte {} (save the file as UTF-8)", e.valid_up_to()))
    })?;
    let text = text.trim();
    Ok(if text.is_empty() { None } else { Some(text.to_string()) })
}

/// Counts lines itself, so errors name the line a person sees in an editor:
/// the csv crate's record line lags after CRLF endings and blank lines.
pub struct LineTracking<R> {
    inner: R,
    offset: u64,
    /// Offsets of newlines read ahead of the last record asked about.
    newlines: std::collections::VecDeque<u64>,
    passed: u64,
}

impl<R> LineTracking<R> {
    pub fn new(inner: R) -> Self {
        LineTracking { inner, offset: 0, newlines: Default::default(), passed: 0 }
    }

    /// The line (1-based) of the record the csv crate says starts at byte
    /// `offset`. After a CRLF ending or a blank line that offset points at the
    /// preceding `\n`, so a newline at the offset itself is already passed.
    /// Offsets must not decrease between calls.
    pub fn line_at(&mut self, offset: u64) -> u64 {
        while self.newlines.front().is_some_and(|&nl| nl <= offset) {
            self.newlines.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

impl<R: Read> Read for LineTracking<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' {
                self.newlines.push_back(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

pub struct CsvSource<R: Read> {
    reader: csv::Reader<LineTracking<R>>,
    header: Vec<String>,
    record: csv::ByteRecord,
}

impl<R: Read + Send> CsvSource<R> {
    pub fn new(input: R) -> Result<Self, SourceError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .buffer_capacity(1 << 16)
            .from_reader(LineTracking::new(input));
        let raw =
            reader.byte_headers().map_err(|e| SourceError::Format(format!("cannot read the CSV header: {e}")))?.clone();
        let mut header = Vec::with_capacity(raw.len());
        for (i, h) in raw.iter().enumerate() {
            let h = if i == 0 { h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h) } else { h };
            let name = std::str::from_utf8(h).map_err(|_| {
                SourceError::Format(format!("header column {} is not valid UTF-8 (save the file as UTF-8)", i + 1))
            })?;
            header.push(name.trim().to_string());
        }
        if header.iter().all(|h| h.is_empty()) {
            return Err(SourceError::Format("the file is empty or has no header line".into()));
        }
        Ok(CsvSource { reader, header, record: csv::ByteRecord::new() })
    }
}

impl<R: Read + Send> RowSource for CsvSource<R> {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self) -> Option<RowResult> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Err(e) => {
                    let line = e.position().map(|p| self.reader.get_mut().line_at(p.byte())).unwrap_or(0);
                    // Only I/O errors end the file; the reader resynchronizes on others.
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Some(Err(RowError::new(line, "", format!("read error: {e}"))));
                    }
                    return Some(Err(RowError::new(line, "", format!("malformed CSV: {e}"))));
                }
                Ok(true) => {
                    let start = self.record.position().map(|p| p.byte()).unwrap_or(0);
                    let line = self.reader.get_mut().line_at(start);
                    if self.record.len() == 1 && self.record.get(0).is_some_and(|f| f.is_empty()) {
                        continue; // blank line
                    }
                    if self.record.len() > self.header.len() {
                        return Some(Err(RowError::new(
                            line,
                            "",
                            format!("{} fields but the header has {} columns", self.record.len(), self.header.len()),
                        )));
                    }
                    let mut cells = Vec::with_capacity(self.header.len());
                    for (i, bytes) in self.record.iter().enumerate() {
                        match cell_text(bytes, &self.header[i], line) {
                            Ok(c) => cells.push(c),
                            Err(e) => return Some(Err(e)),
                        }
                    }
                    cells.resize(self.header.len(), None);
                    return Some(Ok(RawRow { line, cells }));
                }
            }
        }
    }

    fn position(&self) -> u64 {
        self.reader.position().byte()
    }
}

pub struct JsonLinesSource<R: BufRead> {
    input: R,
    header: Vec<String>,
    index: HashMap<String, usize>,
    line: u64,
    bytes: u64,
    buf: Vec<u8>,
}

impl<R: BufRead + Send> JsonLinesSource<R> {
    pub fn new(input: R) -> Self {
        JsonLinesSource { input, header: Vec::new(), index: HashMap::new(), line: 0, bytes: 0, buf: Vec::new() }
    }

    fn column(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.header.push(name.to_string());
        self.index.insert(name.to_string(), self.header.len() - 1);
        self.header.len() - 1
    }

    fn put(&mut self, cells: &mut Vec<Option<String>>, key: &str, value: &serde_json::Value) -> Result<(), RowError> {
        let text = match value {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => {
                let s = s.trim();
                if s.len() > MAX_FIELD_BYTES {
                    return Err(RowError::new(
                        self.line,
                        key,
                        format!("value is {} bytes; at most {MAX_FIELD_BYTES} are accepted", s.len()),
                    ));
                }
                if s.is_empty() { None } else { Some(s.to_string()) }
            }
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            other => Some(other.to_string()),
        };
        let i = self.column(key);
        if cells.len() <= i {
            cells.resize(i + 1, None);
        }
        cells[i] = text;
        Ok(())
    }

    fn parse(&mut self) -> Result<Option<RawRow>, RowError> {
        let text = std::str::from_utf8(&self.buf)
            .map_err(|e| RowError::new(self.line, "", format!("not valid UTF-8 at byte {}", e.valid_up_to())))?
            .trim();
        if text.is_empty() {
            return Ok(None);
        }
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| RowError::new(self.line, "", format!("invalid JSON: {e}")))?;
        let serde_json::Value::Object(map) = value else {
            return Err(RowError::new(self.line, "", "each line must be a JSON object".to_string()));
        };
        let mut cells = vec![None; self.header.len()];
        for (key, value) in &map {
            // A nested `answers` object is flattened: its keys are question keys.
            if key == "answers"
                && let serde_json::Value::Object(answers) = value
            {
                for (q, v) in answers {
                    self.put(&mut cells, q, v)?;
                }
                continue;
            }
            self.put(&mut cells, key, value)?;
        }
        cells.resize(self.header.len(), None);
        Ok(Some(RawRow { line: self.line, cells }))
    }
}

impl<R: BufRead + Send> RowSource for JsonLinesSource<R> {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self) -> Option<RowResult> {
        loop {
            self.buf.clear();
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(n) => {
                    self.line += 1;
                    self.bytes += n as u64;
                    if self.buf.len() > MAX_FIELD_BYTES * 10 {
                        return Some(Err(RowError::new(
                            self.line,
                            "",
                            format!("line is {} bytes; at most {} are accepted", self.buf.len(), MAX_FIELD_BYTES * 10),
                        )));
                    }
                    match self.parse() {
                        Ok(None) => continue,
                        Ok(Some(row)) => return Some(Ok(row)),
                        Err(e) => return Some(Err(e)),
                    }
                }
                Err(e) => return Some(Err(RowError::new(self.line + 1, "", format!("read error: {e}")))),
            }
        }
    }

    fn position(&self) -> u64 {
        self.bytes
    }
}

/// XLSX: the first worksheet, first row as header. A reader thread owns the
/// workbook (calamine's cell reader borrows it) and streams rows through a
/// bounded channel, so memory stays flat whatever the sheet's size.
pub struct XlsxSource {
    header: Vec<String>,
    rows: std::sync::mpsc::Receiver<XlsxMessage>,
    position: u64,
}

enum XlsxMessage {
    Header(Vec<String>),
    Row(u32, Vec<Option<String>>),
    Failed(String),
}

fn xlsx_cell_text(value: &calamine::DataRef<'_>) -> Option<String> {
    use calamine::DataRef;
    let text = match value {
        DataRef::Empty => return None,
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => excel_serial_to_rfc3339(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#ERROR {e}"),
    };
    if text.is_empty() { None } else { Some(text) }
}

fn stream_xlsx<RS: Read + Seek>(input: RS, out: &std::sync::mpsc::SyncSender<XlsxMessage>) -> Result<(), String> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<RS> = Xlsx::new(input).map_err(|e| format!("not a readable XLSX file: {e}"))?;
    let sheet = book.sheet_names().first().cloned().ok_or("the workbook has no sheets")?;
    let mut reader = book.worksheet_cells_reader(&sheet).map_err(|e| format!("cannot read sheet '{sheet}': {e}"))?;
    let mut current: Option<(u32, Vec<Option<String>>)> = None;
    let mut header_sent = false;
    let flush = |row: (u32, Vec<Option<String>>), header_sent: &mut bool| -> bool {
        let msg = if *header_sent {
            XlsxMessage::Row(row.0, row.1)
        } else {
            *header_sent = true;
            XlsxMessage::Header(row.1.into_iter().map(|c| c.unwrap_or_default()).collect())
        };
        out.send(msg).is_ok()
    };
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(format!("sheet '{sheet}' is malformed: {e}")),
        };
        let (row, col) = cell.get_position();
        if current.as_ref().is_some_and(|(r, _)| *r != row)
            && let Some(done) = current.take()
            && !flush(done, &mut header_sent)
        {
            return Ok(()); // the importer stopped reading
        }
        let cells = &mut current.get_or_insert_with(|| (row, Vec::new())).1;
        let col = col as usize;
        if col >= 16_384 {
            return Err(format!("sheet '{sheet}' has a cell beyond column 16384"));
        }
        if cells.len() <= col {
            cells.resize(col + 1, None);
        }
        cells[col] = xlsx_cell_text(cell.get_value());
    }
    if let Some(done) = current.take() {
        flush(done, &mut header_sent);
    }
    if !header_sent {
        return Err(format!("sheet '{sheet}' is empty"));
    }
    Ok(())
}

impl XlsxSource {
    pub fn new<RS: Read + Seek + Send + 'static>(input: RS) -> Result<Self, SourceError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(4096);
        std::thread::Builder::new()
            .name("xlsx-reader".into())
            .spawn(move || {
                if let Err(message) = stream_xlsx(input, &tx) {
                    let _ = tx.send(XlsxMessage::Failed(message));
                }
            })
            .map_err(|e| SourceError::Format(format!("cannot start the XLSX reader: {e}")))?;
        match rx.recv() {
            Ok(XlsxMessage::Header(header)) => Ok(XlsxSource { header, rows: rx, position: 0 }),
            Ok(XlsxMessage::Failed(message)) => Err(SourceError::Format(message)),
            Ok(XlsxMessage::Row(..)) | Err(_) => {
                Err(SourceError::Format("the XLSX reader stopped unexpectedly".into()))
            }
        }
    }
}

impl RowSource for XlsxSource {
    fn header(&self) -> &[String] {
        &self.header
    }

    fn next_row(&mut self) -> Option<RowResult> {
        let width = self.header.len();
        match self.rows.recv() {
            Err(_) => None,
            Ok(XlsxMessage::Failed(message)) => Some(Err(RowError::new(0, "", message))),
            Ok(XlsxMessage::Header(_)) => None,
            Ok(XlsxMessage::Row(r, mut cells)) => {
                self.position += 1;
                let line = u64::from(r) + 1;
                if cells.len() > width && cells[width..].iter().any(Option::is_some) {
                    return Some(Err(RowError::new(line, "", format!("cells beyond the {width} header columns"))));
                }
                for (i, c) in cells.iter().enumerate().take(width) {
                    if let Some(t) = c
                        && t.len() > MAX_FIELD_BYTES
                    {
                        return Some(Err(RowError::new(
                            line,
                            &self.header[i],
                            format!("value is {} bytes; at most {MAX_FIELD_BYTES} are accepted", t.len()),
                        )));
                    }
                }
                cells.resize(width, None);
                Some(Ok(RawRow { line, cells }))
            }
        }
    }

    fn position(&self) -> u64 {
        self.position
    }
}

/// Excel serial day number (1900 system) to RFC 3339 UTC.
fn excel_serial_to_rfc3339(serial: f64) -> String {
    let ms = ((serial - 25_569.0) * 86_400_000.0).round() as i64;
    super::parse::format_rfc3339(ms)
}
