//! A tiny HTTP/1.1 client over a Unix socket, enough to ask the Docker Engine API one `GET`:
//! `Connection: close`, a body framed by Content-Length, chunked transfer encoding, or the end
//! of the stream, all within one deadline.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// Larger answers are refused (a container list is a few KiB per container).
const MAX_RESPONSE: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// `GET {path}` with `Host: docker`; the whole exchange must finish within `timeout`.
pub(crate) fn get(socket: &Path, path: &str, timeout: Duration) -> io::Result<Response> {
    let deadline = Instant::now() + timeout;
    let mut stream = UnixStream::connect(socket)?;
    stream.set_write_timeout(Some(timeout))?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: docker\r\nUser-Agent: homelabcmd-agent\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    let mut chunk = [0_u8; 16 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"));
        }
        stream.set_read_timeout(Some(left))?;
        let n = match stream.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"));
            }
            Err(e) => return Err(e),
        };
        raw.extend_from_slice(&chunk[..n]);
        if raw.len() > MAX_RESPONSE {
            return Err(invalid("response too large"));
        }
        if let Some(response) = parse_response(&raw, n == 0)? {
            return Ok(response);
        }
    }
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("bad HTTP response: {what}"),
    )
}

/// The response in `raw`, None while more bytes are needed (`eof`: no more will come).
pub(crate) fn parse_response(raw: &[u8], eof: bool) -> io::Result<Option<Response>> {
    let Some(head_end) = find(raw, b"\r\n\r\n") else {
        return if eof {
            Err(invalid("no header"))
        } else {
            Ok(None)
        };
    };
    let head = std::str::from_utf8(&raw[..head_end]).map_err(|_| invalid("header not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("status line"))?;
    let mut chunked = false;
    let mut length = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| invalid("content-length"))?,
            );
        }
    }
    let body = &raw[head_end + 4..];
    let body = if chunked {
        decode_chunked(body)?
    } else if let Some(n) = length {
        (body.len() >= n).then(|| body[..n].to_vec())
    } else {
        eof.then(|| body.to_vec())
    };
    match body {
        Some(body) => Ok(Some(Response { status, body })),
        None if eof => Err(invalid("body cut short")),
        None => Ok(None),
    }
}

/// Joins `size-in-hex[;ext]\r\n data \r\n ... 0\r\n\r\n`; None while incomplete.
pub(crate) fn decode_chunked(mut data: &[u8]) -> io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = find(data, b"\r\n") else {
            return Ok(None);
        };
        let line = std::str::from_utf8(&data[..line_end]).map_err(|_| invalid("chunk size"))?;
        let hex = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(hex, 16).map_err(|_| invalid("chunk size"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(Some(out)); // trailers, if any, are of no interest
        }
        if data.len() < size + 2 {
            return Ok(None);
        }
        if &data[size..size + 2] != b"\r\n" {
            return Err(invalid("chunk not followed by CRLF"));
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;
    use std::os::unix::net::UnixListener;

    #[test]
    fn chunked_and_content_length() {
        let chunked = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
            Transfer-Encoding: chunked\r\n\r\n5\r\n[{\"a\"\r\nA;ext=1\r\n:1},{\"b\":2\r\n2\r\n}]\r\n0\r\n\r\n";
        let r = parse_response(chunked, false).unwrap().unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"[{\"a\":1},{\"b\":2}]");
        // Cut anywhere before the end: incomplete, or an error at end of stream.
        for cut in [10, 60, chunked.len() - 6] {
            assert_eq!(
                parse_response(&chunked[..cut], false).unwrap(),
                None,
                "{cut}"
            );
            assert!(parse_response(&chunked[..cut], true).is_err(), "{cut}");
        }
        let fixed = b"HTTP/1.0 404 Not Found\r\ncontent-length: 4\r\n\r\nnopeEXTRA";
        let r = parse_response(fixed, false).unwrap().unwrap();
        assert_eq!((r.status, r.body.as_slice()), (404, &b"nope"[..]));
        let until_eof = b"HTTP/1.1 200 OK\r\n\r\n[]";
        assert_eq!(parse_response(until_eof, false).unwrap(), None);
        assert_eq!(
            parse_response(until_eof, true).unwrap().unwrap().body,
            b"[]"
        );
        assert!(parse_response(b"SSH-2.0-x\r\n\r\n", true).is_err());
        assert!(decode_chunked(b"zz\r\n").is_err());
        assert!(decode_chunked(b"2\r\nabc\r\n").is_err());
    }

    #[test]
    fn talks_to_a_unix_socket() {
        let dir = TempDir::new("unix-http");
        let socket = dir.path().join("docker.sock");
        let listener = UnixListener::bind(&socket).unwrap();
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut req = Vec::new();
            let mut buf = [0_u8; 1024];
            while find(&req, b"\r\n\r\n").is_none() {
                let n = conn.read(&mut buf).unwrap();
                req.extend_from_slice(&buf[..n]);
            }
            // Answer in pieces, chunked, keeping the connection open: the client must stop
            // at the final chunk.
            for part in [
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "2\r\n[]",
                "\r\n0\r\n\r\n",
            ] {
                conn.write_all(part.as_bytes()).unwrap();
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(500));
            String::from_utf8(req).unwrap()
        });
        let r = get(&socket, "/containers/json?all=1", Duration::from_secs(5)).unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"[]"[..]));
        let req = server.join().unwrap();
        assert!(req.starts_with("GET /containers/json?all=1 HTTP/1.1\r\nHost: docker\r\n"));
        assert!(req.contains("Connection: close\r\n"));
    }
}
