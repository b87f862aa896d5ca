import random
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models


class RelationshipStageHistory(models.Model):
    """One row per stage a partner entered; written by the partner, never edited by users."""

    _name = "relationship.stage.history"
    _description = "Relationship Stage History"
    _order = "date_enter desc, id desc"
    _rec_name = "stage_id"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    pipeline_id = fields.Many2one("relationship.pipeline", required=True, index=True, ondelete="cascade")
    stage_id = fields.Many2one("relationship.stage", required=True, index=True, ondelete="cascade")
    stage_type = fields.Selection(related="stage_id.stage_type", store=True)
    previous_stage_id = fields.Many2one("relationship.stage", ondelete="set null")
    next_stage_id = fields.Many2one("relationship.stage", ondelete="set null", readonly=True)
    date_enter = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    date_leave = fields.Datetime(index=True)
    duration_days = fields.Float(
        compute="_compute_duration_days", store=True, aggregator="avg",
        help="Days spent in the stage; 0 while the partner is still in it.")
    progressed = fields.Boolean(
        compute="_compute_progressed", store=True,
        help="The partner went on from this stage to a later stage of the same pipeline.")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    company_id = fields.Many2one(related="pipeline_id.company_id", store=True, index=True)

    @api.depends("date_enter", "date_leave")
    def _compute_duration_days(self):
        for row in self:
            if row.date_enter and row.date_leave:
                row.duration_days = round((row.date_leave - row.date_enter).total_seconds() / 86400.0, 2)
            else:
                row.duration_days = 0.0

    @api.depends("stage_id.sequence", "next_stage_id.sequence", "next_stage_id.pipeline_id")
    def _compute_progressed(self):
        for row in self:
            nxt = row.next_stage_id
            row.progressed = bool(nxt) and nxt.pipeline_id == row.pipeline_id and (
                (nxt.sequence, nxt.id) > (row.stage_id.sequence, row.stage_id.id))

    @api.model
    def _load_demo_history(self, partner_ids):
        """Demo data only: give each partner a believable path to its current stage over the last year."""
        rng = random.Random(42)
        now = fields.Datetime.now()
        partners = self.env["res.partner"].browse(partner_ids).exists()
        self.search([("partner_id", "in", partners.ids)]).unlink()
        rows = []
        for partner in partners:
            stages = partner.relationship_pipeline_id.stage_ids.sorted(lambda s: (s.sequence, s.id))
            current = partner.relationship_stage_id
            path = [s for s in stages if (s.sequence, s.id) < (current.sequence, current.id) and rng.random() < 0.8]
            path.append(current)
            dates = sorted(now - timedelta(days=rng.randint(3, 365)) for _stage in path)
            for index, stage in enumerate(path):
                rows.append({
                    "partner_id": partner.id, "pipeline_id": stage.pipeline_id.id, "stage_id": stage.id,
                    "previous_stage_id": path[index - 1].id if index else False,
                    "next_stage_id": path[index + 1].id if index + 1 < len(path) else False,
                    "date_enter": dates[index],
                    "date_leave": dates[index + 1] if index + 1 < len(path) else False,
                })
            partner.date_stage_entered = dates[-1]
        self.create(rows)
