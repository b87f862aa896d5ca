"""The lost-write and duplicate checks of make loadtest (dev/loadtest.py), read straight from the database.

Each check concerns only what the run created (its pipeline, partners, rule and privacy request) and
returns a list of problems; an empty list everywhere is the run's pass.
"""
import re

# Odoo's ir_cron log lines: "Job 'name' (id) starting" / "started manually", "... done in 0.1s", "... done"
# (Run Manually), "... server action #n failed"
CRON_LINE = re.compile(r"Job .* \((\d+)\) (starting|started manually|done in|done\s*$|server action #\d+ failed)")


def cron_log(logfile, offset):
    """The runs of each cron logged after ``offset`` (bytes: the end of the run's preparation) and the skips of
    pipelines' rules: ({cron id: {"ok": finished, "failed": rolled back, "before": still running at offset}},
    {pipeline id: skips}). A run still running at the offset may have started before the run's records existed."""
    runs, skipped = {}, {}
    with open(logfile, "rb") as f:
        head, tail = f.read(offset), f.read()
    cut = tail.find(b"\n") + 1  # a line being written at the offset belongs to the part before it
    head, tail = head + tail[:cut], tail[cut:]
    for part, text in (("before", head), ("after", tail)):
        for line in text.decode("utf-8", "replace").splitlines():
            match = CRON_LINE.search(line)
            if match:
                entry = runs.setdefault(int(match[1]), {"ok": 0, "failed": 0, "before": 0})
                if part == "before":  # started minus ended: still running at the offset
                    entry["before"] += 1 if match[2].startswith("start") else -1
                elif not match[2].startswith("start"):
                    entry["failed" if match[2].endswith("failed") else "ok"] += 1
            skip = re.search(r"Stage rules of pipeline (\d+) skipped", line)
            if skip and part == "after":
                skipped[int(skip[1])] = skipped.get(int(skip[1]), 0) + 1
    return runs, skipped


def check_interactions(cr, run):
    """Every interaction created and not deleted is there, with exactly one chatter message that matches it."""
    problems = []
    cr.execute("SELECT id FROM relationship_interaction WHERE commercial_partner_id = ANY(%s)", [run.partner_ids])
    found = {row[0] for row in cr.fetchall()}
    expected = set(run.created_ids) - set(run.deleted_ids)
    if found != expected:
        problems.append(f"{len(found)} interactions instead of {len(expected)}: "
                        f"{len(expected - found)} lost, {len(found - expected)} not expected")
    cr.execute("""SELECT i.id, count(m.id), bool_and(m.model = 'res.partner' AND m.res_id = i.partner_id
                                                     AND m.date = i.date)
                    FROM relationship_interaction i
                    LEFT JOIN mail_message m ON m.relationship_interaction_id = i.id
                   WHERE i.id = ANY(%s) GROUP BY i.id""", [list(found)])
    for iid, count, matching in cr.fetchall():
        if count != 1 or not matching:
            problems.append(f"interaction {iid}: {count} chatter messages (matching its partner and date: {matching})")
    cr.execute("SELECT count(*) FROM mail_message WHERE relationship_interaction_id = ANY(%s)", [run.deleted_ids])
    if cr.fetchone()[0]:
        problems.append("chatter messages of deleted interactions remain")
    return problems


def check_partner_stats(cr, run):
    """relationship_partner_stat equals a recount per partner and company (a company counts its contacts)."""
    cr.execute("""SELECT partner_id, COALESCE(company_id, 0), interaction_count, last_interaction_date
                    FROM relationship_partner_stat WHERE partner_id = ANY(%s)""", [run.partner_ids])
    stored = {(p, c): (n, last) for p, c, n, last in cr.fetchall()}
    cr.execute("""SELECT owner, COALESCE(company_id, 0), count(*), max(date)
                    FROM (SELECT commercial_partner_id AS owner, company_id, date FROM relationship_interaction
                           WHERE commercial_partner_id = ANY(%(ids)s)
                          UNION ALL
                          SELECT partner_id, company_id, date FROM relationship_interaction
                           WHERE partner_id = ANY(%(ids)s) AND partner_id != commercial_partner_id) i
                   GROUP BY 1, 2""", {"ids": run.partner_ids})
    recount = {(p, c): (n, last) for p, c, n, last in cr.fetchall()}
    problems = [f"statistics of partner {key[0]}, company {key[1]}: stored {stored.get(key)}, "
                f"recount {recount.get(key)}"
                for key in sorted(set(stored) | set(recount)) if stored.get(key) != recount.get(key)]
    companies = {key[1] for key in recount}
    if len(companies) < 2:
        problems.append(f"the interactions have {len(companies)} company: the per-company rows were not exercised")
    return problems


def check_history(cr, run):
    """One open history row per membership, the membership's stage; each row left when the next entered."""
    problems = []
    cr.execute("""SELECT partner_id, stage_id, date_enter, date_leave FROM relationship_stage_history
                   WHERE partner_id = ANY(%s) AND pipeline_id = %s ORDER BY partner_id, date_enter, id""",
               [run.partner_ids, run.pipeline_id])
    chains = {}
    for pid, stage, enter, leave in cr.fetchall():
        chains.setdefault(pid, []).append((stage, enter, leave))
    cr.execute("SELECT partner_id, stage_id, date_stage_entered FROM relationship_pipeline_membership "
               "WHERE pipeline_id = %s AND partner_id = ANY(%s)", [run.pipeline_id, run.partner_ids])
    for pid, stage, entered in cr.fetchall():
        rows = chains.get(pid, [])
        open_rows = [r for r in rows if r[2] is None]
        if len(open_rows) != 1 or rows[-1][2] is not None:
            problems.append(f"partner {pid}: {len(open_rows)} open history rows (the last must be the only one)")
        for prev, nxt in zip(rows, rows[1:], strict=False):
            if prev[2] != nxt[1]:
                problems.append(f"partner {pid}: date_leave {prev[2]} != next date_enter {nxt[1]}")
        if rows and (rows[-1][0] != stage or rows[-1][1] != entered):
            problems.append(f"partner {pid}: open row is not the partner's stage and entry date")
    run.history_rows = sum(len(c) for c in chains.values())
    # the funnel summary, appended to by triggers in every writing transaction, equals a recount of the rows
    cr.execute("""SELECT stage_id, SUM(entered), SUM(progressed), SUM(lost), SUM(open_count)
                    FROM relationship_funnel_summary WHERE pipeline_id = %s
                   GROUP BY stage_id HAVING SUM(entered) != 0 ORDER BY stage_id""", [run.pipeline_id])
    summary = [tuple(row) for row in cr.fetchall()]
    cr.execute("""SELECT stage_id, COUNT(*), COUNT(*) FILTER (WHERE progressed), COUNT(*) FILTER (WHERE moved_to_lost),
                         COUNT(*) FILTER (WHERE date_leave IS NULL)
                    FROM relationship_stage_history WHERE pipeline_id = %s GROUP BY stage_id ORDER BY stage_id""",
               [run.pipeline_id])
    recount = [tuple(row) for row in cr.fetchall()]
    if summary != recount:
        problems.append(f"funnel summary {summary} != recount of the history rows {recount}")
    cr.execute("SELECT count(*) FROM relationship_stage_history WHERE rule_id = %s", [run.rule_id])
    run.rule_moves = cr.fetchone()[0]
    return problems


def check_crons(cr, run):
    """Every cron of the addon finished at least once; the stage rule logged one run per application."""
    problems = []
    runs, skipped = cron_log(run.logfile, run.log_offset)
    run.cron_runs = {name: runs.get(cron_id, {"ok": 0, "failed": 0, "before": 0})
                     for name, cron_id in run.cron_ids.items()}
    for name, counts in run.cron_runs.items():
        if not counts["ok"]:
            problems.append(f"cron {name} never finished during the run ({counts['failed']} failed)")
    # A skip may belong to an attempt that failed later and was retried, a run running at the offset may not
    # see the rule: the finished runs bound the count.
    finished = run.cron_runs["stage_rules_apply"]["ok"]
    at_least = finished - skipped.get(run.pipeline_id, 0) - run.cron_runs["stage_rules_apply"]["before"]
    cr.execute("""SELECT trigger, count(*), count(DISTINCT create_date) FROM relationship_stage_rule_run
                   WHERE rule_id = %s GROUP BY 1""", [run.rule_id])
    logged = {trigger: (count, transactions) for trigger, count, transactions in cr.fetchall()}
    cron_logged, cron_transactions = logged.get("cron", (0, 0))
    if not at_least <= cron_logged <= finished:
        problems.append(f"stage rule: {cron_logged} cron runs logged for {finished} finished cron runs, "
                        f"{skipped.get(run.pipeline_id, 0)} of which skipped the pipeline")
    if logged.get("manual", (0, 0))[0] != run.manual_applies:
        problems.append(f"stage rule: {logged.get('manual', (0, 0))[0]} manual runs logged for "
                        f"{run.manual_applies} applied")
    # one row per rule and application: a transaction (its create_date) never logs the rule twice
    if cron_logged != cron_transactions or logged.get("manual", (0, 0))[0] != logged.get("manual", (0, 0))[1]:
        problems.append("stage rule: a run logged twice in one transaction")
    cr.execute("""SELECT count(*) FROM (SELECT 1 FROM relationship_stage_history WHERE rule_id = %s
                                         GROUP BY membership_id, create_date HAVING count(*) > 1) d""", [run.rule_id])
    if cr.fetchone()[0]:
        problems.append("stage rule: a partner moved twice by one application")
    run.rule_runs = cron_logged + logged.get("manual", (0, 0))[0]
    return problems


def check_retention(cr, run):
    """One destruction record per run of the retention rule, never two in one transaction."""
    problems = []
    cr.execute("""SELECT trigger, count(*), count(DISTINCT create_date) FROM gdpr_destruction_record
                   WHERE rule_id = %s GROUP BY 1""", [run.retention_rule_id])
    records = {trigger: (count, transactions) for trigger, count, transactions in cr.fetchall()}
    if records.get("manual", (0, 0))[0] != run.driver.retained:
        problems.append(f"retention: {records.get('manual', (0, 0))[0]} manual records for {run.driver.retained} runs")
    if records.get("cron", (0, 0))[0] > run.cron_runs["gdpr_retention"]["ok"]:
        problems.append(f"retention: {records['cron'][0]} cron records for "
                        f"{run.cron_runs['gdpr_retention']['ok']} finished cron runs")
    if any(count != transactions for count, transactions in records.values()):
        problems.append("retention: two destruction records of the rule in one transaction")
    return problems


def check_cron_outputs(cr, run):
    """No duplicate of what the crons write: reminders, segment transitions."""
    problems = []
    cr.execute("""SELECT a.res_id, count(*) FROM mail_activity a
                    JOIN ir_model_data d ON d.model = 'mail.activity.type' AND d.res_id = a.activity_type_id
                         AND d.module = 'customer_relationship' AND d.name = 'mail_activity_type_contact_customer'
                   WHERE a.res_model = 'res.partner' AND a.res_id = ANY(%s) GROUP BY 1""", [run.partner_ids])
    reminded = dict(cr.fetchall())
    run.cadence_reminders = len(reminded)
    problems += [f"partner {pid}: {n} contact reminders" for pid, n in reminded.items() if n > 1]
    cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'gdpr.request' AND res_id = %s",
               [run.request_id])
    if cr.fetchone()[0] != 1:
        problems.append("the privacy request due soon does not have exactly one reminder")
    cr.execute("""SELECT t.partner_id, array_agg(t.segment_from ORDER BY t.id), array_agg(t.segment_to ORDER BY t.id),
                         (SELECT s.segment FROM relationship_rfm_score s WHERE s.partner_id = t.partner_id)
                    FROM relationship_segment_transition t WHERE t.partner_id = ANY(%s) GROUP BY 1""",
               [run.partner_ids])
    for pid, froms, tos, segment in cr.fetchall():
        if froms[0] is not None or any(a != b for a, b in zip(tos, froms[1:], strict=False)) or tos[-1] != segment:
            problems.append(f"partner {pid}: segment transitions {list(zip(froms, tos, strict=True))}, score {segment}")
    return problems


def verify(cr, run):
    return [*check_interactions(cr, run), *check_partner_stats(cr, run), *check_history(cr, run),
            *check_crons(cr, run), *check_retention(cr, run), *check_cron_outputs(cr, run)]
