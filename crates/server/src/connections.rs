//! Accepting connections: HTTP/1 with a deadline for each request's headers, so a client that
//! sends nothing or trickles its headers byte by byte is disconnected, and a graceful stop.
//!
//! `axum::serve` sets no timer on hyper, so hyper's header timeout never fires there; this loop
//! is the same as axum's, with the timer and the timeout set.
//!
//! Connections are served on *lanes*: one thread per core, each running its own single-threaded
//! runtime, like nginx's worker processes. The accept loop hands each new connection to the
//! next lane, where it stays. On the shared work-stealing runtime, every request woke a second
//! thread that found nothing to do or stole the connection's task; with lanes a request is read,
//! answered and written by one thread (measured: a cached 43 KB thread page, wrk at 4
//! connections, six interleaved runs each, median 34,300 → 38,500 requests/s and a narrower
//! spread; BENCHMARKS.md). Work a request hands off (the SQLite writer, blocking tasks) still
//! runs on threads of its own.

use axum::extract::connect_info::ConnectInfo;
use axum::extract::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tower::{Service, ServiceExt};

/// What every lane needs to serve a connection.
#[derive(Clone)]
struct Serving<S> {
    app: S,
    header_timeout: Duration,
    /// Turns true when the server stops: connections finish their request and close.
    stop: watch::Receiver<bool>,
    /// Every connection holds a receiver of this, from the moment it is accepted; `closed()`
    /// resolves once the last one has ended.
    open: watch::Sender<()>,
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
/// A request whose headers have not all arrived `header_timeout` after the connection opened
/// (or after the previous response) closes its connection. `lanes` threads serve the
/// connections (at least one).
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    header_timeout: Duration,
    lanes: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    let (stop_tx, stop_rx) = watch::channel(false);
    let (open_tx, _) = watch::channel(());
    let serving = Serving {
        app,
        header_timeout,
        stop: stop_rx,
        open: open_tx.clone(),
    };
    let mut to_lanes = Vec::new();
    for n in 0..lanes.max(1) {
        to_lanes.push(start_lane(n, serving.clone())?);
    }
    drop(serving);
    deal(&listener, &to_lanes, &open_tx, shutdown).await;
    drop(listener);
    let _ = stop_tx.send(true);
    // Lanes see their channel close once the last connection they were given has been taken.
    drop(to_lanes);
    open_tx.closed().await;
    Ok(())
}

/// Accepts connections and deals them to the lanes in turn, until `shutdown` resolves.
async fn deal(
    listener: &TcpListener,
    lanes: &[mpsc::UnboundedSender<Handoff>],
    open: &watch::Sender<()>,
    shutdown: impl Future<Output = ()>,
) {
    let mut shutdown = std::pin::pin!(shutdown);
    let mut next = 0;
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // Off this runtime's reactor, onto the lane's.
        let stream = match stream.into_std() {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!(error = %e, "could not hand a connection over");
                continue;
            }
        };
        let lane = &lanes[next % lanes.len()];
        next = next.wrapping_add(1);
        if lane.send((stream, remote, open.subscribe())).is_err() {
            tracing::error!("a connection lane has stopped");
        }
    }
}

/// A connection on its way to a lane, counted as open from its acceptance.
type Handoff = (std::net::TcpStream, SocketAddr, watch::Receiver<()>);

/// Starts lane `n`: a thread with its own runtime, serving the connections sent to it.
fn start_lane<S>(n: usize, serving: Serving<S>) -> std::io::Result<mpsc::UnboundedSender<Handoff>>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Handoff>();
    std::thread::Builder::new()
        .name(format!("rostra-http-{n}"))
        .spawn(move || {
            runtime.block_on(async move {
                while let Some((stream, remote, open)) = rx.recv().await {
                    match TcpStream::from_std(stream) {
                        Ok(stream) => {
                            tokio::spawn(connection(stream, remote, serving.clone(), open));
                        }
                        Err(e) => tracing::debug!(error = %e, "could not take a connection"),
                    }
                }
                // Stopping: every connection has been handed over; serve those still open
                // until they close. Then the lane ends with its runtime.
                let open = serving.open.clone();
                drop(serving);
                open.closed().await;
            });
        })?;
    Ok(tx)
}

/// One connection, from its first byte to its close.
async fn connection<S>(
    stream: TcpStream,
    remote: SocketAddr,
    serving: Serving<S>,
    _open: watch::Receiver<()>,
) where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    let Serving {
        app,
        header_timeout,
        mut stop,
        open: _,
    } = serving;
    let service = app.map_request(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(remote));
        req.map(axum::body::Body::new)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let conn = builder
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
        .with_upgrades();
    let mut conn = std::pin::pin!(conn);
    let stopping = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    let result = tokio::select! {
        result = conn.as_mut() => result,
        () = stopping => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!(error = %e, %remote, "connection ended");
    }
}
