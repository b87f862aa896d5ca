"""The odoo-bin process of make loadtest (dev/loadtest.py), and its database."""
import os
import signal
import socket
import subprocess
import time
import xmlrpc.client

import psycopg2


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_connect(db):
    kw = {k: os.environ[e] for e, k in (("PGHOST", "host"), ("PGPORT", "port"), ("PGUSER", "user"),
                                          ("PGPASSWORD", "password")) if os.environ.get(e)}
    return psycopg2.connect(dbname=db, **kw)


class Server:
    """An odoo-bin process on 127.0.0.1, stopped by us whatever happens."""

    def __init__(self, args, workers, logfile):
        self.port = free_port()
        cmd = [args.python, args.odoo_bin, "-c", args.conf, "-d", args.db, "--db-filter", f"^{args.db}$",
               "--http-interface", "127.0.0.1", "--http-port", str(self.port), "--gevent-port", str(free_port()),
               "--workers", str(workers), "--max-cron-threads", "2", "--log-level", "info",
               "--logfile", logfile, "--limit-time-real", "300", "--db_maxconn", "64"]
        self.logfile = logfile
        # the cron threads wake up when a cron is made due (the driver does, every 20 seconds)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
                                     env={**os.environ, "ODOO_NOTIFY_CRON_CHANGES": "1"})
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"odoo-bin exited at start (see {logfile})")
            try:
                xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common").version()
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"odoo-bin did not answer on {self.url} within 120 s")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def server_retries(self):
        with open(self.logfile, encoding="utf-8", errors="replace") as f:
            return sum(1 for line in f if "tries left, try again" in line)
