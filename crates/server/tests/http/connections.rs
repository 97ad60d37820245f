//! Connections: slow or silent clients are disconnected after the header timeout, and one
//! connection thread serves many clients at once.

use rostra_testkit::{test_config, TestServer};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Reads until the server closes the connection; answers what it sent.
async fn read_to_close(stream: &mut tokio::net::TcpStream) -> String {
    let mut out = Vec::new();
    // A guard against a hang, not a measure of speed: the server's timeout is 1 s.
    let read = tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn slow_and_silent_clients_are_disconnected() {
    let mut config = test_config();
    config.server.header_timeout_secs = 1;
    let s = TestServer::start_with(config).await;
    let addr = s.base.trim_start_matches("http://").to_string();

    // Connects and sends nothing: closed by the server (read_to_end returns).
    let mut silent = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let answer = read_to_close(&mut silent).await;
    assert!(!answer.contains("200 OK"), "{answer}");

    // Sends its headers a byte at a time, slower than the timeout allows in total: closed
    // before its request is answered.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut closed_early = false;
    for b in request {
        if slow.write_all(&[*b]).await.is_err() {
            closed_early = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let answer = read_to_close(&mut slow).await;
    assert!(
        closed_early || !answer.contains("200 OK"),
        "a request trickled over 6 s was answered: {answer}"
    );

    // A client that sends its request at once is served.
    let mut quick = tokio::net::TcpStream::connect(&addr).await.unwrap();
    quick
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut quick).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Connections are spread over `server.threads` event loops and stay on theirs: one loop still
/// serves many clients at once, and every request on a kept-alive connection is answered.
#[tokio::test]
async fn one_connection_thread_serves_many_clients_at_once() {
    let mut config = test_config();
    config.server.threads = 1;
    let s = TestServer::start_with(config).await;
    let mut clients = Vec::new();
    for n in 0..8 {
        let url = s.url("/healthz");
        clients.push(tokio::spawn(async move {
            // A client of its own: a connection of its own, kept alive across the requests.
            let http = reqwest::Client::new();
            for _ in 0..5 {
                let r = http.get(&url).send().await.unwrap();
                assert_eq!(r.status(), 200, "client {n}");
            }
        }));
    }
    for c in clients {
        c.await.unwrap();
    }
}
