//! The load's HTTP/1.1 client, as small as a load generator can be: the request is written
//! once as bytes and sent as is; each response is read into one reusable buffer, its head
//! parsed with httparse, its body framed (Content-Length, chunked, or up to the close) and
//! counted against a cap without being kept. Nothing is allocated per request.
//!
//! It speaks only what a GET needs: no request body, no pipelining, no upgrades; interim 1xx
//! answers are skipped; `Connection: close` (or HTTP/1.0 without keep-alive) ends the
//! connection after the answer.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The buffer for one connection; a response head must fit in it.
const BUFFER: usize = 16 * 1024;
/// Headers of one response head.
const MAX_HEADERS: usize = 64;
/// The longest chunk-size line (with extensions) or trailer line accepted.
const MAX_LINE: usize = 4096;

/// `GET target` with these headers, serialised once.
pub fn request(target: &str, host: &str) -> Vec<u8> {
    format!(
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: gonogo/{}\r\nAccept: */*\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

/// What one exchange gave: the status, and whether the connection can carry the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub reusable: bool,
}

/// One kept-alive connection and its read buffer.
pub struct Conn<S> {
    io: S,
    buf: Box<[u8]>,
    /// Unread bytes are `buf[pos..len]`.
    pos: usize,
    len: usize,
}

/// How the body of an answer is delimited.
enum Framing {
    None,
    Length(u64),
    Chunked,
    UntilClose,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Conn<S> {
    pub fn new(io: S) -> Conn<S> {
        Conn {
            io,
            buf: vec![0u8; BUFFER].into_boxed_slice(),
            pos: 0,
            len: 0,
        }
    }

    /// Read more bytes after the unread ones (moved to the front when the end is reached).
    /// `Ok(0)`: the server closed the connection.
    async fn fill(&mut self) -> Result<usize, String> {
        if self.pos == self.len {
            self.pos = 0;
            self.len = 0;
        } else if self.len == self.buf.len() {
            if self.pos == 0 {
                return Err("response head too large".into());
            }
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
        }
        let n = self
            .io
            .read(&mut self.buf[self.len..])
            .await
            .map_err(|e| io_kind(&e))?;
        self.len += n;
        Ok(n)
    }

    /// Send `request` and read the whole answer; a body over `cap` bytes is an error.
    pub async fn exchange(&mut self, request: &[u8], cap: u64) -> Result<Answer, String> {
        // Anything left from an earlier answer is not part of this one.
        self.pos = 0;
        self.len = 0;
        self.io.write_all(request).await.map_err(|e| io_kind(&e))?;
        self.io.flush().await.map_err(|e| io_kind(&e))?;
        loop {
            let (status, framing, reusable) = self.head().await?;
            if (100..200).contains(&status) {
                continue;
            }
            match framing {
                Framing::None => {}
                Framing::Length(n) if n > cap => return Err(over(cap)),
                Framing::Length(n) => self.skip(n).await?,
                Framing::Chunked => self.chunked(cap).await?,
                Framing::UntilClose => {
                    let mut read = (self.len - self.pos) as u64;
                    self.pos = self.len;
                    loop {
                        if read > cap {
                            return Err(over(cap));
                        }
                        match self.fill().await? {
                            0 => break,
                            n => {
                                read += n as u64;
                                self.pos = self.len;
                            }
                        }
                    }
                }
            }
            let reusable = reusable && !matches!(framing, Framing::UntilClose);
            return Ok(Answer { status, reusable });
        }
    }

    /// The next response head: status, body framing, keep-alive.
    async fn head(&mut self) -> Result<(u16, Framing, bool), String> {
        loop {
            if self.len > self.pos {
                let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
                let mut resp = httparse::Response::new(&mut headers);
                match resp.parse(&self.buf[self.pos..self.len]) {
                    Ok(httparse::Status::Complete(n)) => {
                        let status = resp.code.unwrap_or(0);
                        let http10 = resp.version == Some(0);
                        let mut length = None;
                        let mut chunked = false;
                        let mut close = http10;
                        for h in resp.headers.iter() {
                            if h.name.eq_ignore_ascii_case("content-length") {
                                length = std::str::from_utf8(h.value)
                                    .ok()
                                    .and_then(|v| v.trim().parse::<u64>().ok());
                                if length.is_none() {
                                    return Err("invalid Content-Length".into());
                                }
                            } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
                                chunked =
                                    tokens(h.value).any(|t| t.eq_ignore_ascii_case(b"chunked"));
                            } else if h.name.eq_ignore_ascii_case("connection") {
                                for t in tokens(h.value) {
                                    if t.eq_ignore_ascii_case(b"close") {
                                        close = true;
                                    } else if t.eq_ignore_ascii_case(b"keep-alive") {
                                        close = false;
                                    }
                                }
                            }
                        }
                        self.pos += n;
                        let framing = if status == 204 || status == 304 || status < 200 {
                            Framing::None
                        } else if chunked {
                            Framing::Chunked
                        } else if let Some(n) = length {
                            Framing::Length(n)
                        } else {
                            Framing::UntilClose
                        };
                        return Ok((status, framing, !close));
                    }
                    Ok(httparse::Status::Partial) => {}
                    Err(httparse::Error::TooManyHeaders) => {
                        return Err("too many response headers".into());
                    }
                    Err(_) => return Err("not HTTP".into()),
                }
            }
            if self.fill().await? == 0 {
                return Err(if self.len > self.pos {
                    "response cut off".into()
                } else {
                    "connection closed".into()
                });
            }
        }
    }

    /// Read and drop `n` body bytes.
    async fn skip(&mut self, mut n: u64) -> Result<(), String> {
        loop {
            let have = ((self.len - self.pos) as u64).min(n);
            self.pos += have as usize;
            n -= have;
            if n == 0 {
                return Ok(());
            }
            if self.fill().await? == 0 {
                return Err("body cut off".into());
            }
        }
    }

    /// One line (without its CRLF) as a range of the buffer, reading more as needed.
    async fn line(&mut self) -> Result<std::ops::Range<usize>, String> {
        let mut from = self.pos;
        loop {
            if let Some(i) = self.buf[from..self.len].iter().position(|b| *b == b'\n') {
                let end = from + i;
                let start = self.pos;
                self.pos = end + 1;
                let end = if end > start && self.buf[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                return Ok(start..end);
            }
            if self.len - self.pos > MAX_LINE {
                return Err("chunked body malformed (a line too long)".into());
            }
            let scanned = self.len - self.pos;
            if self.fill().await? == 0 {
                return Err("body cut off".into());
            }
            from = self.pos + scanned;
        }
    }

    /// Read and drop a chunked body, its trailers included.
    async fn chunked(&mut self, cap: u64) -> Result<(), String> {
        let mut read = 0u64;
        loop {
            let line = self.line().await?;
            let size = &self.buf[line];
            let hex = size
                .split(|b| *b == b';')
                .next()
                .unwrap_or_default()
                .trim_ascii();
            let n = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .ok_or_else(|| "chunked body malformed (a bad chunk size)".to_string())?;
            if n == 0 {
                // Trailers, up to an empty line.
                loop {
                    let l = self.line().await?;
                    if l.is_empty() {
                        return Ok(());
                    }
                }
            }
            read += n;
            if read > cap {
                return Err(over(cap));
            }
            self.skip(n).await?;
            let end = self.line().await?;
            if !end.is_empty() {
                return Err("chunked body malformed (no CRLF after a chunk)".into());
            }
        }
    }
}

fn over(cap: u64) -> String {
    let mib = cap >> 20;
    if mib > 0 && mib << 20 == cap {
        format!("body over {mib} MiB")
    } else {
        format!("body over {cap} bytes")
    }
}

/// Comma-separated tokens of a header value.
fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|b| *b == b',').map(<[u8]>::trim_ascii)
}

/// An I/O error as the kind the load's breakdown shows.
fn io_kind(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionReset | BrokenPipe | UnexpectedEof | ConnectionAborted => {
            "connection closed".into()
        }
        _ => {
            let low = e.to_string().to_lowercase();
            if low.contains("certificate") {
                "TLS certificate rejected".into()
            } else if low.contains("invalidcontenttype") || low.contains("corrupt") {
                "the port does not speak TLS".into()
            } else {
                "connection error".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer to one request from a server that writes `raw` (in pieces of `piece` bytes).
    async fn answer(raw: &[u8], piece: usize, cap: u64) -> Result<Answer, String> {
        let (client, mut server) = tokio::io::duplex(64);
        let raw = raw.to_vec();
        let serve = tokio::spawn(async move {
            let mut req = vec![0u8; 256];
            let mut got = 0;
            while !req[..got].ends_with(b"\r\n\r\n") {
                got += server.read(&mut req[got..]).await.unwrap();
            }
            for p in raw.chunks(piece) {
                if server.write_all(p).await.is_err() {
                    return;
                }
            }
        });
        let mut c = Conn::new(client);
        let a = c.exchange(&request("/x", "h"), cap).await;
        drop(c);
        let _ = serve.await;
        a
    }

    const CAP: u64 = 4 << 20;

    #[tokio::test]
    async fn content_length_bodies_are_read_across_pieces() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        for piece in [1, 3, raw.len()] {
            assert_eq!(
                answer(raw, piece, CAP).await,
                Ok(Answer {
                    status: 200,
                    reusable: true
                })
            );
        }
    }

    #[tokio::test]
    async fn chunked_bodies_with_extensions_and_trailers() {
        let raw = b"HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n";
        for piece in [1, 7, raw.len()] {
            assert_eq!(
                answer(raw, piece, CAP).await,
                Ok(Answer {
                    status: 503,
                    reusable: true
                })
            );
        }
    }

    #[tokio::test]
    async fn connection_close_and_bodies_up_to_the_close() {
        let raw = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(
            answer(raw, 4, CAP).await,
            Ok(Answer {
                status: 200,
                reusable: false
            })
        );
        let raw = b"HTTP/1.0 200 OK\r\n\r\nuntil the end";
        assert_eq!(
            answer(raw, 4, CAP).await,
            Ok(Answer {
                status: 200,
                reusable: false
            })
        );
    }

    #[tokio::test]
    async fn interim_answers_and_bodiless_statuses() {
        let raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
        assert_eq!(
            answer(raw, 5, CAP).await,
            Ok(Answer {
                status: 204,
                reusable: true
            })
        );
    }

    #[tokio::test]
    async fn broken_answers_are_named() {
        let cases: [(&[u8], &str); 6] = [
            (b"", "connection closed"),
            (b"HTTP/1.1 200 OK\r\nContent-Le", "response cut off"),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhi",
                "body cut off",
            ),
            (b"\x15\x03\x03\x00\x02\x02\x46", "not HTTP"),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "a bad chunk size",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
                "body over 4 MiB",
            ),
        ];
        for (raw, want) in cases {
            let e = answer(raw, 3, CAP).await.unwrap_err();
            assert!(e.contains(want), "{raw:?}: {e}");
        }
        let big = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n{}\r\n",
            "z".repeat(0x400)
        );
        let e = answer(big.as_bytes(), 64, 512).await.unwrap_err();
        assert_eq!(e, "body over 512 bytes");
    }

    #[tokio::test]
    async fn a_head_larger_than_the_buffer_is_an_error() {
        let raw = format!(
            "HTTP/1.1 200 OK\r\nX-Big: {}\r\n\r\n",
            "a".repeat(BUFFER + 10)
        );
        let e = answer(raw.as_bytes(), 1024, CAP).await.unwrap_err();
        assert_eq!(e, "response head too large");
    }
}
