from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index

# What decides which lifecycle membership gives a partner its stage (see _refresh_current_lifecycle).
RANKING_FIELDS = {"stage_id", "active", "priority", "pipeline_id", "partner_id"}


class RelationshipPipelineMembershipLifecycle(models.Model):
    """Which membership gives its partner the lifecycle stage (res.partner.relationship_stage_id).

    A flag on the membership rather than a stored column on res_partner: moving tens of thousands of
    partners (a stage rule's back-fill) then writes these narrow rows only, never the wide, heavily
    indexed partner rows (make bench, P18). Exactly the memberships the lifecycle stage's former compute
    chose carry the flag: active, of a lifecycle pipeline, the partner's own company's pipeline first,
    then by priority, stage date and id (the memberships' order).
    """

    _inherit = "relationship.pipeline.membership"

    is_current_lifecycle = fields.Boolean(
        string="Gives the Lifecycle Stage", readonly=True, copy=False,
        help="This membership's stage is the partner's lifecycle stage.")

    def init(self):
        res = super().init()
        # the partner's stage (a LEFT JOIN by partner), and partners per stage (the Overview's funnel reads
        # the whole index: one per flagged membership)
        create_index(self.env.cr, "relationship_pipeline_membership_current_partner_index", self._table,
                     ["partner_id", "stage_id"], where="is_current_lifecycle")
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._check_flag_not_written(vals_list)
        memberships = super().create(vals_list)
        self._refresh_current_lifecycle(tuple(set(memberships.partner_id.ids)))
        return memberships

    def write(self, vals):
        self._check_flag_not_written([vals])
        res = super().write(vals)
        if RANKING_FIELDS.intersection(vals):
            self._refresh_current_lifecycle(tuple(set(self.partner_id.ids)))
        return res

    def unlink(self):
        partner_ids = tuple(set(self.partner_id.ids))
        res = super().unlink()
        self._refresh_current_lifecycle(partner_ids)
        return res

    @api.model
    def _check_flag_not_written(self, vals_list):
        # readonly in a view is no protection: an RPC call could send the flag
        if not self.env.su and any("is_current_lifecycle" in vals for vals in vals_list):
            raise UserError(_(
                "The lifecycle stage follows the partner's place in the lifecycle pipeline: move the "
                "partner on the pipeline board, or in the Pipelines tab of the contact."))

    @api.model
    def _refresh_current_lifecycle(self, partners):
        """Flag the membership that gives each of ``partners`` its lifecycle stage, in one statement.

        ``partners``: a tuple of partner ids, or an SQL subquery of them (the stage rules pass their moves).
        Only the flags that change are written, and the ORM learns of them (the partners' stage is read again).
        """
        if isinstance(partners, tuple) and not partners:
            return
        self.flush_model()
        self.env["res.partner"].flush_model(["company_id"])
        self.env["relationship.pipeline"].flush_model(["company_id"])
        self.env.cr.execute(SQL("""
            WITH ranked AS (
                SELECT m.id, ROW_NUMBER() OVER (
                           PARTITION BY m.partner_id
                           ORDER BY pl.company_id IS DISTINCT FROM p.company_id, m.priority DESC,
                                    m.date_stage_entered, m.id) = 1 AS current
                  FROM relationship_pipeline_membership m
                  JOIN relationship_pipeline pl ON pl.id = m.pipeline_id
                  JOIN res_partner p ON p.id = m.partner_id
                 WHERE m.partner_id IN %(partners)s AND m.active AND m.is_lifecycle
            ), target AS (
                SELECT m.id, COALESCE(r.current, FALSE) AS current
                  FROM relationship_pipeline_membership m LEFT JOIN ranked r ON r.id = m.id
                 WHERE m.partner_id IN %(partners)s
            )
            UPDATE relationship_pipeline_membership m SET is_current_lifecycle = t.current
              FROM target t
             WHERE m.id = t.id AND m.is_current_lifecycle IS DISTINCT FROM t.current
            RETURNING m.id
        """, partners=partners))
        changed = self.browse([row[0] for row in self.env.cr.fetchall()])
        if changed:
            changed.invalidate_recordset(["is_current_lifecycle"])
            changed.modified(["is_current_lifecycle"])
