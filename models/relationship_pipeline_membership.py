from collections import defaultdict

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Set only by the moves below (context key), never by users: they date the stage history.
MOVE_DATES = ("date_entered", "date_stage_entered")


class RelationshipPipelineMembership(models.Model):
    """A partner in one pipeline: its stage there, since when, who owns it, and its stage history.

    A partner is in any number of pipelines, at most once in each. Removing it from a pipeline
    archives the membership and closes its open history row, so the KPIs see it leave at that instant.
    """

    _name = "relationship.pipeline.membership"
    _description = "Partner in a Pipeline"
    _order = "priority desc, date_stage_entered, id"
    _rec_name = "partner_id"

    # no index of its own: the unique (partner_id, pipeline_id) index serves lookups by partner
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    pipeline_id = fields.Many2one("relationship.pipeline", required=True, index=True, ondelete="cascade")
    stage_id = fields.Many2one(
        "relationship.stage", required=True, index=True, ondelete="restrict",
        group_expand="_read_group_stage_ids", domain="[('pipeline_id', '=', pipeline_id)]")
    stage_type = fields.Selection(related="stage_id.stage_type", store=True, string="Stage Type")
    is_lifecycle = fields.Boolean(related="pipeline_id.is_lifecycle", store=True, string="Lifecycle")
    active = fields.Boolean(default=True, help="Unticked when the partner is removed from the pipeline.")
    user_id = fields.Many2one("res.users", string="Owner", index=True, default=lambda self: self.env.user)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Important"), ("2", "Very Important"), ("3", "Urgent")], default="0")
    color = fields.Integer(aggregator=None)
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True, string="Company")
    date_entered = fields.Datetime(string="In Pipeline Since", readonly=True, copy=False)
    date_stage_entered = fields.Datetime(string="In Stage Since", readonly=True, copy=False, index=True)
    days_in_stage = fields.Integer(compute="_compute_days_in_stage", string="Days in Stage", aggregator=None)
    is_stale = fields.Boolean(
        compute="_compute_is_stale", search="_search_is_stale", string="Stale",
        help="The partner has been in its stage longer than the stage allows.")
    history_ids = fields.One2many("relationship.stage.history", "membership_id", string="Stage History")
    # for the board's cards
    partner_email = fields.Char(related="partner_id.email", string="E-mail")
    partner_category_ids = fields.Many2many(related="partner_id.category_id", string="Tags")

    _sql_constraints = [
        ("partner_pipeline_unique", "UNIQUE(partner_id, pipeline_id)",
         "The partner is already in this pipeline: move it to another stage instead."),
    ]

    def _compute_days_in_stage(self):
        # counts up to now, so it is never stored
        now = fields.Datetime.now()
        for membership in self:
            entered = membership.date_stage_entered
            membership.days_in_stage = (now - entered).days if entered and membership.active else 0

    @api.depends("date_stage_entered", "stage_id.sla_days")
    def _compute_is_stale(self):
        for membership in self:
            sla = membership.stage_id.sla_days
            membership.is_stale = bool(sla and membership.active and membership.date_stage_entered) \
                and membership.days_in_stage >= sla

    def _search_is_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("The “Stale” filter only accepts “is set” or “is not set”."))
        self.flush_model(["date_stage_entered", "stage_id", "active"])
        self.env["relationship.stage"].flush_model(["sla_days"])
        stale = SQL(
            """(SELECT m.id FROM relationship_pipeline_membership m
                  JOIN relationship_stage s ON s.id = m.stage_id
                 WHERE m.active AND s.sla_days > 0
                   AND m.date_stage_entered <= %s - s.sla_days * INTERVAL '1 day')""",
            fields.Datetime.now())
        return [("id", "in" if (operator == "=") == value else "not in", stale)]

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """Every stage of the board's pipeline is a column, empty ones included."""
        pipeline_id = self.env.context.get("default_pipeline_id")
        if not pipeline_id:
            return stages
        return stages.search([("pipeline_id", "=", pipeline_id)], order=stages._order)

    @api.constrains("stage_id", "pipeline_id")
    def _check_stage_in_pipeline(self):
        for membership in self:
            if membership.stage_id.pipeline_id != membership.pipeline_id:
                raise ValidationError(_(
                    "The stage “%(stage)s” belongs to the pipeline “%(stage_pipeline)s”, not to “%(pipeline)s”: "
                    "choose a stage of that pipeline.",
                    stage=membership.stage_id.name, stage_pipeline=membership.stage_id.pipeline_id.name,
                    pipeline=membership.pipeline_id.name))

    # ------------------------------------------------------------------
    # Moves: the only writers of the stage dates and the history
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_move_dates(vals_list)
        Pipeline = self.env["relationship.pipeline"]
        for vals in vals_list:
            if vals.get("stage_id") and not vals.get("pipeline_id"):
                vals["pipeline_id"] = self.env["relationship.stage"].browse(vals["stage_id"]).pipeline_id.id
            elif vals.get("pipeline_id") and not vals.get("stage_id"):
                first = Pipeline.browse(vals["pipeline_id"])._first_stage()
                if not first:
                    raise UserError(_("The pipeline “%(pipeline)s” has no stage yet: add one first.",
                                      pipeline=Pipeline.browse(vals["pipeline_id"]).name))
                vals["stage_id"] = first.id
        memberships = super().create(vals_list)
        memberships.partner_id._check_gdpr_not_restricted(_("add it to a pipeline"))
        active = memberships.filtered("active")
        active._log_moves(entering=True)
        return memberships

    def write(self, vals):
        self._check_move_dates([vals])
        vals = dict(vals)
        for name, label in (("pipeline_id", _("pipeline")), ("partner_id", _("partner"))):
            if name in vals:
                # writing the current value again (an import does) changes nothing
                if any(membership[name].id != vals[name] for membership in self):
                    raise UserError(_(
                        "A pipeline membership cannot change its %(what)s: add the partner to the other "
                        "pipeline instead.", what=label))
                del vals[name]
        moved = self.browse()
        if "stage_id" in vals:
            moved = self.filtered(lambda m: m.stage_id.id != vals["stage_id"] and m.active)
            moved.partner_id._check_gdpr_not_restricted(_("move it to another stage"))
        leaving = joining = self.browse()
        if "active" in vals:
            leaving = self.filtered(lambda m: m.active and not vals["active"])
            joining = self.filtered(lambda m: not m.active and vals["active"])
            joining.partner_id._check_gdpr_not_restricted(_("add it to a pipeline"))
        if leaving:
            leaving._close_open_rows()
        res = super().write(vals)
        if moved - leaving:
            (moved - leaving)._log_moves()
        if joining:
            joining._log_moves(entering=True)
        return res

    @api.model
    def _check_move_dates(self, vals_list):
        if self.env.context.get("relationship_move") or self.env.su:
            return
        if any(name in vals for vals in vals_list for name in MOVE_DATES):
            raise UserError(_("The stage dates are set by the stage moves themselves and cannot be entered."))

    def _close_open_rows(self, next_stages=None):
        """Close the open history rows of these memberships now; grouped writes, not one per partner.

        ``next_stages`` {membership id: stage} names where each partner went (none: removed from the
        pipeline). Whether it went on is decided with the stages' order at this instant, and stored.
        """
        now = fields.Datetime.now()
        # sudo: history rows are written only by the moves (users only read them)
        History = self.env["relationship.stage.history"].sudo()
        rows = History.search([("membership_id", "in", self.ids), ("date_leave", "=", False)])
        groups = defaultdict(History.browse)
        for row in rows:
            nxt = (next_stages or {}).get(row.membership_id.id) or self.env["relationship.stage"]
            went_on = bool(nxt) and nxt.stage_type != "lost" and \
                (nxt.sequence, nxt.id) > (row.stage_id.sequence, row.stage_id.id)
            groups[(nxt.id, went_on, nxt.stage_type == "lost")] |= row
        for (next_id, went_on, lost), group in groups.items():
            group.write({"date_leave": now, "next_stage_id": next_id or False, "progressed": went_on,
                         "moved_to_lost": lost})
        return {row.membership_id.id: row.stage_id.id for row in rows}

    def _log_moves(self, entering=False):
        """Close the rows of the stages left, open one per membership in its new stage, date the move."""
        now = fields.Datetime.now()
        left = {} if entering else self._close_open_rows({m.id: m.stage_id for m in self})
        # sudo: history rows are written only by the moves (users only read them)
        self.env["relationship.stage.history"].sudo().create([{
            "membership_id": membership.id,
            "partner_id": membership.partner_id.id,
            "pipeline_id": membership.pipeline_id.id,
            "stage_id": membership.stage_id.id,
            "stage_sequence": membership.stage_id.sequence,
            "previous_stage_id": left.get(membership.id, False),
            "date_enter": now,
            "user_id": self.env.uid,
        } for membership in self])
        dates = {"date_stage_entered": now}
        if entering:
            dates["date_entered"] = now
        return super(RelationshipPipelineMembership, self.with_context(relationship_move=True)).write(dates)

    def _move_to_stage(self, stage):
        """Move these memberships to ``stage`` (used when a stage is deleted)."""
        return self.write({"stage_id": stage.id})

    def action_open_partner(self):
        """The contact behind this board card."""
        if len(self) != 1:
            raise UserError(_("Open the contact of one pipeline card at a time."))
        return {
            "type": "ir.actions.act_window", "res_model": "res.partner", "res_id": self.partner_id.id,
            "views": [(False, "form")],
        }
