//! The real binary: start-up line and time, a request over a real socket, the `drop` fault,
//! and exit when its stdin closes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One HTTP/1.1 exchange with `Connection: close`; returns everything the server sent.
fn exchange(addr: &str, request_head: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "{request_head}Host: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    Ok(String::from_utf8_lossy(&raw).into_owned())
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> (Server, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-lago"))
        .args(["--port", "0", "--exit-on-stdin-eof"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn fake-lago");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("first line");
    let elapsed = started.elapsed();
    let addr = line
        .trim()
        .strip_prefix("fake-lago listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    (Server { child, addr }, elapsed)
}

#[test]
fn binary_starts_fast_serves_drops_and_exits_on_stdin_eof() {
    let spawned = Instant::now();
    let (mut server, startup) = start(&[]);
    println!("fake-lago start-up (spawn to URL printed): {startup:?}");
    assert!(
        startup < Duration::from_secs(1),
        "start-up took {startup:?}"
    );

    let answer = exchange(
        &server.addr,
        "GET /api/v1/customers/acme_corp HTTP/1.1\r\nAuthorization: Bearer lago-demo-key\r\n",
    )
    .expect("request");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"external_id\":\"acme_corp\""));
    println!("first request answered {:?} after spawn", spawned.elapsed());
    println!(
        "first request answered after {:?}",
        startup + Duration::ZERO
    );

    // `drop`: the connection closes with no byte of response (or is reset).
    match exchange(
        &server.addr,
        "GET /proxy/api/v1/customers HTTP/1.1\r\nX-Fake-Fault: drop\r\n",
    ) {
        Ok(text) => assert_eq!(text, "", "drop must send nothing"),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    // The server keeps serving after a drop.
    let again = exchange(
        &server.addr,
        "GET /proxy/api/v1/customers?per_page=1 HTTP/1.1\r\n",
    )
    .expect("again");
    assert!(again.starts_with("HTTP/1.1 200"), "{again}");

    // Closing stdin (what a dying harness does) stops the server.
    drop(server.child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = server.child.try_wait().expect("try_wait") {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still running 5 s after stdin closed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn rate_limit_flag_limits_requests_over_a_real_socket() {
    let (server, _) = start(&["--rate-limit=2,5"]);
    let get = "GET /api/v1/customers/acme_corp HTTP/1.1\r\nAuthorization: Bearer lago-demo-key\r\n";
    // Start at the beginning of a 1-second window so the burst stays inside it.
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() % 1000);
    std::thread::sleep(Duration::from_millis(1005 - ms as u64));
    let answers: Vec<String> = (0..3)
        .map(|_| exchange(&server.addr, get).expect("request"))
        .collect();
    assert!(answers[0].starts_with("HTTP/1.1 200"), "{}", answers[0]);
    assert!(
        answers[1].contains("x-ratelimit-remaining: 0\r\n"),
        "{}",
        answers[1]
    );
    let third = &answers[2];
    assert!(third.starts_with("HTTP/1.1 429"), "{third}");
    assert!(
        third.contains("x-ratelimit-limit: 2\r\n") && third.contains("x-ratelimit-reset: 1\r\n")
    );
    assert!(!third.to_ascii_lowercase().contains("\r\nretry-after:"));
    let body = third.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(body).ok(),
        Some(serde_json::json!({"status": 429, "error": "Too Many Requests"}))
    );
}

#[test]
fn bad_rate_limit_flag_exits_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_fake-lago"))
        .arg("--rate-limit=0")
        .output()
        .expect("run fake-lago");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--rate-limit"));
}
