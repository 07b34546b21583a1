//! A loopback HTTP peer answering as scripted and keeping every request.
//! It binds an ephemeral port, so tests running side by side never collide.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A loopback HTTP server counting requests and keeping each one (head and
/// body), answering as scripted (see [`HttpPeer::answering`]).
pub struct HttpPeer {
    pub port: u16,
    hits: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
    /// When each request arrived, in order.
    times: Arc<Mutex<Vec<Instant>>>,
}

impl HttpPeer {
    /// Start on an ephemeral loopback port; the thread ends with the process.
    pub fn start() -> HttpPeer {
        HttpPeer::failing(0)
    }

    /// A peer whose first `fail_first` answers are `503`.
    pub fn failing(fail_first: usize) -> HttpPeer {
        let down = Answer::new(503, "down");
        HttpPeer::answering(vec![down; fail_first], Answer::new(200, "ok"))
    }

    /// A peer giving `first` answers in order, then `then` for ever.
    pub fn answering(first: Vec<Answer>, then: Answer) -> HttpPeer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let hits = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let times = Arc::new(Mutex::new(Vec::new()));
        let (counter, kept, stamps) = (hits.clone(), requests.clone(), times.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let request = read_request(&mut stream);
                let n = counter.fetch_add(1, Ordering::SeqCst);
                if let Ok(mut k) = kept.lock() {
                    k.push(request);
                }
                if let Ok(mut t) = stamps.lock() {
                    t.push(Instant::now());
                }
                let answer = first.get(n).unwrap_or(&then);
                match (answer.stall, answer.delay) {
                    // Hold the connection open without a word, on its own
                    // thread so later requests are still served.
                    (Some(hold), _) => {
                        std::thread::spawn(move || {
                            std::thread::sleep(hold);
                            drop(stream);
                        });
                    }
                    (None, Some(delay)) => {
                        let bytes = answer.bytes();
                        std::thread::spawn(move || {
                            std::thread::sleep(delay);
                            let _ = stream.write_all(&bytes);
                        });
                    }
                    (None, None) => {
                        let _ = stream.write_all(&answer.bytes());
                    }
                }
            }
        });
        HttpPeer {
            port,
            hits,
            requests,
            times,
        }
    }

    /// When each request so far arrived.
    pub fn times(&self) -> Vec<Instant> {
        self.times.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// Requests served so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// Every request so far, head and body, as text.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// One scripted HTTP answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Read the request, then say nothing for this long and hang up (a
    /// peer that accepts and stalls).
    pub stall: Option<Duration>,
    /// Answer only after this long (a slow peer).
    pub delay: Option<Duration>,
}

impl Answer {
    /// `status` with a text body.
    pub fn new(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
            stall: None,
            delay: None,
        }
    }

    /// The same answer, given only after `delay`.
    pub fn after(mut self, delay: Duration) -> Answer {
        self.delay = Some(delay);
        self
    }

    /// No answer at all: the connection stays open and silent for `hold`.
    pub fn stall(hold: Duration) -> Answer {
        Answer {
            stall: Some(hold),
            ..Answer::new(0, "")
        }
    }

    /// `200` with a JSON body.
    pub fn json(body: serde_json::Value) -> Answer {
        Answer::new(200, &body.to_string()).header("content-type", "application/json")
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
            self.status,
            self.body.len()
        );
        for (k, v) in &self.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&self.body);
        out.into_bytes()
    }
}

/// The body of a request kept by [`HttpPeer::requests`].
pub fn body_of(request: &str) -> &str {
    request.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// Read one HTTP/1.1 request: the head, then `content-length` bytes.
fn read_request(stream: &mut std::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    loop {
        let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n");
        if let Some(end) = head_end {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                break;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}
