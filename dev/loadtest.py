"""Concurrent XML-RPC load on a local Odoo, run once with --workers=4 and once with --workers=0.

Called by dev/loadtest.sh (which prepares the database); loopback only, bounded in time and count.
Each run makes its own pipeline and partners, so the assertions concern only what this run created.
"""
import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from datetime import datetime
from datetime import timedelta

import psycopg2

RETRYABLE = ("could not serialize", "serialization_failure", "SerializationFailure", "deadlock",
             "concurrent update", "lock_not_available", "LockNotAvailable")


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
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
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


class Client(threading.Thread):
    def __init__(self, run, idx):
        super().__init__(daemon=True)
        self.run_, self.idx = run, idx
        self.rng = random.Random(idx)
        self.latencies, self.retries, self.errors, self.created, self.moves = [], 0, [], 0, 0

    def call(self, proxy, model, method, *args):
        for _attempt in range(10):
            t0 = time.perf_counter()
            try:
                res = proxy.execute_kw(self.run_.db, self.run_.uid, self.run_.password, model, method, list(args))
                self.latencies.append(time.perf_counter() - t0)
                return res
            except xmlrpc.client.Fault as fault:
                if not any(word in fault.faultString for word in RETRYABLE):
                    raise
                self.retries += 1
                time.sleep(self.rng.uniform(0.01, 0.1))
        raise RuntimeError("still conflicting after 10 tries")

    def run(self):
        proxy = xmlrpc.client.ServerProxy(self.run_.url + "/xmlrpc/2/object", allow_none=True)
        now = datetime.utcnow()
        try:
            for i in range(self.run_.per_client):
                if time.time() > self.run_.deadline:
                    self.errors.append(f"time limit reached after {i} interactions")
                    return
                partner = self.rng.choice(self.run_.partner_ids)
                date = now - timedelta(minutes=self.rng.randint(0, 60 * 24 * 90), seconds=self.rng.randint(0, 59))
                self.call(proxy, "relationship.interaction", "create", {
                    "partner_id": partner, "subject": f"Load {self.idx}/{i}",
                    "channel": self.rng.choice(["phone", "email", "meeting"]),
                    "date": date.strftime("%Y-%m-%d %H:%M:%S")})
                self.created += 1
                if self.rng.random() < 0.5:
                    stage = self.rng.choice(self.run_.stage_ids)
                    self.call(proxy, "relationship.pipeline.membership", "write",
                              [self.rng.choice(self.run_.membership_ids)],
                              {"pipeline_id": self.run_.pipeline_id, "stage_id": stage})
                    self.moves += 1
        except Exception as exc:  # noqa: BLE001 - every other failure is reported and fails the run
            self.errors.append(f"{type(exc).__name__}: {str(exc)[-300:]}")


class Run:
    def __init__(self, args, workers):
        self.args, self.workers, self.db = args, workers, args.db
        self.per_client, self.password = args.per_client, "admin"

    def execute(self):
        log = os.path.join(self.args.logdir, f"loadtest-workers{self.workers}.log")
        if os.path.exists(log):
            os.remove(log)
        server = Server(self.args, self.workers, log)
        try:
            self.url = server.url
            self.uid = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common").authenticate(
                self.db, "admin", self.password, {})
            if not self.uid:
                raise SystemExit(f"admin/admin cannot log in to {self.db}")
            self.prepare()
            clients = [Client(self, i) for i in range(self.args.clients)]
            self.deadline = time.time() + self.args.time_limit
            t0 = time.perf_counter()
            for c in clients:
                c.start()
            for c in clients:
                c.join(self.args.time_limit + 60)
            self.wall = time.perf_counter() - t0
            self.server_retries = server.server_retries()
        finally:
            server.stop()
        self.clients = clients
        return self.verify()

    def prepare(self):
        proxy = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object", allow_none=True)

        def ex(model, method, *args):
            return proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args))
        tag = f"Loadtest w{self.workers} {time.strftime('%H:%M:%S')}"
        self.pipeline_id = ex("relationship.pipeline", "create", {"name": tag})
        self.stage_ids = [ex("relationship.stage", "create", {"name": f"S{i}", "sequence": i,
                                                               "pipeline_id": self.pipeline_id}) for i in range(4)]
        self.partner_ids = ex("res.partner", "create", [
            {"name": f"{tag} P{i}"} for i in range(self.args.partners)])
        self.membership_ids = ex("relationship.pipeline.membership", "create", [
            {"partner_id": pid, "pipeline_id": self.pipeline_id} for pid in self.partner_ids])
        # Every active cron is due now, so the two cron threads work during the load.
        crons = ex("ir.cron", "search", [("active", "=", True)])
        ex("ir.cron", "write", crons, {"nextcall": datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")})

    def verify(self):
        problems = [e for c in self.clients for e in c.errors]
        expected = self.args.clients * self.per_client
        with pg_connect(self.db) as conn, conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM relationship_interaction WHERE partner_id = ANY(%s)", [self.partner_ids])
            self.count = cr.fetchone()[0]
            if self.count != expected:
                problems.append(f"{self.count} interactions instead of {expected}")
            cr.execute("""SELECT partner_id, stage_id, date_enter, date_leave FROM relationship_stage_history
                          WHERE partner_id = ANY(%s) AND pipeline_id = %s ORDER BY partner_id, date_enter, id""",
                       [self.partner_ids, self.pipeline_id])
            chains = {}
            for pid, stage, enter, leave in cr.fetchall():
                chains.setdefault(pid, []).append((stage, enter, leave))
            cr.execute("SELECT p.id, m.stage_id, m.date_stage_entered, (SELECT max(s.last_interaction_date) "
                       "FROM relationship_partner_stat s WHERE s.partner_id = p.id) FROM res_partner p "
                       "JOIN relationship_pipeline_membership m ON m.partner_id = p.id AND m.pipeline_id = %s "
                       "WHERE p.id = ANY(%s)", [self.pipeline_id, self.partner_ids])
            partners = {row[0]: row[1:] for row in cr.fetchall()}
            cr.execute("SELECT commercial_partner_id, max(date) FROM relationship_interaction "
                       "WHERE commercial_partner_id = ANY(%s) GROUP BY 1", [self.partner_ids])
            last = dict(cr.fetchall())
        self.history_rows = sum(len(c) for c in chains.values())
        for pid, (stage, entered, last_date) in partners.items():
            rows = chains.get(pid, [])
            open_rows = [r for r in rows if r[2] is None]
            if len(open_rows) != 1 or rows[-1][2] is not None:
                problems.append(f"partner {pid}: {len(open_rows)} open history rows (the last must be the only one)")
            for prev, nxt in zip(rows, rows[1:], strict=False):
                if prev[2] != nxt[1]:
                    problems.append(f"partner {pid}: date_leave {prev[2]} != next date_enter {nxt[1]}")
            if rows and (rows[-1][0] != stage or rows[-1][1] != entered):
                problems.append(f"partner {pid}: open row is not the partner's stage and entry date")
            if last.get(pid) != last_date:
                problems.append(f"partner {pid}: last_interaction_date {last_date}, recount {last.get(pid)}")
        self.problems = problems
        return not problems

    def figures(self):
        lat = sorted(x for c in self.clients for x in c.latencies)
        calls = len(lat)
        p95 = lat[min(calls - 1, int(0.95 * calls))] * 1000 if calls else float("nan")
        return {
            "interactions": self.count, "stage moves": sum(c.moves for c in self.clients),
            "history rows": self.history_rows, "calls": calls, "wall (s)": round(self.wall, 1),
            "calls/s": round(calls / self.wall, 1), "interactions/s": round(self.count / self.wall, 1),
            "p50 (ms)": round(lat[calls // 2] * 1000) if calls else None, "p95 (ms)": round(p95),
            "client retries": sum(c.retries for c in self.clients),
            "server retries": self.server_retries, "problems": len(self.problems),
        }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True)
    ap.add_argument("--odoo-bin", required=True)
    ap.add_argument("--conf", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--logdir", required=True)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--per-client", type=int, default=200)
    ap.add_argument("--partners", type=int, default=40)
    ap.add_argument("--time-limit", type=int, default=600, help="seconds per run before the clients give up")
    ap.add_argument("--workers", default="4,0")
    args = ap.parse_args()
    runs = []
    for workers in [int(w) for w in args.workers.split(",")]:
        print(f"loadtest: --workers={workers}, {args.clients} clients x {args.per_client} interactions...",
              file=sys.stderr, flush=True)
        run = Run(args, workers)
        run.execute()
        runs.append(run)
        for problem in run.problems[:20]:
            print(f"  PROBLEM (workers={workers}): {problem}", file=sys.stderr)
    keys = list(runs[0].figures())
    print("\n" + " " * 16 + "".join(f"{'--workers=' + str(r.workers):>16}" for r in runs))
    for key in keys:
        print(f"{key:<16}" + "".join(f"{r.figures()[key]!s:>16}" for r in runs))
    ok = all(not r.problems for r in runs)
    print("\nloadtest %s" % ("PASSED" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
