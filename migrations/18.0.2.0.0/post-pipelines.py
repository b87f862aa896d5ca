"""Pipelines as processes (issue 15): each partner's pipeline, stage and history become memberships.

- the partner's current pipeline and stage become an active membership (owner: the salesperson);
- every other pipeline found in its history becomes a removed (archived) membership in its last stage;
- history rows are linked to their membership, carry the partner's company and the stage's order, and
  a move to a lost stage no longer counts as going on;
- partners' lifecycle stage is recomputed from the lifecycle memberships;
- a contact cadence equal to the default setting (written into every partner at install) is cleared,
  so the partner follows the setting.
"""
from odoo import SUPERUSER_ID
from odoo import api

MEMBERSHIP_COLUMNS = """
    partner_id, pipeline_id, stage_id, stage_type, is_lifecycle, active, user_id, priority, company_id,
    date_entered, date_stage_entered, create_uid, create_date, write_uid, write_date
"""


def _create_memberships(cr):
    cr.execute(f"""
        INSERT INTO relationship_pipeline_membership ({MEMBERSHIP_COLUMNS})
        SELECT p.id, s.pipeline_id, s.id, s.stage_type, COALESCE(pl.is_lifecycle, FALSE), TRUE, p.user_id, '0',
               p.company_id,
               (SELECT MIN(h.date_enter) FROM relationship_stage_history h
                 WHERE h.partner_id = p.id AND h.pipeline_id = s.pipeline_id),
               p.date_stage_entered, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
          FROM res_partner p
          JOIN relationship_stage s ON s.id = p.cr_migrated_stage_id
          JOIN relationship_pipeline pl ON pl.id = s.pipeline_id
         WHERE NOT EXISTS (SELECT 1 FROM relationship_pipeline_membership m
                            WHERE m.partner_id = p.id AND m.pipeline_id = s.pipeline_id)
    """, {"uid": SUPERUSER_ID})
    # pipelines the partner left: removed memberships, in the last stage it had there
    cr.execute(f"""
        INSERT INTO relationship_pipeline_membership ({MEMBERSHIP_COLUMNS})
        SELECT DISTINCT ON (h.partner_id, h.pipeline_id)
               h.partner_id, h.pipeline_id, h.stage_id, s.stage_type, COALESCE(pl.is_lifecycle, FALSE), FALSE,
               NULL, '0', p.company_id, NULL, h.date_enter,
               %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
          FROM relationship_stage_history h
          JOIN res_partner p ON p.id = h.partner_id
          JOIN relationship_stage s ON s.id = h.stage_id
          JOIN relationship_pipeline pl ON pl.id = h.pipeline_id
         WHERE NOT EXISTS (SELECT 1 FROM relationship_pipeline_membership m
                            WHERE m.partner_id = h.partner_id AND m.pipeline_id = h.pipeline_id)
         ORDER BY h.partner_id, h.pipeline_id, h.date_enter DESC, h.id DESC
    """, {"uid": SUPERUSER_ID})
    cr.execute("""
        UPDATE relationship_pipeline_membership m
           SET date_entered = (SELECT MIN(h.date_enter) FROM relationship_stage_history h
                                WHERE h.partner_id = m.partner_id AND h.pipeline_id = m.pipeline_id)
         WHERE m.date_entered IS NULL
    """)


def _update_history(cr):
    cr.execute("""
        UPDATE relationship_stage_history h
           SET membership_id = m.id
          FROM relationship_pipeline_membership m
         WHERE h.membership_id IS NULL AND m.partner_id = h.partner_id AND m.pipeline_id = h.pipeline_id
    """)
    cr.execute("""
        UPDATE relationship_stage_history h
           SET company_id = p.company_id
          FROM res_partner p
         WHERE p.id = h.partner_id AND h.company_id IS DISTINCT FROM p.company_id
    """)
    cr.execute("""
        UPDATE relationship_stage_history h
           SET stage_sequence = s.sequence
          FROM relationship_stage s
         WHERE s.id = h.stage_id AND h.stage_sequence IS NULL
    """)
    cr.execute("""
        UPDATE relationship_stage_history h
           SET moved_to_lost = (n.stage_type = 'lost'),
               progressed = h.progressed AND n.stage_type != 'lost'
          FROM relationship_stage n
         WHERE n.id = h.next_stage_id
    """)


def _keep_history_of_reloaded_demo(cr):
    """A demo database reloads its demo data before this script, so the demo memberships already exist,
    each with the row its creation logged. The partners' real history replaces those rows."""
    cr.execute("""
        DELETE FROM relationship_stage_history n
         WHERE n.membership_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM relationship_stage_history o
                        WHERE o.membership_id IS NULL AND o.partner_id = n.partner_id
                          AND o.pipeline_id = n.pipeline_id)
    """)


def _align_memberships(cr):
    """Each membership's stage and dates follow its history: the open row, and the first entry."""
    cr.execute("""
        UPDATE relationship_pipeline_membership m
           SET stage_id = h.stage_id, stage_type = s.stage_type, date_stage_entered = h.date_enter
          FROM relationship_stage_history h
          JOIN relationship_stage s ON s.id = h.stage_id
         WHERE h.membership_id = m.id AND h.date_leave IS NULL
    """)
    cr.execute("""
        UPDATE relationship_pipeline_membership m
           SET date_entered = f.first
          FROM (SELECT membership_id, MIN(date_enter) AS first FROM relationship_stage_history
                 GROUP BY membership_id) f
         WHERE f.membership_id = m.id
    """)


def migrate(cr, version):
    _keep_history_of_reloaded_demo(cr)
    _create_memberships(cr)
    _update_history(cr)
    _align_memberships(cr)
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    cr.execute("""
        SELECT id FROM res_partner WHERE relationship_stage_id IS NOT NULL OR cr_migrated_stage_id IS NOT NULL
        UNION SELECT partner_id FROM relationship_pipeline_membership
    """)
    partners = env["res.partner"].browse([row[0] for row in cr.fetchall()])
    env.add_to_compute(partners._fields["relationship_stage_id"], partners)
    env.flush_all()
    cr.execute("ALTER TABLE res_partner DROP COLUMN cr_migrated_stage_id")
    cadence = env["ir.config_parameter"].get_param("customer_relationship.default_cadence_days", "30")
    if cadence.isdigit():
        cr.execute("UPDATE res_partner SET contact_cadence_days = 0 WHERE contact_cadence_days = %s",
                   (int(cadence),))
