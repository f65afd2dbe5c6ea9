//! An acknowledged write survives `kill -9`: a real `cxm serve` process
//! answers 200 to a bulk import, is killed with SIGKILL at once, and the rows
//! are there when the database is opened again.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cxm(dir: &std::path::Path, args: &[&str]) -> String {
    let out =
        Command::new(env!("CARGO_BIN_EXE_cxm")).args(args).current_dir(dir).env("CXM_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "cxm {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn http(port: u16, request: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    s.write_all(request.as_bytes())?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    Ok(out)
}

#[test]
fn an_acknowledged_import_survives_kill_9() {
    let dir = std::env::temp_dir().join(format!("cxm-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.join("cxm.db").display());
    cxm(&dir, &["demo", "--db", &db, "--customers", "0"]);
    cxm(&dir, &["user", "create", "--db", &db, "--email", "ops@example.com", "--password", "long enough pw"]);
    let key = cxm(&dir, &["user", "apikey", "--db", &db, "--email", "ops@example.com"]).trim().to_string();

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_cxm"))
        .args(["serve", "--db", &db, "--bind", &format!("127.0.0.1:{port}")])
        .current_dir(&dir)
        .env("CXM_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while http(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let body: String = (0..250)
        .map(|i| format!("{{\"external_id\":\"K{i}\",\"survey\":\"nps_txn\",\"submitted_at\":\"2026-05-01\",\"answers\":{{\"nps\":{}}}}}\n", i % 11))
        .collect();
    let request = format!(
        "POST /api/v1/import/responses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let answer = http(port, &request).unwrap();
    // SIGKILL right after the acknowledgement: no shutdown, no flush.
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"written\":250"), "{answer}");

    let out = dir.join("after.csv");
    cxm(&dir, &["export", "responses", "--db", &db, "--survey", "nps_txn", "-o", out.to_str().unwrap()]);
    let exported = std::fs::read_to_string(&out).unwrap();
    assert_eq!(exported.lines().count(), 251, "header + every acknowledged row");
    assert!(exported.contains("\nK249,nps_txn,"));
    let _ = std::fs::remove_dir_all(&dir);
}
