"""Concurrent XML-RPC load on a local Odoo, run once with --workers=4 and once with --workers=0.

Called by dev/loadtest.sh (which prepares the database); loopback only, bounded in time and count.
Each run makes its own pipeline, stage rule, partners (companies and their contacts) and privacy request,
so the checks (dev/loadtest_checks.py) concern only what this run created. Clients log, edit and delete
interactions for two companies and move partners between stages; meanwhile a driver applies the stage rule
("Apply now") and runs the addon's crons by hand while Odoo's cron threads run them too.
"""
import argparse
import os
import random
import sys
import threading
import time
import xmlrpc.client
from datetime import datetime
from datetime import timedelta

from loadtest_checks import verify
from loadtest_server import Server
from loadtest_server import pg_connect

# Refusals the addon and Odoo answer a second concurrent run with: expected, counted, not errors.
REFUSED = ("being applied right now", "is being run right now", "This cron task is currently being executed")

RETRYABLE = ("could not serialize", "serialization_failure", "SerializationFailure", "deadlock",
             "concurrent update", "lock_not_available", "LockNotAvailable")


class Client(threading.Thread):
    """Logs interactions (a quarter of the clients for the second company), moves partners, edits and deletes."""

    def __init__(self, run, idx):
        super().__init__(daemon=True)
        self.run_, self.idx = run, idx
        self.rng = random.Random(idx)
        self.latencies, self.retries, self.errors, self.moves = [], 0, [], 0
        self.created, self.deleted, self.edits = [], [], 0
        companies = run.company_ids if idx % 4 else run.company_ids[::-1]
        self.context = {"allowed_company_ids": companies}

    def call(self, proxy, model, method, *args):
        for _attempt in range(10):
            t0 = time.perf_counter()
            try:
                res = proxy.execute_kw(self.run_.db, self.run_.uid, self.run_.password, model, method, list(args),
                                       {"context": self.context})
                self.latencies.append(time.perf_counter() - t0)
                return res
            except xmlrpc.client.Fault as fault:
                if not any(word in fault.faultString for word in RETRYABLE):
                    raise
                self.retries += 1
                time.sleep(self.rng.uniform(0.01, 0.1))
        raise RuntimeError("still conflicting after 10 tries")

    def date(self):
        # a sixth dated now: the stage rule moves partners on records newer than their stage
        minutes = 0 if self.rng.random() < 1 / 6 else self.rng.randint(1, 60 * 24 * 90)
        return (datetime.utcnow() - timedelta(minutes=minutes, seconds=self.rng.randint(1, 59))).strftime(
            "%Y-%m-%d %H:%M:%S")

    def run(self):
        proxy = xmlrpc.client.ServerProxy(self.run_.url + "/xmlrpc/2/object", allow_none=True)
        try:
            for i in range(self.run_.per_client):
                if time.time() > self.run_.deadline:
                    self.errors.append(f"time limit reached after {i} interactions")
                    return
                self.created.append(self.call(proxy, "relationship.interaction", "create", {
                    "partner_id": self.rng.choice(self.run_.partner_ids), "subject": f"Load {self.idx}/{i}",
                    "channel": self.rng.choice(["phone", "email", "meeting"]), "date": self.date()}))
                if self.rng.random() < 0.5:
                    self.call(proxy, "relationship.pipeline.membership", "write",
                              [self.rng.choice(self.run_.membership_ids)],
                              {"pipeline_id": self.run_.pipeline_id, "stage_id": self.rng.choice(self.run_.stage_ids)})
                    self.moves += 1
                self.edit_or_delete(proxy)
        except Exception as exc:  # noqa: BLE001 - every other failure is reported and fails the run
            self.errors.append(f"{type(exc).__name__}: {str(exc)[-300:]}")

    def edit_or_delete(self, proxy):
        """Edits move interactions between partners and dates (statistics recounted); deletes recount too."""
        alive = sorted(set(self.created) - set(self.deleted))
        draw = self.rng.random()
        if draw < 0.04 and alive:
            vals = {"date": self.date()} if self.rng.random() < 0.5 else {
                "partner_id": self.rng.choice(self.run_.partner_ids)}
            self.call(proxy, "relationship.interaction", "write", [self.rng.choice(alive)], vals)
            self.edits += 1
        elif draw < 0.06 and alive:
            victim = self.rng.choice(alive)
            self.call(proxy, "relationship.interaction", "unlink", [victim])
            self.deleted.append(victim)


class Driver(threading.Thread):
    """While the clients run: "Apply now" on the run's stage rule, "Run Manually" on the addon's crons,
    "Recompute now" of the segments and "Run now" of a retention rule, in HTTP workers, while the cron
    threads run the same crons; the crons are made due again every 20 seconds."""

    def __init__(self, run):
        super().__init__(daemon=True)
        self.run_, self.stop = run, threading.Event()
        self.applied = self.triggered = self.recomputed = self.retained = self.refused = 0
        self.errors = []

    def run(self):
        proxy = xmlrpc.client.ServerProxy(self.run_.url + "/xmlrpc/2/object", allow_none=True)
        crons = list(self.run_.cron_ids.values())
        step = 0
        while not self.stop.wait(2):
            step += 1
            try:
                if step % 10 == 0:
                    self.due(proxy, crons)
                elif step % 4 == 0:
                    self.ex(proxy, "relationship.stage.rule", "action_apply", [self.run_.rule_id])
                    self.applied += 1
                elif step % 4 == 1:
                    self.ex(proxy, "ir.cron", "method_direct_trigger", [crons[(step // 4) % len(crons)]])
                    self.triggered += 1
                elif step % 4 == 2:  # a manager's "Recompute now" of the segments, while the RFM cron may run
                    self.ex(proxy, "ir.actions.server", "run", [self.run_.recompute_action])
                    self.recomputed += 1
                else:  # an officer's "Run now" of the retention rule, while the retention cron may run
                    self.ex(proxy, "gdpr.retention.rule", "action_run", [self.run_.retention_rule_id])
                    self.retained += 1
            except xmlrpc.client.Fault as fault:
                if any(word in fault.faultString for word in REFUSED):
                    self.refused += 1
                else:
                    self.errors.append(f"driver step {step}: {fault.faultString[-300:]}")

    def ex(self, proxy, model, method, *args):
        return proxy.execute_kw(self.run_.db, self.run_.uid, self.run_.password, model, method, list(args))

    def due(self, proxy, crons):
        now = datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
        for cron in crons:
            try:
                self.ex(proxy, "ir.cron", "write", [cron], {"nextcall": now})
            except xmlrpc.client.Fault as fault:  # running right now: due anyway
                if not any(word in fault.faultString for word in REFUSED):
                    raise


class Run:
    def __init__(self, args, workers):
        self.args, self.workers, self.db = args, workers, args.db
        self.per_client, self.password = args.per_client, "admin"

    def execute(self):
        self.logfile = os.path.join(self.args.logdir, f"loadtest-workers{self.workers}.log")
        if os.path.exists(self.logfile):
            os.remove(self.logfile)
        server = Server(self.args, self.workers, self.logfile)
        try:
            self.url = server.url
            self.uid = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common").authenticate(
                self.db, "admin", self.password, {})
            if not self.uid:
                raise SystemExit(f"admin/admin cannot log in to {self.db}")
            self.prepare()
            clients = [Client(self, i) for i in range(self.args.clients)]
            driver = Driver(self)
            self.deadline = time.time() + self.args.time_limit
            t0 = time.perf_counter()
            for c in clients:
                c.start()
            driver.start()
            for c in clients:
                c.join(self.args.time_limit + 60)
            self.wall = time.perf_counter() - t0
            driver.stop.set()
            driver.join(120)
            self.settle(driver)
            self.server_retries = server.server_retries()
        finally:
            server.stop()
        self.clients, self.driver = clients, driver
        self.created_ids = [i for c in clients for i in c.created]
        self.deleted_ids = [i for c in clients for i in c.deleted]
        self.manual_applies = driver.applied
        with pg_connect(self.db) as conn, conn.cursor() as cr:
            self.problems = [e for c in clients for e in c.errors] + driver.errors + verify(cr, self)
        return not self.problems

    def ex(self, model, method, *args, **kw):
        proxy = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args), kw)

    def prepare(self):
        tag = f"Loadtest w{self.workers} {time.strftime('%H:%M:%S')}"
        second = self.ex("res.company", "search", [("name", "=", "Loadtest Company B")]) or \
            [self.ex("res.company", "create", {"name": "Loadtest Company B"})]
        main_company = self.ex("res.users", "read", [self.uid], ["company_id"])[0]["company_id"][0]
        self.ex("res.users", "write", [self.uid], {"company_ids": [(4, second[0])]})
        self.company_ids = [main_company, second[0]]
        officer = self.ex("ir.model.data", "search_read", [("module", "=", "customer_relationship"),
                                                           ("name", "=", "group_privacy_officer")], ["res_id"])
        self.ex("res.users", "write", [self.uid], {"groups_id": [(4, officer[0]["res_id"])]})
        self.pipeline_id = self.ex("relationship.pipeline", "create", {"name": tag})
        self.stage_ids = [self.ex("relationship.stage", "create", {"name": f"S{i}", "sequence": i,
                                                                    "pipeline_id": self.pipeline_id}) for i in range(4)]
        # a fifth companies, the rest their contacts (counted for their company too) and individuals
        n = self.args.partners
        companies = self.ex("res.partner", "create", [{"name": f"{tag} C{i}", "is_company": True}
                                                      for i in range(n // 5)])
        people = self.ex("res.partner", "create", [{"name": f"{tag} P{i}", "parent_id": companies[i % len(companies)]
                                                    if i % 4 else False} for i in range(n - len(companies))])
        self.partner_ids = companies + people
        self.membership_ids = self.ex("relationship.pipeline.membership", "create", [
            {"partner_id": pid, "pipeline_id": self.pipeline_id} for pid in self.partner_ids])
        self.rule_id = self.create_rule(tag)
        # nothing is 50 years old: each run of the rule only writes its destruction record
        self.retention_rule_id = self.ex("gdpr.retention.rule", "create", {
            "name": tag, "target": "request", "period_years": 50, "action": "erase"})
        # due within the week: the reminder cron owes exactly one reminder
        self.request_id = self.ex("gdpr.request", "create", {
            "requester_name": tag, "partner_id": people[0], "request_type": "access", "user_id": self.uid,
            "date_received": (datetime.utcnow() - timedelta(days=27)).strftime("%Y-%m-%d")})
        data = self.ex("ir.model.data", "search_read", [("module", "=", "customer_relationship"),
                                                        ("model", "=", "ir.cron")], ["name", "res_id"])
        self.recompute_action = self.ex("ir.model.data", "search_read", [
            ("module", "=", "customer_relationship"), ("name", "=", "action_rfm_recompute_now")],
            ["res_id"])[0]["res_id"]
        self.cron_ids = {d["name"].removeprefix("ir_cron_"): d["res_id"] for d in data}
        # Every active cron is due now, so the two cron threads work during the load.
        self.started = datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
        self.log_offset = os.path.getsize(self.logfile)  # the crons' runs are counted from here
        crons = self.ex("ir.cron", "search", [("active", "=", True)])
        self.ex("ir.cron", "write", crons, {"nextcall": datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")})

    def create_rule(self, tag):
        """Meetings move the run's partners to S3: the rule's SQL moves race the clients' moves."""
        model = self.ex("ir.model", "search", [("model", "=", "relationship.interaction")])[0]
        field_ids = {f["name"]: f["id"] for f in self.ex("ir.model.fields", "search_read", [
            ("model_id", "=", model), ("name", "in", ["partner_id", "date"])], ["name"])}
        return self.ex("relationship.stage.rule", "create", {
            "name": tag, "stage_id": self.stage_ids[3], "kind": "enter", "model_id": model,
            "domain": repr([("partner_id", "in", self.partner_ids), ("channel", "=", "meeting")]),
            "partner_field_id": field_ids["partner_id"], "date_field_id": field_ids["date"]})

    def settle(self, driver):
        """Wait (at most five minutes) until every cron of the addon has run since the start and none runs."""
        for _i in range(300):
            crons = self.ex("ir.cron", "read", list(self.cron_ids.values()), ["lastcall"])
            if all(c["lastcall"] and c["lastcall"] >= self.started for c in crons):
                try:  # refused while one of them runs
                    self.ex("ir.cron", "write", list(self.cron_ids.values()), {"active": True})
                    return
                except xmlrpc.client.Fault:
                    pass
            time.sleep(1)
        driver.errors.append("the crons of the addon had not all run, or one still ran, five minutes after the load")

    def figures(self):
        lat = sorted(x for c in self.clients for x in c.latencies)
        calls = len(lat)
        p95 = lat[min(calls - 1, int(0.95 * calls))] * 1000 if calls else float("nan")
        cron_ok = sum(r["ok"] for r in self.cron_runs.values()) if hasattr(self, "cron_runs") else None
        cron_failed = sum(r["failed"] for r in self.cron_runs.values()) if hasattr(self, "cron_runs") else None
        return {
            "interactions": len(self.created_ids), "edits": sum(c.edits for c in self.clients),
            "deletes": len(self.deleted_ids), "stage moves": sum(c.moves for c in self.clients),
            "rule moves": getattr(self, "rule_moves", None), "history rows": getattr(self, "history_rows", None),
            "calls": calls, "wall (s)": round(self.wall, 1), "calls/s": round(calls / self.wall, 1),
            "interactions/s": round(len(self.created_ids) / self.wall, 1),
            "p50 (ms)": round(lat[calls // 2] * 1000) if calls else None, "p95 (ms)": round(p95),
            "client retries": sum(c.retries for c in self.clients), "server retries": self.server_retries,
            "rule applied": self.driver.applied, "rule runs": getattr(self, "rule_runs", None),
            "crons by hand": self.driver.triggered,
            "rfm recomputed": self.driver.recomputed, "retention run": self.driver.retained,
            "refused (busy)": self.driver.refused, "cron runs ok": cron_ok, "cron runs failed": cron_failed,
            "cadence reminders": getattr(self, "cadence_reminders", None), "problems": len(self.problems),
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
    print("\ncron runs finished/rolled back (cron threads and Run Manually)")
    for name in runs[0].cron_runs:
        print(f"{name[:30]:<30}" + "".join(
            f"{str(r.cron_runs[name]['ok']) + '/' + str(r.cron_runs[name]['failed']):>16}" for r in runs))
    ok = all(not r.problems for r in runs)
    print("\nloadtest %s" % ("PASSED" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
