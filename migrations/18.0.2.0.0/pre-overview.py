"""Issue 17: the Overview is a client action; the overview card model and its records go away.

The module update drops the model's table and metadata (its ir.model record is no longer loaded). Two things
it does not do: forget the external ids of the cards (their model is gone, so they would linger), and let the
external id action_relationship_overview point at a client action while it names a window action.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("DELETE FROM ir_model_data WHERE module = 'customer_relationship' AND model = %s",
               ["relationship.dashboard.card"])
    cr.execute("""
        DELETE FROM ir_act_window
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = 'customer_relationship' AND name = 'action_relationship_overview'
                         AND model = 'ir.actions.act_window')
    """)
    cr.execute("""
        DELETE FROM ir_model_data
         WHERE module = 'customer_relationship' AND name = 'action_relationship_overview'
           AND model = 'ir.actions.act_window'
    """)
