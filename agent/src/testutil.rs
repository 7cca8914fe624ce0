//! Test helpers: a temporary directory removed on drop (no tempfile dependency).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug)]
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(label: &str) -> TempDir {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "homelabcmd-agent-test-{label}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Installs an executable `#!/bin/sh` script. It is copied by `install` so that this process
/// never holds the file open for writing: a test thread forking at that moment would keep the
/// descriptor and make running the script fail with ETXTBSY.
pub(crate) fn write_script(path: &Path, body: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
    let source = path.with_extension("src");
    std::fs::write(&source, format!("#!/bin/sh\n{body}")).expect("write script");
    let ok = std::process::Command::new("install")
        .args(["-m", "755"])
        .arg(&source)
        .arg(path)
        .status()
        .expect("run install")
        .success();
    assert!(ok, "install {}", path.display());
    std::fs::remove_file(&source).expect("remove script source");
}

/// A request the fake hub received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) request_line: String,
    /// Header lines as sent, `Name: value`.
    pub(crate) headers: Vec<String>,
    pub(crate) body: String,
}

/// A loopback HTTP server that answers each request with the next canned `(status, body)`
/// (200 with an empty reply once they run out) and records what it got. `None` as a status
/// means: accept, read, and never answer.
#[derive(Debug, Clone)]
pub(crate) struct FakeHub {
    pub(crate) url: String,
    pub(crate) received: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
}

impl FakeHub {
    pub(crate) fn start(answers: Vec<(Option<u16>, String)>) -> FakeHub {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = std::sync::Arc::clone(&received);
        std::thread::spawn(move || {
            let mut answers = answers.into_iter();
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let mut reader = BufReader::new(conn);
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let mut headers = Vec::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let line = line.trim_end().to_owned();
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    headers.push(line);
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                log.lock().expect("lock").push(Received {
                    request_line: request_line.trim_end().to_owned(),
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                let (status, body) = answers.next().unwrap_or((
                    Some(200),
                    r#"{"accepted":1,"duplicates":0,"services":[],"interval_secs":60}"#.into(),
                ));
                let mut conn = reader.into_inner();
                let Some(status) = status else {
                    std::thread::spawn(move || {
                        std::thread::sleep(std::time::Duration::from_secs(30));
                        drop(conn);
                    });
                    continue;
                };
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        FakeHub { url, received }
    }

    pub(crate) fn requests(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}
