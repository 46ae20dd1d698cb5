//! `fake-lago [--port N] [--host 127.0.0.1] [--api-key KEY] [--rate-limit[=LIMIT[,USAGE_LIMIT]]]
//! [--exit-on-stdin-eof]`
//!
//! Prints exactly one line, `fake-lago listening on http://HOST:PORT`, once it accepts
//! connections, so a harness can start it on port 0 and read the URL back.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;

const USAGE: &str = "usage: fake-lago [--port N] [--host 127.0.0.1] [--api-key KEY] \
     [--rate-limit[=LIMIT[,USAGE_LIMIT]]] [--exit-on-stdin-eof]";

/// How long in-flight requests may take to finish after a shutdown request.
const GRACE: Duration = Duration::from_secs(2);

struct Args {
    host: String,
    port: u16,
    api_key: String,
    rate_limit: Option<fake_lago::Limits>,
    exit_on_stdin_eof: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        host: "127.0.0.1".into(),
        port: 0,
        api_key: "lago-demo-key".into(),
        rate_limit: None,
        exit_on_stdin_eof: false,
    };
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                parsed.port = value()?
                    .parse()
                    .map_err(|_| "--port needs 0-65535".to_string())?
            }
            "--host" => parsed.host = value()?,
            "--api-key" => parsed.api_key = value()?,
            "--exit-on-stdin-eof" => parsed.exit_on_stdin_eof = true,
            // Only `--rate-limit=5,10` takes a value: bare, it means Lago Cloud's 50/200.
            "--rate-limit" => {
                parsed.rate_limit = Some(match &inline {
                    Some(limits) => fake_lago::Limits::parse(limits)?,
                    None => fake_lago::Limits::default(),
                })
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(parsed)
}

/// Resolves on SIGINT, SIGTERM, or (when asked) when stdin closes: a harness that dies closes
/// our stdin, so the server never outlives it.
async fn shutdown_requested(watch_stdin: bool) {
    let (eof_tx, eof_rx) = tokio::sync::oneshot::channel::<()>();
    if watch_stdin {
        // A plain thread: tokio's stdin would keep the runtime from shutting down.
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin();
            let mut buf = [0u8; 1024];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = eof_tx.send(());
        });
    }
    let stdin_closed = async {
        match eof_rx.await {
            Ok(()) => (),
            // No watcher: never resolve.
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
        _ = stdin_closed => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(why) if why.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("fake-lago: {why}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!(
                "fake-lago: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let base_url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}"),
        Err(e) => {
            eprintln!("fake-lago: {e}");
            return ExitCode::FAILURE;
        }
    };
    let router = fake_lago::app(fake_lago::Config {
        api_key: args.api_key,
        base_url: base_url.clone(),
        rate_limit: args.rate_limit,
    });
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "fake-lago listening on {base_url}");
    let _ = stdout.flush();

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, router).with_graceful_shutdown(async {
        let _ = stop_rx.await;
    });
    let result = tokio::select! {
        result = server => result,
        () = async {
            shutdown_requested(args.exit_on_stdin_eof).await;
            let _ = stop_tx.send(());
            // Give in-flight requests a moment, then stop regardless (e.g. a `latency` fault).
            tokio::time::sleep(GRACE).await;
        } => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fake-lago: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn rate_limit_flag_is_bare_or_inline() {
        assert_eq!(parse(&[]).map(|a| a.rate_limit), Ok(None));
        let bare = parse(&["--rate-limit", "--port", "0"]).map(|a| a.rate_limit);
        assert_eq!(bare, Ok(Some(fake_lago::Limits::default())));
        let small = parse(&["--rate-limit=3,9"]).map(|a| a.rate_limit);
        assert_eq!(
            small,
            Ok(Some(fake_lago::Limits {
                general: 3,
                current_usage: 9
            }))
        );
        assert!(parse(&["--rate-limit=fast"]).is_err());
    }
}
