"""Builds the bench database for `make bench` (run by dev/bench.sh, once per addon version).

A small, consistent seed is written through the ORM (100 partners, 1,000 interactions, 300 stage-history
rows), then Odoo 18's populate framework (odoo.tools.populate, what `odoo-bin populate` runs) copies it
scale / 100 - 1 times: at --scale 100000, 100,000 partners, 1,000,000 interactions, 300,000 history rows;
--scale 10000 and 1000000 keep the same proportions. Populate shifts every date of
copy n by the same number of days and remaps partner_id to partner copy n, so each copy keeps its seed's
history chain and last-contact date. The copies' shifts are spread over SPREAD_DAYS at every scale, so the
share of the data in a date window (the last 90 days of P7) is the same at every scale. Then the fixtures
of P1-P7 are added through the ORM; they stay the same size at every scale.
"""
import argparse
import random
import time
from datetime import date
from datetime import datetime
from datetime import timedelta

import psycopg2

import odoo
from odoo.tools import config
from odoo.tools import populate as odoo_populate
from odoo.tools.populate import populate_models
from odoo.tools.sql import SQL

SEED_PARTNERS = 100
SEED_INTERACTIONS = 1000
SEED_HISTORY = 300
GOALS = 1000
PERSON_RECORDS = 10000
CHANNELS = ["phone", "email", "meeting", "visit"]
IDENTITY_METHOD = "email_confirmation"
# Odoo spreads the copies over min(factor, ~5 years) days: 99 days at 10,000 partners, 999 at 100,000 and
# about 1,800 at 1,000,000, which changes the share of rows in the last 90 days with the scale. 999 days
# at every scale keeps the 100,000 database as it was built before scales existed.
SPREAD_DAYS = 999
# index rebuilds after populate and on 10,000,000 interactions: the server default (64 MB) spills to disk
MAINTENANCE_WORK_MEM = "1GB"


def log(message, *args):
    print(f"[bench build] {message % args}", flush=True)


def seed_partners(env, rng):
    Partner = env["res.partner"].with_context(relationship_no_pipeline=True, tracking_disable=True)
    existing = Partner.with_context(active_test=False).search_count([])
    count = SEED_PARTNERS - existing
    cities = ["Istanbul", "Ankara", "Izmir", "Bursa", "Antalya", "Konya"]
    return Partner.create([{
        "name": f"Bench Customer {index:03d}",
        "is_company": index % 3 == 0,
        "email": f"customer{index:03d}@bench.example",
        "phone": f"+90 212 555 {index:04d}",
        "city": rng.choice(cities),
    } for index in range(count)])


def seed_history(env, rng, partners, now):
    """SEED_HISTORY rows: every partner walks 3 or 4 stages of the lifecycle over the last year."""
    pipeline = env.ref("customer_relationship.pipeline_customer_lifecycle")
    stages = pipeline.stage_ids.sorted(lambda s: (s.sequence, s.id))
    opening = [s for s in stages if s.stage_type not in ("customer", "lost")]
    closing = [s for s in stages if s.stage_type in ("customer", "lost")]
    lengths = [3] * len(partners)
    for index in range(SEED_HISTORY - 3 * len(partners)):
        lengths[index] += 1
    paths = []
    for _partner, length in zip(partners, lengths, strict=True):
        path = sorted(rng.sample(opening, length - 1), key=lambda s: (s.sequence, s.id))
        path.append(rng.choice(closing) if rng.random() < 0.8 else rng.choice(opening))
        path.sort(key=lambda s: (s.sequence, s.id))
        paths.append(path)
    # each partner's membership in its last stage; the row its creation logs is replaced by the walk below
    memberships = env["relationship.pipeline.membership"].create([
        {"partner_id": partner.id, "stage_id": path[-1].id} for partner, path in zip(partners, paths, strict=True)])
    memberships.history_ids.unlink()
    rows, dates_of = [], {}
    for membership, path in zip(memberships, paths, strict=True):
        dates = sorted(now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 1440)) for _s in path)
        dates_of[membership.id] = (dates[0], dates[-1])
        for index, stage in enumerate(path):
            nxt = False if index + 1 == len(path) else path[index + 1]
            rows.append({
                "membership_id": membership.id, "partner_id": membership.partner_id.id,
                "pipeline_id": pipeline.id, "stage_id": stage.id, "stage_sequence": stage.sequence,
                "previous_stage_id": path[index - 1].id if index else False,
                "next_stage_id": nxt and nxt.id,
                "progressed": bool(nxt) and nxt.stage_type != "lost",
                "moved_to_lost": bool(nxt) and nxt.stage_type == "lost",
                "date_enter": dates[index], "date_leave": dates[index + 1] if nxt else False,
            })
    env["relationship.stage.history"].create(rows)
    for membership in memberships:
        entered, in_stage = dates_of[membership.id]
        membership.with_context(relationship_move=True).write(
            {"date_entered": entered, "date_stage_entered": in_stage})
    env.flush_all()
    env.invalidate_all()


def seed_interactions(env, rng, partners, now, count, subject="Bench interaction"):
    users = env.ref("base.user_admin")
    vals = [{
        "partner_id": rng.choice(partners).id,
        "date": now - timedelta(days=rng.randint(0, 365), minutes=rng.randint(0, 1440)),
        "channel": rng.choice(CHANNELS),
        "direction": rng.choice(["inbound", "outbound"]),
        "subject": f"{subject} {index}",
        "duration": rng.choice([0.25, 0.5, 1.0]),
        "user_id": users.id,
    } for index in range(count)]
    return env["relationship.interaction"].with_context(tracking_disable=True).create(vals)


def spread_dates(model, field, factor, series_alias):
    """Odoo's date variation of a copy (odoo.tools.populate), over SPREAD_DAYS whatever the factor."""
    if field.company_dependent:
        return ORIGINAL_DATE_VARIATION(model, field, factor, series_alias)
    return SQL("(%(value)s - (%(factor)s - %(series)s) * (%(days)s::float / %(factor)s) * interval '1 days')::%(cast)s",
               value=SQL.identifier(field.name), factor=factor, series=SQL.identifier(series_alias),
               days=SPREAD_DAYS, cast=SQL(field._column_type[1]))


ORIGINAL_DATE_VARIATION = odoo_populate.get_field_variation_date


def populate(env, factor):
    """Each seed row plus ``factor`` copies."""
    # the interaction statistics per company are copied with their partners' interactions
    models = ["res.partner", "relationship.interaction", "relationship.pipeline.membership",
              "relationship.stage.history", "relationship.partner.stat"]
    started = time.time()
    odoo_populate.get_field_variation_date = spread_dates
    try:
        populate_models({env[name]: factor for name in models}, ord("_"))
    finally:
        odoo_populate.get_field_variation_date = ORIGINAL_DATE_VARIATION
    env.flush_all()
    env.invalidate_all()
    log("populate x%s of %s: %.0f s", factor + 1, ", ".join(models), time.time() - started)


def gdpr_person(env, rng, now):
    """A person with PERSON_RECORDS interactions and PERSON_RECORDS e-mails, and a verified access request."""
    person = env["res.partner"].with_context(relationship_no_pipeline=True).create({
        "name": "Bench Data Subject", "email": "subject@bench.example", "phone": "+90 532 000 0000"})
    seed_interactions(env, rng, person, now, PERSON_RECORDS, subject="Call with the subject")
    params = env["ir.config_parameter"].sudo()
    params.set_param("customer_relationship.auto_capture", "False")  # the messages are the other half
    env["mail.message"].create([{
        "model": "res.partner", "res_id": person.id, "message_type": "email",
        "subject": f"Order question {index}", "body": f"<p>Hello, about order {index}.</p>",
        "author_id": person.id, "email_from": "Bench Data Subject <subject@bench.example>",
        "date": now - timedelta(days=index % 700),
    } for index in range(PERSON_RECORDS)])
    params.set_param("customer_relationship.auto_capture", "True")
    request = env["gdpr.request"].create({
        "partner_id": person.id, "requester_name": person.name, "requester_email": person.email,
        "request_type": "access", "identity_method": IDENTITY_METHOD})
    request.action_verify_identity()
    return person, request


def running_periods(today):
    """The month, quarter, half-year and year around today: goals being measured, none closing."""
    month = today.replace(day=1)
    quarter = month.replace(month=3 * ((today.month - 1) // 3) + 1)
    half = month.replace(month=1 if today.month <= 6 else 7)

    def end(start, months):
        year, month_index = divmod(start.month - 1 + months, 12)
        return date(start.year + year, month_index + 1, 1) - timedelta(days=1)
    return [(month, end(month, 1)), (quarter, end(quarter, 3)), (half, end(half, 6)),
            (today.replace(month=1, day=1), today.replace(month=12, day=31))]


def goals(env, rng, today):
    """GOALS running SMART goals on the interaction-count KPI, and the same goals in gamification."""
    kpi = env.ref("customer_relationship.kpi_interaction_count")
    admin = env.ref("base.user_admin")
    periods = [running_periods(today)[index % 4] for index in range(GOALS)]
    targets = [rng.randint(50, 150) * 1000 for _index in range(GOALS)]
    env["relationship.goal"].with_context(tracking_disable=True).create([{
        "name": f"Bench goal {index}", "kpi_id": kpi.id, "target_value": target,
        "date_start": start, "date_deadline": end, "owner_id": admin.id, "state": "active",
        "baseline_value": 0.0, "relevance": "Bench", "description": "Bench",
    } for index, ((start, end), target) in enumerate(zip(periods, targets, strict=True))])
    model = env["ir.model"]._get("relationship.interaction")
    definition = env["gamification.goal.definition"].create({
        "name": "Bench interactions", "computation_mode": "count", "model_id": model.id,
        "field_date_id": env["ir.model.fields"]._get("relationship.interaction", "date").id,
        "domain": "[]", "batch_mode": False,
    })
    env["gamification.goal"].create([{
        "definition_id": definition.id, "user_id": admin.id, "start_date": start, "end_date": end,
        "target_goal": target, "state": "inprogress",
    } for (start, end), target in zip(periods, targets, strict=True)])


def sale_orders(env, count):
    """``count`` confirmed sale orders spread over every bench partner and the last three years (P18).

    One order is made and confirmed through the ORM; the others copy its row by SQL with their own name,
    partner and date: real sale.order rows, which the Customer stage rule reads as in a live database.
    """
    partner = env["res.partner"].search([("name", "=like", "Bench Customer%")], limit=1)
    product = env["product.product"].create({"name": "Bench product", "list_price": 10.0})
    order = env["sale.order"].create({"partner_id": partner.id, "order_line": [
        (0, 0, {"product_id": product.id, "product_uom_qty": 1})]})
    order.action_confirm()
    env.flush_all()
    env.cr.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = 'sale_order' AND column_name NOT IN
                             ('id', 'name', 'partner_id', 'partner_invoice_id', 'partner_shipping_id', 'date_order')""")
    columns = [name for (name,) in env.cr.fetchall()]
    copied = ", ".join(f'"{name}"' for name in columns)
    env.cr.execute(f"""
        WITH partners AS (
            SELECT ARRAY_AGG(p.id ORDER BY p.id) AS ids FROM res_partner p
             WHERE p.name LIKE 'Bench Customer%%' AND p.active
        )
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, date_order, {copied})
        SELECT 'BENCH/' || g, x.pid, x.pid, x.pid,
               NOW() AT TIME ZONE 'UTC' - ((g * 37) %% 1095) * INTERVAL '1 day' - (g %% 1440) * INTERVAL '1 minute',
               {", ".join(f't."{name}"' for name in columns)}
          FROM generate_series(1, %s) g
          CROSS JOIN partners
          CROSS JOIN LATERAL (SELECT partners.ids[1 + (g::bigint * 2654435761 %% ARRAY_LENGTH(partners.ids, 1))]
                                     AS pid) x
          CROSS JOIN (SELECT * FROM sale_order WHERE id = %s) t
    """, (count - 1, order.id))
    fields_of = env["ir.model.fields"]
    env["relationship.stage.rule"].create({
        "name": "Bench confirmed sale", "stage_id": env.ref("customer_relationship.stage_customer").id,
        "model_id": env["ir.model"]._get_id("sale.order"), "domain": "[('state', '=', 'sale')]",
        "partner_field_id": fields_of._get("sale.order", "partner_id").id,
        "date_field_id": fields_of._get("sale.order", "date_order").id})
    log("%s confirmed sale orders", env["sale.order"].search_count([("state", "=", "sale")]))


def build(env, scale):
    rng = random.Random(2026)
    now = datetime.now().replace(microsecond=0)
    started = time.time()
    env.cr.execute(SQL("SET maintenance_work_mem = %s", MAINTENANCE_WORK_MEM))
    partners = seed_partners(env, rng)
    seed_history(env, rng, partners, now)
    seed_interactions(env, rng, partners, now, SEED_INTERACTIONS)
    env.flush_all()
    log("seed: %s partners, %s interactions, %s history rows",
        env["res.partner"].with_context(active_test=False).search_count([]),
        env["relationship.interaction"].search_count([]), env["relationship.stage.history"].search_count([]))
    populate(env, scale // SEED_PARTNERS - 1)
    gdpr_person(env, rng, now)
    goals(env, rng, now.date())
    log("data subject and goals: %.0f s", time.time() - started)
    if "sale.order" in env:
        sale_orders(env, 3 * scale)
        log("sale orders: %.0f s", time.time() - started)
    env.flush_all()
    log("built in %.0f s", time.time() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--scale", type=int, default=100000, help="partners; interactions and history in proportion")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        build(env, args.scale)
    # after a bulk load, autovacuum would otherwise run during the measurements
    _dbname, info = odoo.sql_db.connection_info_for(args.database)
    connection = psycopg2.connect(**info)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        cursor.execute("VACUUM ANALYZE")
    connection.close()


if __name__ == "__main__":
    main()
