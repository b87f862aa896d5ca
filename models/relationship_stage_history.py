import random
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class RelationshipStageHistory(models.Model):
    """One row per stage a partner entered; written by the partner, never edited by users."""

    _name = "relationship.stage.history"
    _description = "Relationship Stage History"
    _order = "date_enter desc, id desc"
    _rec_name = "stage_id"

    membership_id = fields.Many2one(
        "relationship.pipeline.membership", index=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    # No index on the pipeline, stage, rule or company: every row a stage rule back-fills writes each index
    # (make bench, P18), and none of them serves a query (the KPIs, the funnel and the partner's history read
    # the indexes below; deleting a pipeline, stage or rule is rare enough to scan).
    pipeline_id = fields.Many2one("relationship.pipeline", required=True, ondelete="cascade")
    stage_id = fields.Many2one("relationship.stage", required=True, ondelete="cascade")
    stage_type = fields.Selection(related="stage_id.stage_type", store=True)
    # the stage's place in its pipeline when the partner entered it: reordering stages later does not
    # rewrite past funnels
    stage_sequence = fields.Integer(string="Stage Order at Entry", aggregator=None)
    previous_stage_id = fields.Many2one("relationship.stage", ondelete="set null")
    next_stage_id = fields.Many2one("relationship.stage", ondelete="set null", readonly=True)
    date_enter = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    date_leave = fields.Datetime(index=True)
    duration_days = fields.Float(
        compute="_compute_duration_days", store=True, aggregator="avg",
        help="Days spent in the stage once the partner left it.")
    days_in_stage = fields.Float(
        compute="_compute_days_in_stage", string="Days in Stage", digits=(16, 1), aggregator=None,
        help="Days spent in the stage; up to now while the partner is still in it.")
    # when the open row goes past its stage's SLA: the funnel counts stale rows by one comparison per row,
    # without joining the stages (make bench, P6); empty once the partner left or for a stage without SLA.
    # A new SLA is applied to the open rows by the stage (_refresh_date_stale), not by this compute.
    date_stale = fields.Datetime(string="Stale From", compute="_compute_date_stale", store=True, readonly=True)
    progressed = fields.Boolean(
        readonly=True, string="Went On",
        help="The partner went on to a later stage that is not lost, in the stages' order at the move.")
    moved_to_lost = fields.Boolean(readonly=True, string="Lost", help="The partner went to a lost stage.")
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    # a stage rule's move names the rule, a person's move names the person (user_id)
    rule_id = fields.Many2one("relationship.stage.rule", string="Moved by Rule", ondelete="set null", readonly=True)
    # the partner's company, not the pipeline's: a shared pipeline's rows stay within each company
    company_id = fields.Many2one(related="partner_id.company_id", store=True)

    def init(self):
        # The stage KPIs read the customer rows only (relationship_kpi_stage.py): the open ones by entry
        # date and by partner, the closed ones by leaving date, without visiting the table (make bench, P7).
        customer = "stage_type = 'customer'"
        for name, key, include, where in (
            ("customer_open", "date_enter", "partner_id, pipeline_id, company_id", "date_leave IS NULL"),
            ("customer_open_partner", "partner_id, date_enter", "pipeline_id, company_id", "date_leave IS NULL"),
            ("customer_left", "date_leave", "partner_id, pipeline_id, company_id, date_enter",
             "date_leave IS NOT NULL"),
        ):
            self.env.cr.execute(SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (%s) INCLUDE (%s) WHERE %s AND %s",
                SQL.identifier(f"{self._table}__{name}_index"), SQL.identifier(self._table),
                SQL(key), SQL(include), SQL(customer), SQL(where)))
        # the funnel's stale count per key (relationship.funnel.summary): the stale open rows only
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS %s ON %s (date_stale) INCLUDE (pipeline_id, stage_id, company_id) "
            "WHERE date_stale IS NOT NULL",
            SQL.identifier(f"{self._table}__stale_index"), SQL.identifier(self._table)))

    @api.depends("date_enter", "date_leave")
    def _compute_duration_days(self):
        for row in self:
            if row.date_enter and row.date_leave:
                row.duration_days = round((row.date_leave - row.date_enter).total_seconds() / 86400.0, 2)
            else:
                row.duration_days = 0.0

    @api.depends("date_enter", "date_leave", "stage_id")
    def _compute_date_stale(self):
        for row in self:
            sla = row.stage_id.sla_days
            row.date_stale = row.date_enter + timedelta(days=sla) if sla and row.date_enter and not row.date_leave \
                else False

    @api.model
    def _refresh_date_stale(self, stages):
        """The open rows of ``stages`` after their SLA changed: one statement, however many rows."""
        if not stages:
            return
        self.flush_model(["date_enter", "date_leave", "stage_id", "date_stale"])
        stages.flush_recordset(["sla_days"])
        self.env.cr.execute(SQL("""
            UPDATE relationship_stage_history h
               SET date_stale = CASE WHEN s.sla_days > 0 THEN h.date_enter + s.sla_days * INTERVAL '1 day' END
              FROM relationship_stage s
             WHERE s.id = h.stage_id AND h.stage_id IN %s AND h.date_leave IS NULL
        """, tuple(stages.ids)))
        self.invalidate_model(["date_stale"])

    def _compute_days_in_stage(self):
        now = fields.Datetime.now()
        for row in self:
            end = row.date_leave or now
            row.days_in_stage = round((end - row.date_enter).total_seconds() / 86400.0, 1) if row.date_enter else 0.0

    @api.model
    def _load_demo_history(self, membership_ids):
        """Demo data only: give each membership a believable path to its current stage over the last year."""
        rng = random.Random(42)
        now = fields.Datetime.now()
        memberships = self.env["relationship.pipeline.membership"].browse(membership_ids).exists()
        self.search([("membership_id", "in", memberships.ids)]).unlink()
        rows = []
        for membership in memberships:
            stages = membership.pipeline_id.stage_ids.sorted(lambda s: (s.sequence, s.id))
            current = membership.stage_id
            path = [s for s in stages if (s.sequence, s.id) < (current.sequence, current.id)
                    and s.stage_type != "lost" and rng.random() < 0.8]
            path.append(current)
            dates = sorted(now - timedelta(days=rng.randint(3, 365)) for _stage in path)
            for index, stage in enumerate(path):
                nxt = path[index + 1] if index + 1 < len(path) else False
                rows.append({
                    "membership_id": membership.id, "partner_id": membership.partner_id.id,
                    "pipeline_id": stage.pipeline_id.id, "stage_id": stage.id, "stage_sequence": stage.sequence,
                    "previous_stage_id": path[index - 1].id if index else False,
                    "next_stage_id": nxt and nxt.id,
                    "progressed": bool(nxt) and nxt.stage_type != "lost",
                    "moved_to_lost": bool(nxt) and nxt.stage_type == "lost",
                    "date_enter": dates[index],
                    "date_leave": dates[index + 1] if nxt else False,
                })
            membership.with_context(relationship_move=True).write(
                {"date_entered": dates[0], "date_stage_entered": dates[-1]})
        self.create(rows)
