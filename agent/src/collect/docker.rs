//! Docker containers (name, image, state, status) from the Docker Engine API on its Unix
//! socket. No socket means no Docker (`available: false`); a socket that cannot be asked
//! (permission, daemon down) is Docker with an error.

use std::io;
use std::path::Path;
use std::time::Duration;

use homelabcmd_proto::{Container, Docker};
use serde::Deserialize;

use super::unix_http;

const TIMEOUT: Duration = Duration::from_secs(5);

/// One element of `GET /containers/json`, the fields we keep.
#[derive(Debug, Deserialize)]
struct ApiContainer {
    #[serde(rename = "Id", default)]
    id: String,
    #[serde(rename = "Names", default)]
    names: Vec<String>,
    #[serde(rename = "Image", default)]
    image: String,
    #[serde(rename = "State", default)]
    state: String,
    #[serde(rename = "Status", default)]
    status: String,
}

#[derive(Debug, Deserialize)]
struct ApiError {
    message: String,
}

pub(crate) fn containers(socket: &Path) -> Docker {
    if !socket.exists() {
        return Docker::default();
    }
    let error = |message: String| Docker {
        available: true,
        error: Some(message),
        containers: Vec::new(),
    };
    let response = match unix_http::get(socket, "/containers/json?all=1", TIMEOUT) {
        Ok(r) => r,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Docker::default(),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return error(format!(
                "permission denied on {} (add the agent's user to the docker group)",
                socket.display()
            ));
        }
        Err(e) => return error(format!("cannot ask Docker at {}: {e}", socket.display())),
    };
    if response.status != 200 {
        let detail = serde_json::from_slice::<ApiError>(&response.body)
            .map(|e| e.message)
            .unwrap_or_else(|_| String::from_utf8_lossy(&response.body).trim().to_owned());
        return error(format!("Docker API answered {}: {detail}", response.status));
    }
    match parse_containers(&response.body) {
        Ok(containers) => Docker {
            available: true,
            error: None,
            containers,
        },
        Err(e) => error(format!("cannot read Docker's container list: {e}")),
    }
}

/// Parses the container list, sorted by name.
pub(crate) fn parse_containers(json: &[u8]) -> Result<Vec<Container>, serde_json::Error> {
    let list: Vec<ApiContainer> = serde_json::from_slice(json)?;
    let mut out: Vec<Container> = list
        .into_iter()
        .map(|c| {
            let name = c.names.first().map_or_else(
                || c.id.chars().take(12).collect(),
                |n| n.strip_prefix('/').unwrap_or(n).to_owned(),
            );
            Container {
                name,
                image: c.image,
                state: c.state,
                status: c.status,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;
    use std::io::{Read, Write};
    use std::os::unix::net::UnixListener;

    /// Trimmed from a real `GET /containers/json?all=1` answer.
    const CONTAINERS: &str = r#"[
      {"Id":"8dfafdbc3a40a1b2c3d4e5f6","Names":["/plex"],"Image":"plexinc/pms-docker:latest",
       "ImageID":"sha256:abc","Command":"/init","Created":1732540800,"Ports":[],
       "Labels":{},"State":"running","Status":"Up 12 days","HostConfig":{"NetworkMode":"host"},
       "Mounts":[]},
      {"Id":"9cd87474be90","Names":["/sonarr"],"Image":"lscr.io/linuxserver/sonarr",
       "State":"exited","Status":"Exited (0) 3 hours ago"},
      {"Id":"0123456789abcdef","Names":[],"Image":"busybox","State":"created","Status":"Created"}
    ]"#;

    #[test]
    fn parses_container_list() {
        let got = parse_containers(CONTAINERS.as_bytes()).unwrap();
        let flat: Vec<(&str, &str, &str, &str)> = got
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.image.as_str(),
                    c.state.as_str(),
                    c.status.as_str(),
                )
            })
            .collect();
        assert_eq!(
            flat,
            [
                ("0123456789ab", "busybox", "created", "Created"),
                ("plex", "plexinc/pms-docker:latest", "running", "Up 12 days"),
                (
                    "sonarr",
                    "lscr.io/linuxserver/sonarr",
                    "exited",
                    "Exited (0) 3 hours ago"
                ),
            ]
        );
        assert!(parse_containers(b"{\"message\":\"x\"}").is_err());
    }

    fn serve_once(socket: &Path, response: String) -> std::thread::JoinHandle<()> {
        let listener = UnixListener::bind(socket).unwrap();
        std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut buf = [0_u8; 4096];
            let _ = conn.read(&mut buf).unwrap();
            conn.write_all(response.as_bytes()).unwrap();
        })
    }

    #[test]
    fn fake_docker_daemon() {
        let dir = TempDir::new("docker");
        let socket = dir.path().join("docker.sock");
        assert_eq!(
            containers(&socket),
            Docker::default(),
            "no socket: no Docker"
        );

        let body = CONTAINERS.replace('\n', "");
        let chunked = format!(
            "HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nContent-Type: application/json\r\n\
             Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
            10,
            &body[..10],
            body.len() - 10,
            &body[10..]
        );
        let server = serve_once(&socket, chunked);
        let d = containers(&socket);
        server.join().unwrap();
        assert!(d.available && d.error.is_none(), "{d:?}");
        assert_eq!(d.containers.len(), 3);

        std::fs::remove_file(&socket).unwrap();
        let err = "{\"message\":\"client version 1.99 is too new\"}";
        let server = serve_once(
            &socket,
            format!(
                "HTTP/1.1 400 Bad Request\r\nContent-Length: {}\r\n\r\n{err}",
                err.len()
            ),
        );
        let d = containers(&socket);
        server.join().unwrap();
        assert!(d.available);
        assert_eq!(
            d.error.as_deref(),
            Some("Docker API answered 400: client version 1.99 is too new")
        );

        // A socket file nobody listens on: Docker is installed but down.
        std::fs::remove_file(&socket).unwrap();
        drop(UnixListener::bind(&socket).unwrap());
        let d = containers(&socket);
        assert!(d.available && d.error.unwrap().contains("cannot ask Docker"));
    }
}
