"""Issue 14: goals remember who chose their partners; captured e-mails belong to a company."""
from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    # The partner filter of existing goals was last set by whoever last changed the goal.
    cr.execute("""
        UPDATE relationship_goal
           SET scope_user_id = COALESCE(write_uid, create_uid)
         WHERE scope_user_id IS NULL
    """)
    # A "built-in" KPI without a formula (forged before the fix) could never be deleted: it becomes a
    # custom KPI, which an administrator completes or deletes.
    cr.execute("UPDATE relationship_kpi SET kind = 'custom' WHERE kind = 'builtin' AND builtin_key IS NULL")
    # Captured e-mails had no company, so every company saw them: they take the partner's company,
    # else the company of the record the message is on (when that model has one, read per model below).
    cr.execute("""
        UPDATE relationship_interaction i
           SET company_id = p.company_id
          FROM res_partner p
         WHERE p.id = i.partner_id AND i.source = 'email' AND i.company_id IS NULL AND p.company_id IS NOT NULL
    """)
    cr.execute("""
        SELECT DISTINCT m.model
          FROM relationship_interaction i JOIN mail_message m ON m.id = i.message_id
         WHERE i.source = 'email' AND i.company_id IS NULL AND m.model IS NOT NULL
    """)
    for (model,) in cr.fetchall():
        table = model.replace(".", "_")
        cr.execute("""
            SELECT 1 FROM information_schema.columns
             WHERE table_name = %s AND column_name = 'company_id'
        """, [table])
        if not cr.fetchone():
            continue
        cr.execute(SQL("""
            UPDATE relationship_interaction i
               SET company_id = r.company_id
              FROM mail_message m, %s r
             WHERE m.id = i.message_id AND m.model = %s AND r.id = m.res_id
               AND i.source = 'email' AND i.company_id IS NULL
        """, SQL.identifier(table), model))
