#!/usr/bin/env python3
"""Rostra at scale: SQLite x1 vs PostgreSQL x1/x2 (behind nginx), 5,000 SSE connections, and the
delay of an event across instances (called by bench/scale/run.sh; see its header).

Reuses, by importing them, bench/rostra_bench.py (thread_path, seeding conventions, the machine
noise gate and quiet-wait, machine CPU accounting) and through it the peers' driver
/work/shared/bench/peers/bench.py (wrk invocation and parsing, /proc RSS and CPU sampling, settle)
and the peers' data set (seed.py: the /t20 thread, 8 top-level + 12 replies, and its texts).

  scale_bench.py seed PORT          post /t20 (20 comments) and the first comment of /live
  scale_bench.py run                wrk workloads a (read /t20) and c (POST) for every configuration
  scale_bench.py sse                SSE_CONNS connections over PG A and B, RSS, POSTS posts, delays
  scale_bench.py ab                 one SSE client on B, AB_POSTS sequential posts on A, delays
  scale_bench.py table              the Markdown table from the results folder
  scale_bench.py sse-client ...     (internal) one process of SSE connections, driven over stdin

Environment: OUT (results folder), W (work folder with the pid files), SITE, ORIGIN, DUR, RUNS, WARM,
CONNS (16), SSE_CONNS (5000), SSE_PROCS (2), POSTS (20), POST_EVERY (0.5 s), AB_POSTS (200),
SQLITE_PORT, PG_A_PORT, PG_B_PORT, LB1_PORT, LB2_PORT, PG_URL (the run's PostgreSQL database).
All traffic goes to 127.0.0.1.
"""
import asyncio
import http.client
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)
import rostra_bench as rb  # noqa: E402  Rostra's single-instance driver (imports the peers' bench.py)

pb, ps = rb.pb, rb.ps
OUT = os.environ.get("OUT") or os.path.join(HERE, "results", time.strftime("%Y-%m-%d"))
W = os.environ.get("W", "/tmp/rostra-scale")
SITE, ORIGIN = rb.SITE, rb.ORIGIN
CONNS = int(os.environ.get("CONNS", "16"))
SSE_CONNS = int(os.environ.get("SSE_CONNS", "5000"))
SSE_PROCS = int(os.environ.get("SSE_PROCS", "2"))
POSTS = int(os.environ.get("POSTS", "20"))
POST_EVERY = float(os.environ.get("POST_EVERY", "0.5"))
AB_POSTS = int(os.environ.get("AB_POSTS", "200"))
PORTS = {k: int(os.environ.get(k.upper() + "_PORT", d)) for k, d in
         (("sqlite", "18311"), ("pg_a", "18321"), ("pg_b", "18322"), ("lb1", "18331"), ("lb2", "18332"))}
POST_SCRIPT = os.path.join(BENCH, "wrk", "post-rostra.lua")  # distinct random texts; reused as is
LIVE_URI = "/live"
READ_PATH = rb.thread_path("/t20")

# configuration: (key, label, port wrk talks to, Rostra instances behind it, nginx in front)
CONFIGS = [
    ("sqlite1", "SQLite ×1, direct", "sqlite", ["sqlite"], False),
    ("pg1", "PostgreSQL ×1, direct", "pg_a", ["pg_a"], False),
    ("pg1lb", "PostgreSQL ×1, via nginx", "lb1", ["pg_a"], True),
    ("pg2lb", "PostgreSQL ×2, via nginx", "lb2", ["pg_a", "pg_b"], True),
]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def pid_of(name):
    with open(os.path.join(W, f"{name}.pid")) as f:
        return int(f.readline())


def pg_pids():
    """PostgreSQL processes billed as 'PG CPU': the backends connected to this run's database and
    the cluster's background processes (WAL writer, checkpointer, ...); not other databases' backends
    (others' tests may use the same cluster)."""
    if not os.environ.get("PG_URL"):
        return []
    q = ("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
         "(datname = current_database() OR backend_type <> 'client backend')")
    r = subprocess.run(["psql", os.environ["PG_URL"], "-qAt", "-c", q], capture_output=True, text=True)
    return [int(x) for x in r.stdout.split()] if r.returncode == 0 else []


def cpu_each(pids):
    return {p: pb.cpu_s([p]) for p in pids if os.path.exists(f"/proc/{p}")}


def save_json(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)


def load_json(name, default=None):
    try:
        with open(os.path.join(OUT, name)) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def post(port, uri, body, parent=None, conn=None):
    """POST /api/comments; returns (status, decoded answer or raw, t_send, t_answer) in monotonic s."""
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    doc = {"site": SITE, "url": ORIGIN + uri, "title": f"Thread {uri}", "body": body,
           "author_name": "bench", "author_email": "bench@example.com"}
    if parent:
        doc["parent"] = parent
    data = json.dumps(doc).encode()
    t0 = time.monotonic()
    c.request("POST", "/api/comments", body=data, headers={"Content-Type": "application/json"})
    r = c.getresponse()
    raw = r.read()
    t1 = time.monotonic()
    if conn is None:
        c.close()
    try:
        raw = json.loads(raw)
    except ValueError:
        pass
    return r.status, raw, t0, t1


WORDS = ("the council vote budget school river bridge road market price winter summer train station park "
         "library museum garden coffee bread music festival report article author reader question answer "
         "reason idea plan city village harbour island mountain forest weather rain snow energy water housing "
         "rent street bicycle tram ferry airport hospital doctor teacher student parent family neighbour "
         "friend history future season match team coach goal league").split()


def random_text(n):  # distinct text, so the near-duplicate check lets every post through
    return f"Live {n}: " + " ".join(random.choice(WORDS) for _ in range(28)) + "."


# ------------------------------------------------------------------ seed
def seed(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    (uri, comments), = [t for t in ps.plan() if t[0] == "/t20"]
    ids, t0 = {}, time.time()
    for n, (k, parent, _root) in enumerate(comments, 1):
        st, ans, _, _ = post(port, uri, ps.text(n, uri), ids.get(parent), conn)
        if st != 201 or ans["comment"].get("status") != "published":
            sys.exit(f"seed :{port} {uri} {k}: HTTP {st}: {str(ans)[:300]}")
        ids[k] = ans["comment"]["id"]
    st, ans, _, _ = post(port, LIVE_URI, random_text(0), None, conn)
    if st != 201:
        sys.exit(f"seed :{port} {LIVE_URI}: HTTP {st}: {str(ans)[:300]}")
    conn.close()
    st, d = rb.req(port, "GET", READ_PATH)
    doc = json.loads(d)
    n_top = len(doc["comments"])
    n_all = rb.count_comments(doc["comments"])
    assert st == 200 and doc["thread"]["comment_count"] == 20 and n_all == 20 and n_top == 8, (st, n_top, n_all)
    log(f"seeded :{port} with /t20 (8 top-level + 12 replies) and {LIVE_URI} in {time.time() - t0:.1f} s")


def thread_id(port, uri):
    st, d = rb.req(port, "GET", rb.thread_path(uri))
    assert st == 200, (st, d[:200])
    return json.loads(d)["thread"]["id"]


# ------------------------------------------------------------------ wrk workloads
class RssSum(threading.Thread):
    """Peak of the summed RSS of a fixed set of processes (Rostra runs as a single process)."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.peak, self.stop = pids, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, pb.rss_kb(self.pids))
            self.stop.wait(0.2)


def measure(port, path, script, conns, dur, inst_pids, ngx_pid, pg):
    groups = {"rostra": inst_pids, "nginx": pb.tree(ngx_pid) if ngx_pid else []}
    cpu0 = {g: pb.cpu_s(p) for g, p in groups.items()}
    pg0 = cpu_each(pg_pids()) if pg else {}
    m0, own0, t0 = rb.machine_cpu(), rb.own_cpu(), time.time()
    s = RssSum(inst_pids)
    s.start()
    out = pb.wrk(port, path, script, conns, dur)
    s.stop.set()
    s.join()
    m1, own1, t1 = rb.machine_cpu(), rb.own_cpu(), time.time()
    cpu1 = {g: pb.cpu_s(p) for g, p in groups.items()}
    used = {g: max(0.0, cpu1[g] - cpu0[g]) for g in groups}
    if pg:  # backends come and go: those seen at the start or at the end, per process
        pg1 = cpu_each(set(pg0) | set(pg_pids()))
        used["pg"] = sum(max(0.0, c - pg0.get(p, 0.0)) for p, c in pg1.items())
    else:
        used["pg"] = 0.0
    r = pb.parse_wrk(out)
    n = max(r["requests"], 1)
    cap = (t1 - t0) * (os.cpu_count() or 1)
    # other processes' CPU (not the servers, PostgreSQL, nginx, wrk or this driver), share of all cores
    r["foreign_cpu"] = max(0.0, (m1[0] - m0[0]) - sum(used.values()) - (own1 - own0)) / cap
    r["steal_cpu"] = (m1[1] - m0[1]) / cap
    r["cpu_us"] = used["rostra"] / n * 1e6
    r["nginx_cpu_us"] = used["nginx"] / n * 1e6
    r["pg_cpu_us"] = used["pg"] / n * 1e6
    r["peak_kb"] = s.peak
    r["rss_end_kb"] = pb.rss_kb(inst_pids)
    r["raw"] = out
    m = [line for line in out.splitlines() if line.startswith("rostra-post:")]
    if m:
        kv = dict(x.split("=") for x in m[0].split()[1:])
        r["created"], r["published"], r["other"] = int(kv["201"]), int(kv.get("published", -1)), int(kv["other"])
    return r


def measure_clean(port, path, script, conns, dur, inst_pids, ngx_pid, pg, settle_on):
    """As rostra_bench.measure_clean: settle, wait for a quiet machine, repeat a disturbed run once."""
    discarded = []
    while True:
        if not pb.settle(settle_on, limit=30):
            log("  warning: servers still busy before a run")
        rb.gate()
        r = measure(port, path, script, conns, dur, inst_pids, ngx_pid, pg)
        if r["foreign_cpu"] <= rb.NOISY or discarded or rb._noise["spent"] + dur > rb.NOISE_BUDGET:
            break
        rb._noise["retries"] += 1
        rb._noise["spent"] += dur
        discarded.append(r)
        log(f"  run disturbed ({r['foreign_cpu']:.0%} other CPU), repeating it")
    if discarded and discarded[0]["foreign_cpu"] < r["foreign_cpu"]:
        r, discarded = discarded[0], [r]
    return r, discarded


def run():
    os.makedirs(OUT, exist_ok=True)
    pids = {k: pid_of(k) for k in ("sqlite", "pg_a", "pg_b", "nginx")}
    settle_on = {k: v for k, v in pids.items()}
    rows, t_start = [], time.time()
    workloads = [("a", "GET thread /t20 (20 comments)", READ_PATH, None),
                 ("c", "POST new comment", "/api/comments", POST_SCRIPT)]
    for wid, desc, path, script in workloads:
        for key, label, port_key, insts, lb in CONFIGS:  # warm-up, each configuration
            if script:
                os.environ["ROSTRA_POST_URL"] = f"{ORIGIN}/post-bench-{key}"
                os.environ["ROSTRA_ACK_FILE"] = ack_file(key)
                if os.path.exists(ack_file(key)):
                    os.remove(ack_file(key))
            pb.settle(settle_on, limit=30)
            pb.wrk(PORTS[port_key], path, script, CONNS, pb.WARM)
        runs = {c[0]: [] for c in CONFIGS}
        for i in range(pb.RUNS):  # interleaved: every configuration once, then again
            for key, label, port_key, insts, lb in CONFIGS:
                if script:  # each configuration posts into a thread of its own
                    os.environ["ROSTRA_POST_URL"] = f"{ORIGIN}/post-bench-{key}"
                    os.environ["ROSTRA_ACK_FILE"] = ack_file(key)
                inst_pids = [pids[k] for k in insts]
                r, _ = measure_clean(PORTS[port_key], path, script, CONNS, pb.DUR, inst_pids,
                                     pids["nginx"] if lb else None, key != "sqlite1", settle_on)
                with open(os.path.join(OUT, f"wrk-{wid}-{key}-{i + 1}.txt"), "w") as f:
                    f.write(r["raw"])
                runs[key].append(r)
                log(f"  {wid} {label:28s} run {i + 1}: {r['rps']:9.1f} req/s  p50 {r['p50']:.2f} ms  "
                    f"p99 {r['p99']:.2f} ms  errors {r['non2xx'] + r['sockerr']}  other CPU {r['foreign_cpu']:.0%}")
        for key, label, port_key, insts, lb in CONFIGS:
            rs = runs[key]
            med = sorted(rs, key=lambda r: r["rps"])[len(rs) // 2]
            row = dict(config=key, label=label, wl=wid, desc=desc, conns=CONNS, instances=len(insts), lb=lb,
                       rps=med["rps"], p50=med["p50"], p99=med["p99"],
                       rps_all=[round(r["rps"], 1) for r in rs],
                       errors=sum(r["non2xx"] + r["sockerr"] for r in rs),
                       cpu_us=statistics.median(r["cpu_us"] for r in rs),
                       nginx_cpu_us=statistics.median(r["nginx_cpu_us"] for r in rs),
                       pg_cpu_us=statistics.median(r["pg_cpu_us"] for r in rs),
                       peak_mb=max(r["peak_kb"] for r in rs) / 1024,
                       foreign_cpu_max=max(r["foreign_cpu"] for r in rs),
                       steal_cpu_max=max(r["steal_cpu"] for r in rs),
                       runs=[{k: v for k, v in r.items() if k != "raw"} for r in rs])
            if script:
                row["created_201"] = sum(r.get("created", 0) for r in rs)
                row["published_201"] = sum(r.get("published", 0) for r in rs)
                row["other"] = sum(r.get("other", 0) for r in rs)
            rows.append(row)
    # events under write load (not part of the table's numbers): one more c run per configuration
    # with an SSE client on every instance serving its thread; each acknowledged comment's event
    # must reach every one of them
    events = {}
    if os.environ.get("EVENTS_CHECK", "1") == "1":
        for key, label, port_key, insts, lb in CONFIGS:
            events[key] = events_under_load(key, PORTS[port_key], settle_on)
    pb.settle(settle_on, limit=30)
    time.sleep(1)
    checks = {key: check_writes(key, insts) for key, _, _, insts, _ in CONFIGS}
    save_json("wrk-results.json", dict(rows=rows, dur=pb.DUR, runs=pb.RUNS, warm=pb.WARM, conns=CONNS,
                                       seconds=round(time.time() - t_start), noise=rb._noise, writes=checks,
                                       events_under_load=events))


def events_under_load(key, port, settle_on):
    insts = ["sqlite"] if key == "sqlite1" else ["pg_a", "pg_b"]
    tid = thread_id(PORTS[insts[0]], f"/post-bench-{key}")
    clients = start_clients(tid, {PORTS[i]: 1 for i in insts}, 1)
    acks = ack_file(key) + ".events"
    if os.path.exists(acks):
        os.remove(acks)
    try:
        wait_ready(clients, 60)
        pb.settle(settle_on, limit=30)
        os.environ["ROSTRA_POST_URL"] = f"{ORIGIN}/post-bench-{key}"
        os.environ["ROSTRA_ACK_FILE"] = acks
        out = pb.wrk(port, "/api/comments", POST_SCRIPT, CONNS, pb.DUR)
        pb.settle(settle_on, limit=30)
        time.sleep(2)
        conns, failed = collect(clients)
    finally:
        for c in clients:
            if c.poll() is None:
                c.kill()
    with open(acks) as f:
        acked = [x.strip() for x in f if x.strip()]
    name = {PORTS[i]: i for i in insts}
    v = dict(acked=len(acked), wrk_requests=pb.parse_wrk(out)["requests"], per_instance={})
    for c in conns:
        got = c["arrivals"]
        miss = [a for a in acked if a not in got]
        v["per_instance"][name[c["port"]]] = dict(status=c["status"], received=len(got), missed=len(miss),
                                                  missed_sample=miss[:10], closed=c["closed"], dup=c["dup"])
    v["missed"] = sum(x["missed"] for x in v["per_instance"].values())
    log(f"  events under write load, {key}: {len(acked)} acknowledged; " + ", ".join(
        f"{i} received {x['received']}, missed {x['missed']}" for i, x in v["per_instance"].items()))
    return v


def ack_file(key):
    return os.path.join(W, f"acked-{key}.txt")


def db_ints(key, q):
    """A query's integers, from the database of configuration `key` itself (not through Rostra)."""
    if key == "sqlite1":
        import sqlite3
        con = sqlite3.connect(f"file:{os.path.join(W, 'sqlite.db')}?mode=ro", uri=True, timeout=30)
        vals = [r[0] for r in con.execute(q)]
        con.close()
        return [int(v) for v in vals if v is not None]
    out = subprocess.run(["psql", os.environ["PG_URL"], "-qAt", "-c", q], capture_output=True, text=True,
                         check=True).stdout
    return [int(x) for x in out.split()]


def db_ids(key):
    """Ids of the comments in configuration `key`'s POST thread."""
    url = f"{ORIGIN}/post-bench-{key}"
    return set(db_ints(key, "SELECT c.id FROM comments c JOIN threads t ON t.id = c.thread_id "
                            f"WHERE t.url = '{url}'"))


def db_event_ids(key):
    """Ids of the comments in that thread that have a stored `comment` event (what SSE clients are
    sent, and replayed from on reconnection)."""
    url = f"{ORIGIN}/post-bench-{key}"
    cid = ("json_extract(e.payload, '$.comment.id')" if key == "sqlite1"
           else "((e.payload::json)->'comment'->>'id')::bigint")
    return db_ints(key, f"SELECT {cid} FROM thread_events e JOIN threads t ON t.id = e.thread_id "
                        f"WHERE t.url = '{url}' AND e.kind = 'comment'")


def check_writes(key, insts):  # noqa: ARG001
    """Every comment a wrk run saw acknowledged (201, warm-ups included) must be in the database, and
    every instance that serves the thread must answer the database's comment count (its cache was
    invalidated by the events of the writes)."""
    acked = []
    for fn in (ack_file(key), ack_file(key) + ".events"):
        try:
            with open(fn) as f:
                acked += [x.strip() for x in f if x.strip()]
        except FileNotFoundError:
            pass
    ids = db_ids(key)
    missing = [a for a in acked if not a.isdigit() or int(a) not in ids]
    api = {}
    for inst in (["sqlite"] if key == "sqlite1" else ["pg_a", "pg_b"]):
        st, d = rb.req(PORTS[inst], "GET", rb.thread_path(f"/post-bench-{key}"))
        api[inst] = json.loads(d)["thread"]["comment_count"] if st == 200 else f"HTTP {st}"
    ev = db_event_ids(key)
    no_event = sorted(ids - set(ev))
    acked_set = {int(a) for a in acked if a.isdigit()}
    no_event_acked = [i for i in no_event if i in acked_set]
    v = dict(acked=len(acked), distinct_acked=len(set(acked)), in_db=len(ids), missing=len(missing),
             missing_sample=missing[:10], api_comment_count=api,
             api_matches_db=all(c == len(ids) for c in api.values()),
             comment_events_in_db=len(ev), comments_without_event=len(no_event),
             acked_without_event=len(no_event_acked), unacked_without_event=len(no_event) - len(no_event_acked),
             without_event_sample=no_event[:10], duplicate_events=len(ev) - len(set(ev)))
    log(f"  writes {key}: {len(acked)} acknowledged, {len(ids)} in the database, {len(missing)} missing; "
        f"API comment_count {api} ({'matches' if v['api_matches_db'] else 'DIFFERS FROM'} the database); "
        f"comments without a stored `comment` event: {len(no_event_acked)} acknowledged, "
        f"{len(no_event) - len(no_event_acked)} unacknowledged (cut off at wrk's deadline)")
    return v


# ------------------------------------------------------------------ SSE client (one process)
class SSE(asyncio.Protocol):
    """GET /api/threads/{id}/events over a raw socket: HTTP/1.1 headers, chunked transfer
    decoding, then SSE parsing (id:/event:/data: lines; a blank line ends an event; lines starting
    with ':' are comments, i.e. keep-alives). Records the arrival time of every `comment` event."""

    def __init__(self, port, path, ready, conn_id, stream=False):
        self.port, self.path, self.ready, self.cid, self.stream = port, path, ready, conn_id, stream
        self.buf = b""        # bytes not yet decoded
        self.text = b""       # decoded stream not yet parsed into events
        self.headers_done = False
        self.chunked = False
        self.status = None
        self.arrivals = {}    # comment id -> monotonic arrival time
        self.other_events = 0
        self.keepalives = 0
        self.dup = 0
        self.closed = False
        self.ev = {}
        self.chunks = []      # (arrival time, bytes) kept raw until the end, unless streaming

    def finish(self):
        """Parses what was kept raw, each piece with its own arrival time."""
        chunks, self.chunks = self.chunks, []
        for t, data in chunks:
            self.feed(t, data)

    def connection_made(self, transport):
        self.transport = transport
        transport.write((f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                         f"Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").encode())

    def data_received(self, data):
        now = time.monotonic()
        if self.headers_done and not self.stream:
            # 2,500 sockets become readable at once for every post: keep this callback to an append,
            # so that the last socket's arrival time is not the sum of everyone's parsing
            self.chunks.append((now, data))
            return
        self.feed(now, data)

    def feed(self, now, data):
        self.buf += data
        if not self.headers_done:
            i = self.buf.find(b"\r\n\r\n")
            if i < 0:
                return
            head, self.buf = self.buf[:i].decode("latin-1"), self.buf[i + 4:]
            lines = head.split("\r\n")
            self.status = int(lines[0].split()[1])
            self.chunked = any(h.lower().startswith("transfer-encoding:") and "chunked" in h.lower() for h in lines[1:])
            self.headers_done = True
            if not self.ready.done():
                self.ready.set_result(self.status)
        if self.chunked:
            while True:
                j = self.buf.find(b"\r\n")
                if j < 0:
                    break
                size = int(self.buf[:j].split(b";")[0], 16)
                if len(self.buf) < j + 2 + size + 2:
                    break
                self.text += self.buf[j + 2:j + 2 + size]
                self.buf = self.buf[j + 2 + size + 2:]
                if size == 0:
                    self.closed = True
                    break
        else:
            self.text, self.buf = self.text + self.buf, b""
        self.parse(now)

    def parse(self, now):
        while True:
            k = self.text.find(b"\n")
            if k < 0:
                return
            line, self.text = self.text[:k].rstrip(b"\r").decode(), self.text[k + 1:]
            if line == "":  # end of an event
                ev, self.ev = self.ev, {}
                if not ev:
                    continue
                if ev.get("event") == "comment":
                    cid = json.loads(ev.get("data", "{}"))["comment"]["id"]
                    if cid in self.arrivals:
                        self.dup += 1
                    else:
                        self.arrivals[cid] = now
                        if self.stream:  # for the A→B test: tell the driver at once
                            sys.stdout.write(f"ev {cid} {now}\n")
                            sys.stdout.flush()
                else:
                    self.other_events += 1
            elif line.startswith(":"):
                self.keepalives += 1
            else:
                f, _, v = line.partition(":")
                v = v[1:] if v.startswith(" ") else v
                self.ev[f] = self.ev[f] + "\n" + v if f == "data" and f in self.ev else v

    def connection_lost(self, exc):
        self.closed = True
        if not self.ready.done():
            self.ready.set_result(-1)


async def sse_client_main(spec, tid, stream):
    """spec: [(port, count)]. Opens the connections (at most 100 connecting at once), prints
    'ready <opened> <failed>' on stdout, waits for a line on stdin, prints the arrivals as JSON."""
    loop = asyncio.get_running_loop()
    path = f"/api/threads/{tid}/events"
    conns, failed, sem = [], [], asyncio.Semaphore(100)

    async def open_one(port, n):
        async with sem:
            ready = loop.create_future()
            try:
                proto = SSE(port, path, ready, n, stream)
                protos.append(proto)
                await asyncio.wait_for(loop.create_connection(lambda: proto, "127.0.0.1", port), 30)
                st = await asyncio.wait_for(ready, 30)
            except (OSError, asyncio.TimeoutError) as e:
                failed.append(f"{port}: {e!r}")
                return
            if st != 200:
                failed.append(f"{port}: HTTP {st}")
                return
    protos = []
    t0 = time.monotonic()
    await asyncio.gather(*(open_one(port, i) for port, count in spec for i in range(count)))
    ok = [p for p in protos if p.status == 200]
    print(f"ready {len(ok)} {len(failed)} {time.monotonic() - t0:.2f}", flush=True)
    await loop.run_in_executor(None, sys.stdin.readline)
    for p in protos:
        p.finish()
    res = dict(failed=failed[:20], n_failed=len(failed),
               conns=[dict(port=p.port, status=p.status, closed=p.closed, keepalives=p.keepalives,
                           other=p.other_events, dup=p.dup, arrivals={str(k): v for k, v in p.arrivals.items()})
                      for p in protos])
    for p in protos:
        p.transport.close()
    sys.stdout.write(json.dumps(res) + "\n")
    sys.stdout.flush()


def sse_client(argv):
    stream = argv[0] == "--stream"
    argv = argv[1:] if stream else argv
    tid = int(argv[0])
    spec = [(int(a.split(":")[0]), int(a.split(":")[1])) for a in argv[1:]]
    asyncio.run(sse_client_main(spec, tid, stream))


def start_clients(tid, per_port, procs, stream=False):
    """per_port: {port: count}; spread over `procs` client processes. Each gets a reader thread that
    puts its stdout lines into .lines (a queue). Returns the Popen list."""
    shares = [dict() for _ in range(procs)]
    for port, count in per_port.items():
        for i in range(procs):
            shares[i][port] = count // procs + (1 if i < count % procs else 0)
    out = []
    for sh in shares:
        args = [f"{p}:{c}" for p, c in sh.items() if c > 0]
        if not args:
            continue
        c = subprocess.Popen([sys.executable, os.path.abspath(__file__), "sse-client"]
                             + (["--stream"] if stream else []) + [str(tid)] + args,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        c.lines = queue.Queue()

        def pump(c=c):
            for line in c.stdout:
                c.lines.put(line)
            c.lines.put("")  # EOF
        threading.Thread(target=pump, daemon=True).start()
        out.append(c)
    return out


def next_line(c, timeout):
    line = c.lines.get(timeout=timeout)
    if line == "":
        raise RuntimeError("SSE client process ended early")
    return line


def wait_ready(clients, timeout):
    opened = failed = 0
    secs = []
    t_end = time.time() + timeout
    for c in clients:
        line = next_line(c, max(1, t_end - time.time())).split()
        if not line or line[0] != "ready":
            raise RuntimeError(f"SSE client: unexpected {line}")
        opened += int(line[1])
        failed += int(line[2])
        secs.append(float(line[3]))
    return opened, failed, max(secs)


def collect(clients):
    conns, failed = [], []
    for c in clients:
        c.stdin.write("stop\n")
        c.stdin.flush()
    for c in clients:
        while True:
            line = next_line(c, 120)
            if line.startswith("{"):
                break
        d = json.loads(line)
        conns += d["conns"]
        failed += d["failed"]
        c.wait(timeout=30)
    return conns, failed


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))]


def summary(xs):
    return dict(n=len(xs), p50=pct(xs, 50), p90=pct(xs, 90), p99=pct(xs, 99), max=max(xs) if xs else float("nan"),
                min=min(xs) if xs else float("nan"))


def inst_mem(pid):
    return dict(rss_kb=pb.rss_kb([pid]), pss_kb=pb.pss_kb([pid]), fds=len(os.listdir(f"/proc/{pid}/fd")))


def sse():
    pa, pb_ = pid_of("pg_a"), pid_of("pg_b")
    tid = thread_id(PORTS["pg_a"], LIVE_URI)
    half = {PORTS["pg_a"]: SSE_CONNS - SSE_CONNS // 2, PORTS["pg_b"]: SSE_CONNS // 2}
    rb.quiet(limit=30)
    pb.settle({"a": pa, "b": pb_}, limit=30)
    before = {"pg_a": inst_mem(pa), "pg_b": inst_mem(pb_)}
    log(f"  SSE: opening {SSE_CONNS} connections to thread {tid} ({half}) from {SSE_PROCS} client processes")
    clients = start_clients(tid, half, SSE_PROCS)
    try:
        opened, nfailed, open_s = wait_ready(clients, 600)
        log(f"  SSE: {opened} open, {nfailed} failed, in {open_s:.1f} s")
        time.sleep(3)
        pb.settle({"a": pa, "b": pb_}, limit=30)
        with_conns = {"pg_a": inst_mem(pa), "pg_b": inst_mem(pb_)}
        cpu0 = {"pg_a": pb.cpu_s([pa]), "pg_b": pb.cpu_s([pb_])}
        posts = []
        conn = {k: http.client.HTTPConnection("127.0.0.1", PORTS[k], timeout=30) for k in ("pg_a", "pg_b")}
        t_next = time.monotonic()
        for n in range(POSTS):
            k = "pg_a" if n % 2 == 0 else "pg_b"
            st, ans, t0, t1 = post(PORTS[k], LIVE_URI, random_text(1000 + n), None, conn[k])
            cid = ans["comment"]["id"] if st == 201 else None
            posts.append(dict(on=k, status=st, id=cid, t_send=t0, t_201=t1,
                              comment_status=ans["comment"].get("status") if st == 201 else str(ans)[:200]))
            t_next += POST_EVERY
            time.sleep(max(0.0, t_next - time.monotonic()))
        time.sleep(float(os.environ.get("SSE_GRACE", "5")))
        after_posts = {"pg_a": inst_mem(pa), "pg_b": inst_mem(pb_)}
        cpu1 = {"pg_a": pb.cpu_s([pa]), "pg_b": pb.cpu_s([pb_])}
        conns, failed = collect(clients)
    finally:
        for c in clients:
            if c.poll() is None:
                c.kill()
    # delays for every (connection, published post)
    from_201, from_send, from_201_by = [], [], {"same": [], "other": []}
    missed, missed_by_port, expected = 0, {}, 0
    port_of = {PORTS["pg_a"]: "pg_a", PORTS["pg_b"]: "pg_b"}
    for c in conns:
        if c["status"] != 200:
            continue
        arr = c["arrivals"]
        for p in posts:
            if p["id"] is None or p["comment_status"] != "published":
                continue
            expected += 1
            t = arr.get(str(p["id"]))
            if t is None:
                missed += 1
                missed_by_port[port_of[c["port"]]] = missed_by_port.get(port_of[c["port"]], 0) + 1
                continue
            d = (t - p["t_201"]) * 1e3
            from_201.append(d)
            from_send.append((t - p["t_send"]) * 1e3)
            from_201_by["same" if port_of[c["port"]] == p["on"] else "other"].append(d)
    per_kib = {k: (with_conns[k]["rss_kb"] - before[k]["rss_kb"]) / max(1, half[PORTS[k]]) for k in before}
    res = dict(
        sse_conns=SSE_CONNS, per_instance={k: half[PORTS[k]] for k in ("pg_a", "pg_b")}, client_procs=SSE_PROCS,
        opened=opened, open_failed=nfailed, open_failures_sample=failed[:10], open_seconds=open_s,
        closed_early=sum(1 for c in conns if c["closed"]), keepalives=sum(c["keepalives"] for c in conns),
        duplicates=sum(c["dup"] for c in conns), other_events=sum(c["other"] for c in conns),
        mem_before=before, mem_with_conns=with_conns, mem_after_posts=after_posts, kib_per_conn=per_kib,
        posts=len(posts), post_every=POST_EVERY, post_statuses=[p["status"] for p in posts],
        post_comment_statuses=[p["comment_status"] for p in posts],
        post_rtt_ms=summary([(p["t_201"] - p["t_send"]) * 1e3 for p in posts]),
        cpu_during_posts_s={k: round(cpu1[k] - cpu0[k], 3) for k in cpu0},
        expected=expected, delivered=len(from_201), missed=missed, missed_by_instance=missed_by_port,
        delay_from_201_ms=summary(from_201), delay_from_send_ms=summary(from_send),
        delay_from_201_same_instance_ms=summary(from_201_by["same"]),
        delay_from_201_other_instance_ms=summary(from_201_by["other"]),
        post_log=posts)
    save_json("sse-results.json", res)
    log(f"  SSE: {res['delivered']} of {expected} deliveries, {missed} missed; delay from 201 "
        f"p50 {res['delay_from_201_ms']['p50']:.1f} p99 {res['delay_from_201_ms']['p99']:.1f} "
        f"max {res['delay_from_201_ms']['max']:.1f} ms; RSS/conn A {per_kib['pg_a']:.1f} B {per_kib['pg_b']:.1f} KiB")


# ------------------------------------------------------------------ post on A, event on B
def ab():
    tid = thread_id(PORTS["pg_a"], LIVE_URI)
    # one SSE client on B directly (streaming each arrival to this driver at once), and one through
    # nginx's 2-instance port (checks that the SSE path is proxied unbuffered)
    (cb,) = start_clients(tid, {PORTS["pg_b"]: 1}, 1, stream=True)
    clients = [cb] + start_clients(tid, {PORTS["lb2"]: 1}, 1)
    timeout = float(os.environ.get("AB_TIMEOUT", "5"))
    try:
        wait_ready(clients, 60)
        time.sleep(0.5)
        conn = http.client.HTTPConnection("127.0.0.1", PORTS["pg_a"], timeout=30)
        posts, waited_out = [], 0
        for n in range(AB_POSTS):  # one at a time: the next post only after B saw this one
            st, ans, t0, t1 = post(PORTS["pg_a"], LIVE_URI, random_text(5000 + n), None, conn)
            p = dict(status=st, id=ans["comment"]["id"] if st == 201 else None, t_send=t0, t_201=t1,
                     comment_status=ans["comment"].get("status") if st == 201 else str(ans)[:200])
            posts.append(p)
            if p["comment_status"] != "published":
                continue
            t_end = time.monotonic() + timeout
            while True:
                try:
                    line = next_line(cb, max(0.001, t_end - time.monotonic())).split()
                except queue.Empty:
                    waited_out += 1
                    break
                if line[0] == "ev" and int(line[1]) == p["id"]:
                    break
        time.sleep(1)
        conns, failed = collect(clients)
    finally:
        for c in clients:
            if c.poll() is None:
                c.kill()
    b = [c for c in conns if c["port"] == PORTS["pg_b"]]
    lb = [c for c in conns if c["port"] == PORTS["lb2"]]
    pub = [p for p in posts if p["id"] is not None and p["comment_status"] == "published"]
    d201, dsend, missed = [], [], 0
    for p in pub:
        t = b[0]["arrivals"].get(str(p["id"])) if b and b[0]["status"] == 200 else None
        if t is None:
            missed += 1
        else:
            d201.append((t - p["t_201"]) * 1e3)
            dsend.append((t - p["t_send"]) * 1e3)
    lb_got = sum(1 for p in pub if lb and str(p["id"]) in lb[0]["arrivals"])
    res = dict(posts=len(posts), published=len(pub), wait_timeout_s=timeout, timed_out=waited_out,
               delivered=len(d201), missed=missed,
               delay_from_201_ms=summary(d201), delay_from_send_ms=summary(dsend),
               post_rtt_ms=summary([(p["t_201"] - p["t_send"]) * 1e3 for p in posts]),
               via_nginx_received=lb_got, via_nginx_status=lb[0]["status"] if lb else None,
               failed=failed, post_statuses=sorted({p["status"] for p in posts}),
               comment_statuses=sorted({str(p["comment_status"]) for p in posts}))
    save_json("ab-results.json", res)
    log(f"  A→B: {len(d201)} of {len(pub)} delivered, {missed} missed; from 201 p50 "
        f"{res['delay_from_201_ms']['p50']:.2f} p99 {res['delay_from_201_ms']['p99']:.2f} max "
        f"{res['delay_from_201_ms']['max']:.2f} ms; through nginx: {lb_got} of {len(pub)}")


# ------------------------------------------------------------------ table
def fms(v):
    return "–" if v != v else (f"{v:.2f}" if abs(v) < 10 else f"{v:,.0f}")


def table():
    w = load_json("wrk-results.json")
    s = load_json("sse-results.json")
    a = load_json("ab-results.json")
    L = []
    if w:
        L += [f"wrk -t1 -c{w['conns']}, {w['runs']} runs of {w['dur']} s after a {w['warm']} s warm-up, "
              "configurations interleaved run by run; median run shown with min–max.", "",
              "| workload | configuration | req/s median (min–max) | p50 ms | p99 ms | Rostra CPU µs/req | "
              "nginx CPU µs/req | PostgreSQL CPU µs/req | Rostra RSS peak MiB (sum) | errors | other CPU / steal ¹ |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in w["rows"]:
            wl = "a: " + r["desc"] if r["wl"] == "a" else "c: " + r["desc"]
            if r["wl"] == "c":
                wl += f" ({r['published_201']} of {r['created_201']} published, {r['other']} not 201)"
            lo, hi = min(r["rps_all"]), max(r["rps_all"])
            ngx = format(r["nginx_cpu_us"], ",.0f") if r["lb"] else "–"
            pgc = format(r["pg_cpu_us"], ",.0f") if r["config"] != "sqlite1" else "–"
            L.append(f"| {wl} | {r['label']} | **{r['rps']:,.0f}** ({lo:,.0f}–{hi:,.0f}) | {fms(r['p50'])} | "
                     f"{fms(r['p99'])} | {r['cpu_us']:,.0f} | {ngx} | {pgc} | {r['peak_mb']:.1f} | "
                     f"{r['errors']} | {r['foreign_cpu_max']:.0%} / {r['steal_cpu_max']:.0%} |")
        nz = w.get("noise") or {}
        L += ["", "¹ Highest share of both cores that, during a measured run, went to processes other than Rostra, "
              "nginx, PostgreSQL (this database's backends and the cluster's background processes), wrk and the "
              "driver (and to the hypervisor: steal). "
              f"Waited for a quiet machine before {nz.get('waits', 0)} runs, repeated {nz.get('retries', 0)} "
              f"disturbed runs ({nz.get('spent', 0):.0f} s)."]
        if w.get("events_under_load"):
            L += ["", f"Events under write load (one extra c run of {w['dur']} s per configuration, not in the table, "
                  "with one SSE client on every instance serving the thread): " + "; ".join(
                      f"{k}: {v['acked']} acknowledged, " + ", ".join(
                          f"{i} received {x['received']} (**{x['missed']} missed**)"
                          for i, x in v["per_instance"].items())
                      for k, v in w["events_under_load"].items())]
        if w.get("writes"):
            L += ["", "Writes (c, warm-ups and the events run included): " + "; ".join(
                f"{k}: {v['acked']} acknowledged, {v['in_db']} in the database, **{v['missing']} missing**, "
                f"API comment_count {'=' if v['api_matches_db'] else '≠'} database "
                f"({', '.join(f'{i} {c}' for i, c in v['api_comment_count'].items())}), "
                f"comments without a stored `comment` event (never sent to SSE clients, nor replayed): "
                f"**{v['acked_without_event']} acknowledged** + {v['unacked_without_event']} unacknowledged "
                "(requests cut off at wrk's deadline)"
                for k, v in w["writes"].items())]
    if s:
        d, ds = s["delay_from_201_ms"], s["delay_from_send_ms"]
        same, other = s["delay_from_201_same_instance_ms"], s["delay_from_201_other_instance_ms"]
        mb = lambda m: m["rss_kb"] / 1024  # noqa: E731
        L += ["", f"SSE: {s['sse_conns']:,} connections (A {s['per_instance']['pg_a']:,}, B {s['per_instance']['pg_b']:,}, "
              f"direct, from {s['client_procs']} asyncio client processes), {s['posts']} posts one every "
              f"{s['post_every']} s alternately on A and B.", "",
              "| measure | value |", "|---|---|",
              f"| connections open / failed / closed early | {s['opened']:,} / {s['open_failed']} / {s['closed_early']} "
              f"(opened in {s['open_seconds']:.1f} s) |",
              f"| RSS A: before → with connections → after posts | {mb(s['mem_before']['pg_a']):.1f} → "
              f"{mb(s['mem_with_conns']['pg_a']):.1f} → {mb(s['mem_after_posts']['pg_a']):.1f} MiB "
              f"(**{s['kib_per_conn']['pg_a']:.1f} KiB per connection**) |",
              f"| RSS B: before → with connections → after posts | {mb(s['mem_before']['pg_b']):.1f} → "
              f"{mb(s['mem_with_conns']['pg_b']):.1f} → {mb(s['mem_after_posts']['pg_b']):.1f} MiB "
              f"(**{s['kib_per_conn']['pg_b']:.1f} KiB per connection**) |",
              f"| deliveries expected / received / **missed** / duplicates | {s['expected']:,} / {s['delivered']:,} / "
              f"**{s['missed']}** / {s['duplicates']} |",
              f"| delay from the POST's 201, ms: p50 / p90 / p99 / max | {fms(d['p50'])} / {fms(d['p90'])} / "
              f"{fms(d['p99'])} / {fms(d['max'])} |",
              f"| delay from the POST's send, ms: p50 / p90 / p99 / max | {fms(ds['p50'])} / {fms(ds['p90'])} / "
              f"{fms(ds['p99'])} / {fms(ds['max'])} |",
              f"| from 201, same instance as the POST: p50 / p99 | {fms(same['p50'])} / {fms(same['p99'])} |",
              f"| from 201, the other instance: p50 / p99 | {fms(other['p50'])} / {fms(other['p99'])} |",
              f"| POST round trip with the connections open, ms: p50 / max | {fms(s['post_rtt_ms']['p50'])} / "
              f"{fms(s['post_rtt_ms']['max'])} |",
              f"| Rostra CPU during the posts (A / B) | {s['cpu_during_posts_s']['pg_a']} s / "
              f"{s['cpu_during_posts_s']['pg_b']} s |"]
    if a:
        d, ds = a["delay_from_201_ms"], a["delay_from_send_ms"]
        L += ["", f"Post on A → event on B: one SSE client on B, {a['posts']} posts on A one at a time "
              f"(the next one only after B received the previous one's event).", "",
              "| measure | p50 | p90 | p99 | max |", "|---|---|---|---|---|",
              f"| delay from A's 201, ms | {fms(d['p50'])} | {fms(d['p90'])} | {fms(d['p99'])} | {fms(d['max'])} |",
              f"| delay from the POST's send, ms | {fms(ds['p50'])} | {fms(ds['p90'])} | {fms(ds['p99'])} | "
              f"{fms(ds['max'])} |",
              "", f"Delivered {a['delivered']} of {a['published']} published, **{a['missed']} missed**; "
              f"a second client on the 2-instance nginx port received {a['via_nginx_received']} of {a['published']}."]
    try:
        with open(os.path.join(OUT, "log-summary.txt")) as f:
            L += ["", "Rostra's logs (level warn) during the run: " + f.read().strip()]
    except FileNotFoundError:
        pass
    text = "\n".join(L) + "\n"
    with open(os.path.join(OUT, "table.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "seed":
        seed(int(sys.argv[2]))
    elif cmd == "run":
        run()
    elif cmd == "sse":
        sse()
    elif cmd == "ab":
        ab()
    elif cmd == "table":
        table()
    elif cmd == "sse-client":
        sse_client(sys.argv[2:])
    elif cmd == "quiet":
        rb.quiet()
    else:
        sys.exit(__doc__)
