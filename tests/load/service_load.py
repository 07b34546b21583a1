#!/usr/bin/env python3
"""Load run for `baton serve` (stdlib only; needs `wrk` and a built tree).

1. Latency: Meeting BaaS `complete` webhooks at a steady rate; for each, the
   time from sending it to the approval request for its follow-up draft
   reaching a loopback Slack peer (`chat.postMessage`). Prints p50/p90/p99.
2. Throughput: `wrk` with 64 connections on POST /v1/events (every request a
   new meeting, so every one is a new job), against a baseline measured in
   the same run: `wrk` on GET /healthz (the HTTP stack alone).

Usage: python3 tests/load/service_load.py [--webhooks N] [--rate R] [--seconds S]
Run from the repository root after `cargo xtask build`.
"""

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlackPeer(BaseHTTPRequestHandler):
    """chat.postMessage: records when each approval request arrives."""

    arrivals = {}  # approval id -> monotonic time
    lock = threading.Lock()

    def do_POST(self):
        now = time.monotonic()
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        for approval in set(re.findall(rb'"value":"[^":]+:([^":]+):approve"', body)):
            with self.lock:
                self.arrivals.setdefault(approval.decode(), now)
        answer = b'{"ok":true,"channel":"C-LOAD","ts":"1.000"}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def parse(raw):
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode(errors="replace")


def call(base, method, path, token=None, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, parse(r.read())
    except urllib.error.HTTPError as e:
        return e.code, parse(e.read())


def wrk(url, seconds, script=None):
    cmd = ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    return rps, total, int(bad.group(1)) if bad else 0, p99


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--webhooks", type=int, default=200)
    ap.add_argument("--rate", type=float, default=10.0, help="webhooks per second")
    ap.add_argument("--seconds", type=int, default=10, help="each wrk run")
    args = ap.parse_args()
    baton = os.path.join(ROOT, "target/release/baton")
    if not os.path.exists(baton) or not os.path.exists(os.path.join(ROOT, "target/skills/draft-followup-email.wasm")):
        sys.exit("run `cargo xtask build` first")

    work = tempfile.mkdtemp(prefix="baton-load-")
    peer_port = free_port()
    peer = ThreadingHTTPServer(("127.0.0.1", peer_port), SlackPeer)
    threading.Thread(target=peer.serve_forever, daemon=True).start()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    admin, mb_key = secrets.token_hex(16), secrets.token_hex(16)
    env = dict(os.environ,
               BATON_ADMIN_TOKEN=admin, BATON_MEETINGBAAS_API_KEY=mb_key,
               BATON_SLACK_BOT_TOKEN="xoxb-load", BATON_SLACK_API_URL=f"http://127.0.0.1:{peer_port}",
               BATON_SMTP_URL=f"file://{work}/mail", BATON_PUBLIC_URL=base,
               BATON_CACHE_DIR=os.path.join(ROOT, "target/component-cache"), BATON_LOG="warn")
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen(
        [baton, "serve", "--database", os.path.join(work, "baton.db"), "--import", "examples/demo.json",
         "--sequences", "sequences", "--skills", "target/skills", "--listen", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(600):
            try:
                if call(base, "GET", "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            sys.exit(f"baton serve did not become ready; see {log.name}")
        _, tok = call(base, "POST", "/v1/admin/orgs/demo/tokens", admin, {"name": "load"})
        token = tok["token"]
        _, prefs = call(base, "GET", "/v1/users/rep1/preferences", token)
        prefs.update(quiet_start_min=None, quiet_end_min=None,
                     max_notifications_per_hour=1_000_000, slack_channel="C-LOAD")
        status, _ = call(base, "PUT", "/v1/users/rep1/preferences", token, prefs)
        assert status == 200, status

        # 1. Webhook -> approval request in Slack.
        with open(os.path.join(ROOT, "examples/webhooks/meetingbaas-complete.json")) as f:
            hook = json.load(f)
        sent = {}  # job id -> monotonic send time
        started = time.monotonic()
        for n in range(args.webhooks):
            due = started + n / args.rate
            time.sleep(max(0.0, due - time.monotonic()))
            hook["data"]["bot_id"] = f"load-{n}"
            t = time.monotonic()
            status, body = call(base, "POST", "/v1/webhooks/meetingbaas", body=hook,
                                headers={"x-meeting-baas-api-key": mb_key})
            assert status == 202, (status, body)
            sent[body["job_id"]] = t
        deadline = time.monotonic() + 60
        # Until every job has had time to ask: arrivals stop growing.
        last, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            n = len(SlackPeer.arrivals)
            if n != last:
                last, quiet_since = n, time.monotonic()
            elif n >= args.webhooks and time.monotonic() - quiet_since > 3:
                break
            time.sleep(0.1)
        # A meeting's job asks for several approvals at once (draft, CRM,
        # tasks): the first to reach Slack is the one the rep sees first.
        first = {}  # job id -> first approval request arrival
        for approval, arrived in list(SlackPeer.arrivals.items()):
            status, gate = call(base, "GET", f"/v1/approvals/{approval}", token)
            if status == 200 and gate["job_id"] in sent:
                job = gate["job_id"]
                first[job] = min(arrived, first.get(job, arrived))
        latencies = [arrived - sent[job] for job, arrived in first.items()]
        print(f"webhook -> approval request in Slack: {len(latencies)}/{args.webhooks} delivered "
              f"({args.rate:g}/s); p50 {percentile(latencies, 50)*1000:.0f} ms, "
              f"p90 {percentile(latencies, 90)*1000:.0f} ms, p99 {percentile(latencies, 99)*1000:.0f} ms")

        # 2. Throughput, against the HTTP stack alone.
        lua = os.path.join(work, "events.lua")
        with open(lua, "w") as f:
            f.write(EVENTS_LUA.replace("TOKEN", token))
        h_rps, h_total, h_bad, h_p99 = wrk(base + "/healthz", args.seconds)
        e_rps, e_total, e_bad, e_p99 = wrk(base + "/v1/events", args.seconds, lua)
        print(f"baseline GET /healthz, 64 connections: {h_rps:.0f} req/s (p99 {h_p99}, {h_bad} errors)")
        print(f"POST /v1/events, 64 connections: {e_rps:.0f} events/s accepted "
              f"(p99 {e_p99}; {e_total} requests, {e_bad} not 202) = {e_rps / h_rps:.2f}x the baseline")
        if e_bad:
            sys.exit("some events were not accepted")
    finally:
        server.terminate()
        server.wait(timeout=60)
        peer.shutdown()


# Each request is a new meeting (a unique dedupe key), so a new job.
EVENTS_LUA = r"""
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  thread_id = tid
end
function request()
  counter = counter + 1
  local body = string.format(
    '{"type":"meeting_ended","user":"rep1","payload":{"meeting_id":"wrk-%d-%d","title":"Load","contact_email":"marta.ruiz@northwind.example","utterances":[{"speaker":"rep","text":"I will send you a proposal by Friday."}]}}',
    thread_id, counter)
  return wrk.format("POST", nil, {["content-type"] = "application/json", ["authorization"] = "Bearer TOKEN"}, body)
end
"""

if __name__ == "__main__":
    main()
