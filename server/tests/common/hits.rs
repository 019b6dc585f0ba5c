//! A minimal HTTP/1.1 client for counter hits over loopback: one keep-alive
//! connection, one request at a time. Shared by the tests and the benchmark.

#![allow(dead_code)]

use std::net::SocketAddr;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

pub const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";

pub struct Client {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        Self { addr, stream: None }
    }

    /// Sends one beacon hit for `path` as `user_agent`; returns the status code.
    pub async fn hit(&mut self, path: &str, user_agent: &str) -> std::io::Result<u16> {
        self.hit_from(path, user_agent, None).await
    }

    /// [`Client::hit`] relayed for `client` (`X-Forwarded-For`), as a
    /// trusted proxy would: many readers from one test process.
    pub async fn hit_from(
        &mut self,
        path: &str,
        user_agent: &str,
        client: Option<std::net::IpAddr>,
    ) -> std::io::Result<u16> {
        let forwarded = client
            .map(|ip| format!("X-Forwarded-For: {ip}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "POST /api/luot-truy-cap HTTP/1.1\r\nHost: {}\r\nUser-Agent: {user_agent}\r\n\
             {forwarded}Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\n\r\n{path}",
            self.addr,
            path.len()
        );
        self.request(request.as_bytes()).await
    }

    /// `GET path` with `headers`; the status, the headers (names in lower
    /// case) and the body as sent (not decompressed).
    pub async fn get(&mut self, path: &str, headers: &[(&str, &str)]) -> std::io::Result<Reply> {
        let request = self.head("GET", path, headers);
        self.send(request.as_bytes()).await
    }

    /// `POST path` with `headers` and `body`; the reply as [`Client::get`]
    /// reads it.
    pub async fn post(
        &mut self,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Reply> {
        let length = body.len().to_string();
        let mut headers = headers.to_vec();
        headers.push(("Content-Length", &length));
        let mut request = self.head("POST", path, &headers).into_bytes();
        request.extend_from_slice(body);
        self.send(&request).await
    }

    /// A request's line and headers, up to the blank line.
    fn head(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> String {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head
    }

    async fn request(&mut self, request: &[u8]) -> std::io::Result<u16> {
        Ok(self.send(request).await?.status)
    }

    async fn send(&mut self, request: &[u8]) -> std::io::Result<Reply> {
        for attempt in 0..2 {
            if self.stream.is_none() {
                self.stream = Some(BufReader::new(TcpStream::connect(self.addr).await?));
            }
            let stream = self.stream.as_mut().expect("connected");
            match read_reply(stream, request).await {
                Ok(reply) => return Ok(reply),
                // A keep-alive connection the server closed: reconnect once.
                Err(_) if attempt == 0 => self.stream = None,
                Err(err) => return Err(err),
            }
        }
        unreachable!()
    }
}

/// A response as [`Client::get`] read it.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn read_reply(stream: &mut BufReader<TcpStream>, request: &[u8]) -> std::io::Result<Reply> {
    stream.get_mut().write_all(request).await?;
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if status == 304 || status == 204 {
        // No body.
    } else if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            line.clear();
            stream.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|_| std::io::Error::other("bad chunk size"))?;
            let mut chunk = vec![0; size + 2];
            stream.read_exact(&mut chunk).await?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        let length = find("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        body = vec![0; length];
        stream.read_exact(&mut body).await?;
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}
