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
          JOIN relationship_stage s ON s.id = p.relationship_stage_id
          JOIN relationship_pipeline pl ON pl.id = s.pipeline_id
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
         WHERE m.partner_id = h.partner_id AND m.pipeline_id = h.pipeline_id
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


def _name_demo_memberships(cr):
    """A demo database reloads its demo data on upgrade: the demo partners' migrated memberships get the
    XML ids the new demo file gives them, so the reload updates them instead of creating duplicates."""
    cr.execute("""
        INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
        SELECT 'customer_relationship', 'demo_membership_' || SUBSTRING(d.name FROM 23),
               'relationship.pipeline.membership', m.id, FALSE
          FROM ir_model_data d
          JOIN res_partner p ON p.id = d.res_id
          JOIN relationship_stage s ON s.id = p.relationship_stage_id
          JOIN relationship_pipeline_membership m ON m.partner_id = p.id AND m.pipeline_id = s.pipeline_id
         WHERE d.module = 'customer_relationship' AND d.model = 'res.partner'
           AND d.name LIKE 'demo_pipeline_partner_%'
        ON CONFLICT DO NOTHING
    """)


def migrate(cr, version):
    _create_memberships(cr)
    _name_demo_memberships(cr)
    _update_history(cr)
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    cr.execute("""
        SELECT id FROM res_partner WHERE relationship_stage_id IS NOT NULL
        UNION SELECT partner_id FROM relationship_pipeline_membership
    """)
    partners = env["res.partner"].browse([row[0] for row in cr.fetchall()])
    env.add_to_compute(partners._fields["relationship_stage_id"], partners)
    env.flush_all()
    cadence = env["ir.config_parameter"].get_param("customer_relationship.default_cadence_days", "30")
    if cadence.isdigit():
        cr.execute("UPDATE res_partner SET contact_cadence_days = 0 WHERE contact_cadence_days = %s",
                   (int(cadence),))
