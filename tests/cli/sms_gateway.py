#!/usr/bin/env python3
"""A test SMS gateway: records every message posted to it and can be told to fail.

Usage: sms_gateway.py PORT_FILE LOG_FILE [--fail-first N | --always-fail]

Listens on 127.0.0.1 on a free port and writes the port to PORT_FILE. Every POST is recorded
as one JSON line in LOG_FILE: {"id", "to", "template", "status"} where status is the HTTP status
it answered. --fail-first N answers 503 to the first N posts of each message id, then 200;
--always-fail answers 503 to every post. Runs until killed (SIGTERM).
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file = sys.argv[1], sys.argv[2]
fail_first = 0
always_fail = False
if len(sys.argv) > 3:
    if sys.argv[3] == "--always-fail":
        always_fail = True
    elif sys.argv[3] == "--fail-first":
        fail_first = int(sys.argv[4])

seen = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        try:
            msg = json.loads(raw)
        except ValueError:
            msg = {}
        key = msg.get("id")
        with lock:
            seen[key] = seen.get(key, 0) + 1
            tries = seen[key]
            status = 503 if always_fail or tries <= fail_first else 200
            with open(log_file, "a", encoding="utf-8") as f:
                f.write(json.dumps({"id": key, "to": msg.get("to"),
                                    "template": msg.get("template"),
                                    "text": msg.get("text"), "status": status},
                                   ensure_ascii=False) + "\n")
        body = b'{"ok":true}' if status == 200 else b'{"ok":false}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
