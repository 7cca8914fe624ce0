//! One TCP probe: connect with a timeout (no root, no raw sockets) and, if asked, read the
//! first line the server sends — an SSH server's identification (`SSH-2.0-…`, RFC 4253 §4.2).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// The most of a banner read: RFC 4253 caps the identification line at 255 bytes.
const BANNER_MAX: usize = 255;

/// What one port answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Accepted; the first line it sent within the banner timeout, if any (remote text).
    Open { banner: Option<String> },
    /// Refused (RST): nothing listens there.
    Closed,
    /// No answer within the connect timeout (filtered, or no such host): worth one retry.
    TimedOut,
    /// Any other failure (no route, network unreachable), as the system said it.
    Failed(String),
}

/// Connect to `addr` within `connect`; when it accepts and `banner` is given, wait that long
/// for the first line.
pub(crate) async fn probe(addr: SocketAddr, connect: Duration, banner: Option<Duration>) -> Answer {
    let stream = match tokio::time::timeout(connect, TcpStream::connect(addr)).await {
        Err(_) => return Answer::TimedOut,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => return Answer::Closed,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::TimedOut => return Answer::TimedOut,
        Ok(Err(e)) => return Answer::Failed(e.to_string()),
        Ok(Ok(stream)) => stream,
    };
    let banner = match banner {
        Some(wait) => read_line(stream, wait).await,
        None => None,
    };
    Answer::Open { banner }
}

/// The first line (without CR LF) the server sends within `wait`, at most `BANNER_MAX` bytes.
async fn read_line(mut stream: TcpStream, wait: Duration) -> Option<String> {
    let mut buf = Vec::with_capacity(BANNER_MAX);
    let read = async {
        let mut chunk = [0u8; BANNER_MAX];
        while buf.len() < BANNER_MAX && !buf.contains(&b'\n') {
            let n = stream
                .read(&mut chunk[..BANNER_MAX - buf.len()])
                .await
                .ok()?;
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        Some(())
    };
    let _ = tokio::time::timeout(wait, read).await;
    let line = buf.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    (!line.is_empty()).then(|| String::from_utf8_lossy(line).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_open_port_s_first_line_is_its_banner_and_a_closed_port_is_closed() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            tokio::io::AsyncWriteExt::write_all(&mut s, b"SSH-2.0-Test_1.0\r\nrest")
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_secs(1)).await;
        });
        let second = Duration::from_secs(1);
        let answer = probe(addr, second, Some(second)).await;
        assert_eq!(
            answer,
            Answer::Open {
                banner: Some("SSH-2.0-Test_1.0".into())
            }
        );
        // The listener is gone once its one connection was taken: bind a port and drop it.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        assert_eq!(probe(closed, second, None).await, Answer::Closed);
    }
}
