"""The SQL of the stage rules (relationship_stage_rule.py): each statement covers every partner at once.

Kept beside the model so that the model reads as the rules' story and this file as their arithmetic. The
moves of a rule are first collected in the temporary table cr_rule_moves (membership_id, partner_id,
from_stage_id, day), then written with a few statements: history rows closed, memberships moved, new
memberships and every new history row added, the lifecycle flags of partners in several lifecycles ranked.
"""
from odoo.tools import SQL

# pg_try_advisory_xact_lock(LOCK_CLASS, pipeline id): one run of a pipeline's rules at a time
LOCK_CLASS = 180018


def _forward_only(rule, stage_alias):
    """Whether a move from the stage ``stage_alias`` to the rule's stage is allowed by the pipeline."""
    stage = rule.stage_id
    if not rule.pipeline_id.forward_only:
        return SQL("TRUE")
    return SQL("(%s.sequence, %s.id) < (%s, %s)", SQL.identifier(stage_alias), SQL.identifier(stage_alias),
               stage.sequence, stage.id)


def _may_join(rule):
    """Which partners a rule may add to its pipeline: active, of the pipeline's company (or shared), and for
    the shared lifecycle pipeline not of a company that has a lifecycle pipeline of its own."""
    pipeline = rule.pipeline_id
    conditions = [SQL("p.active")]
    if pipeline.company_id:
        conditions.append(SQL("(p.company_id = %s OR p.company_id IS NULL)", pipeline.company_id.id))
    elif pipeline.is_lifecycle:
        conditions.append(SQL("""NOT EXISTS (SELECT 1 FROM relationship_pipeline o WHERE o.is_lifecycle
                                  AND o.active AND o.company_id = p.company_id AND o.id != %s)""", pipeline.id))
    return SQL(" AND ").join(conditions)


def enter_moves(rule, events, now):
    """Partners with a record move to the rule's stage on the day of their first record since they entered
    their current stage (so a manual move is not undone by older records); partners not yet in the pipeline
    join it on the day of their first record. Partners whose processing is restricted (GDPR) stay put."""
    stage = rule.stage_id
    return SQL("""
        WITH ev AS MATERIALIZED (%(events)s)
        SELECT m.id AS membership_id, m.partner_id, m.stage_id AS from_stage_id, MIN(ev.day) AS day
          FROM relationship_pipeline_membership m
          JOIN relationship_stage s ON s.id = m.stage_id
          JOIN res_partner p ON p.id = m.partner_id
          JOIN ev ON ev.partner_id = m.partner_id
                 AND ev.day >= COALESCE(m.date_stage_entered, '-infinity'::timestamp) AND ev.day <= %(now)s
         WHERE m.pipeline_id = %(pipeline)s AND m.active AND m.stage_id != %(stage)s
           AND p.gdpr_restricted IS NOT TRUE AND %(forward)s
         GROUP BY m.id
        UNION ALL
        SELECT NULL, ev.partner_id, NULL, MIN(ev.day)
          FROM ev JOIN res_partner p ON p.id = ev.partner_id
         WHERE ev.day <= %(now)s AND p.gdpr_restricted IS NOT TRUE AND %(may_join)s
           AND NOT EXISTS (SELECT 1 FROM relationship_pipeline_membership o
                            WHERE o.partner_id = ev.partner_id AND o.pipeline_id = %(pipeline)s)
         GROUP BY ev.partner_id
    """, events=events, now=now, pipeline=rule.pipeline_id.id, stage=stage.id, forward=_forward_only(rule, "s"),
        may_join=_may_join(rule))


def inactivity_moves(rule, events, now):
    """Partners of the rule's "from" stages whose last record (or entry into their stage, if later) is
    older than the rule's days move to its stage on the day they became inactive."""
    inactive_since = SQL("GREATEST(COALESCE(m.date_stage_entered, '-infinity'::timestamp), last.day)")
    return SQL("""
        WITH last AS (SELECT partner_id, MAX(day) AS day FROM (%(events)s) ev GROUP BY partner_id)
        SELECT m.id AS membership_id, m.partner_id, m.stage_id AS from_stage_id,
               %(since)s + %(days)s * INTERVAL '1 day' AS day
          FROM relationship_pipeline_membership m
          JOIN relationship_stage s ON s.id = m.stage_id
          JOIN res_partner p ON p.id = m.partner_id
          LEFT JOIN last ON last.partner_id = m.partner_id
         WHERE m.pipeline_id = %(pipeline)s AND m.active AND m.stage_id != %(stage)s
           AND m.stage_id IN %(from_stages)s AND m.date_stage_entered IS NOT NULL
           AND %(since)s + %(days)s * INTERVAL '1 day' <= %(now)s
           AND p.gdpr_restricted IS NOT TRUE AND %(forward)s
    """, events=events, since=inactive_since, days=rule.inactivity_days, now=now, pipeline=rule.pipeline_id.id,
        stage=rule.stage_id.id, from_stages=tuple(rule.from_stage_ids.ids), forward=_forward_only(rule, "s"))


def write_moves(cr, rule, uid, now):
    """Write the moves of cr_rule_moves: four statements whatever the number of partners."""
    stage = rule.stage_id
    target = {"stage": stage.id, "seq": stage.sequence, "type": stage.stage_type, "pipeline": rule.pipeline_id.id,
              "rule": rule.id, "uid": uid, "now": now, "sla": stage.sla_days or 0}
    # the rows of the stages left end on the move's day; whether the partner went on is decided as by a manual move
    cr.execute(SQL("""
        UPDATE relationship_stage_history h
           SET date_leave = mv.day, next_stage_id = %(stage)s,
               progressed = (%(type)s != 'lost' AND (%(seq)s, %(stage)s) > (hs.sequence, hs.id)),
               moved_to_lost = (%(type)s = 'lost'), date_stale = NULL,
               duration_days = ROUND((EXTRACT(EPOCH FROM mv.day - h.date_enter) / 86400.0)::numeric, 2),
               write_uid = %(uid)s, write_date = %(now)s
          FROM cr_rule_moves mv, relationship_stage hs
         WHERE h.membership_id = mv.membership_id AND h.date_leave IS NULL AND hs.id = h.stage_id
    """, **target))
    cr.execute(SQL("""
        UPDATE relationship_pipeline_membership m
           SET stage_id = %(stage)s, stage_type = %(type)s, date_stage_entered = mv.day,
               write_uid = %(uid)s, write_date = %(now)s
          FROM cr_rule_moves mv WHERE m.id = mv.membership_id
    """, **target))
    # new memberships and every history row in one statement: the moved memberships' rows from the moves,
    # the new ones' first rows from what the insert returns (make bench, P18: no second pass over the moves)
    cr.execute(SQL("""
        WITH added AS (
            INSERT INTO relationship_pipeline_membership
                   (partner_id, pipeline_id, stage_id, stage_type, is_lifecycle, is_current_lifecycle, active,
                    priority, company_id, date_entered, date_stage_entered,
                    create_uid, create_date, write_uid, write_date)
            SELECT mv.partner_id, %(pipeline)s, %(stage)s, %(type)s, %(lifecycle)s,
                   %(lifecycle)s AND NOT EXISTS (SELECT 1 FROM relationship_pipeline_membership o
                                                  WHERE o.partner_id = mv.partner_id AND o.active AND o.is_lifecycle),
                   TRUE, '0', p.company_id, mv.day, mv.day, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM cr_rule_moves mv JOIN res_partner p ON p.id = mv.partner_id
             WHERE mv.membership_id IS NULL
            RETURNING id, partner_id, company_id, date_stage_entered
        )
        INSERT INTO relationship_stage_history
               (membership_id, partner_id, pipeline_id, stage_id, stage_type, stage_sequence, previous_stage_id,
                date_enter, date_stale, duration_days, progressed, moved_to_lost, rule_id, company_id,
                create_uid, create_date, write_uid, write_date)
        SELECT moved.membership_id, moved.partner_id, %(pipeline)s, %(stage)s, %(type)s, %(seq)s,
               moved.from_stage_id, moved.day,
               CASE WHEN %(sla)s > 0 THEN moved.day + %(sla)s * INTERVAL '1 day' END,
               0, FALSE, FALSE, %(rule)s, moved.company_id,
               %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM (SELECT mv.membership_id, mv.partner_id, mv.from_stage_id, mv.day, p.company_id
                  FROM cr_rule_moves mv JOIN res_partner p ON p.id = mv.partner_id
                 WHERE mv.membership_id IS NOT NULL
                UNION ALL
                SELECT a.id, a.partner_id, NULL, a.date_stage_entered, a.company_id FROM added a) moved
    """, lifecycle=bool(rule.pipeline_id.is_lifecycle), **target))
    if rule.pipeline_id.is_lifecycle:
        _refresh_lifecycle_flags(rule)


def _refresh_lifecycle_flags(rule):
    """The new memberships were flagged as their partners' lifecycle stage when they had no other one; the
    partners with several lifecycle memberships (a move changes their order) are ranked again."""
    rule.env["relationship.pipeline.membership"]._refresh_current_lifecycle(SQL("""
        (SELECT m.partner_id FROM relationship_pipeline_membership m
          WHERE m.partner_id IN (SELECT partner_id FROM cr_rule_moves) AND m.active AND m.is_lifecycle
          GROUP BY m.partner_id HAVING COUNT(*) > 1)"""))
