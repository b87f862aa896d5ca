"""Interactions logged before 18.0.2.0.0 join their partners' chatter, as new ones do (issue 17: one timeline).

Captured e-mails are already there. Batches of 10,000, each one INSERT (relationship_interaction_chatter.py).
"""
from odoo import SUPERUSER_ID
from odoo import api

BATCH = 10000


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute("""
        SELECT i.id FROM relationship_interaction i
         WHERE i.message_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM mail_message m WHERE m.relationship_interaction_id = i.id)
      ORDER BY i.id""")
    ids = [row[0] for row in cr.fetchall()]
    Interaction = env["relationship.interaction"].with_context(active_test=False)
    for start in range(0, len(ids), BATCH):
        Interaction.browse(ids[start:start + BATCH])._relationship_post_to_chatter()
        env.invalidate_all()
