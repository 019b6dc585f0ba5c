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
        let request = format!(
            "POST /api/luot-truy-cap HTTP/1.1\r\nHost: {}\r\nUser-Agent: {user_agent}\r\n\
             Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {}\r\n\r\n{path}",
            self.addr,
            path.len()
        );
        self.request(request.as_bytes()).await
    }

    async fn request(&mut self, request: &[u8]) -> std::io::Result<u16> {
        for attempt in 0..2 {
            if self.stream.is_none() {
                self.stream = Some(BufReader::new(TcpStream::connect(self.addr).await?));
            }
            let stream = self.stream.as_mut().expect("connected");
            match exchange(stream, request).await {
                Ok(status) => return Ok(status),
                // A keep-alive connection the server closed: reconnect once.
                Err(_) if attempt == 0 => self.stream = None,
                Err(err) => return Err(err),
            }
        }
        unreachable!()
    }
}

async fn exchange(stream: &mut BufReader<TcpStream>, request: &[u8]) -> std::io::Result<u16> {
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
    let mut length = 0usize;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await?;
    Ok(status)
}
