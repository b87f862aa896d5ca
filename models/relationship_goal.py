from datetime import date

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval

STATUSES = [("on_track", "On Track"), ("at_risk", "At Risk"), ("off_track", "Off Track")]
# Written only by the goal's own methods (activation, measuring, closing, reviews), as superuser:
# create and write refuse them from users, whatever the client sends.
COMPUTED_BY_ADDON = frozenset({
    "state", "baseline_value", "date_baseline", "current_value", "best_value", "achievability_flag", "progress",
    "expected_progress", "status", "date_last_measured", "measurement_ids", "review_quarter", "scope_user_id"})
# The partners a goal counts: evaluated with the rights of the user who last set them (scope_user_id).
SCOPE_FIELDS = ("partner_domain", "team_user_ids", "pipeline_id")
# A goal's dates lie in these bounds, so its baseline and history windows (up to two years, or one
# period, before the start) remain real dates.
GOAL_DATE_MIN = date(1970, 1, 1)
GOAL_DATE_MAX = date(2199, 12, 31)


class RelationshipGoal(models.Model):
    """A SMART goal: what it counts and what nobody may forge.

    Checking the SMART criteria and activating are in relationship_goal_smart.py, measuring, closing and
    the reviews in relationship_goal_measuring.py; every figure comes from relationship.kpi.
    """

    _name = "relationship.goal"
    _description = "Relationship SMART Goal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"

    # Specific
    name = fields.Char(required=True, tracking=True)
    description = fields.Text(help="What exactly should change, and for whom.")
    pipeline_id = fields.Many2one("relationship.pipeline", index=True,
                                  help="Only this pipeline's partners and stage history count.")
    partner_domain = fields.Char(string="Partners", default="[]",
                                 help="Only partners matching this filter count.")
    team_user_ids = fields.Many2many("res.users", string="Team",
                                     help="When set, only partners whose salesperson is in the team count.")
    scope_user_id = fields.Many2one(
        "res.users", string="Partners Chosen By", readonly=True, copy=False,
        help="The goal counts only the partners this user could read when setting the partners, pipeline or team.")
    # Measurable
    kpi_id = fields.Many2one("relationship.kpi", string="KPI", index=True, tracking=True, ondelete="restrict")
    kpi_unit = fields.Selection(related="kpi_id.unit")
    kpi_direction = fields.Selection(related="kpi_id.direction")
    baseline_value = fields.Float(readonly=True, copy=False, tracking=True,
                                  help="The KPI over the period of equal length just before the start, "
                                       "measured at activation.")
    date_baseline = fields.Date(string="Baseline Measured On", readonly=True, copy=False)
    target_value = fields.Float(tracking=True)
    current_value = fields.Float(readonly=True, copy=False)
    # Achievable
    best_value = fields.Float(
        string="Best Past Value", readonly=True, copy=False,
        help="The best value of the KPI in an equal-length period of the two years before the start.")
    achievability_flag = fields.Boolean(
        string="Ambitious Target", compute="_compute_achievability_flag", store=True,
        help="The target goes beyond the best value reached in an equal-length period of the last two years.")
    achievability_note = fields.Text(help="Why this target is within reach; required when the target is flagged.")
    # Relevant
    relevance = fields.Text(help="Why this goal matters to the business.")
    parent_id = fields.Many2one("relationship.goal", string="Parent Goal", index=True, ondelete="set null")
    child_ids = fields.One2many("relationship.goal", "parent_id", string="Sub-goals")
    # Time-bound
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    # not required here: a draft may lack it, and activation refuses it with the plain SMART message
    date_deadline = fields.Date(string="Deadline", tracking=True, index=True)

    owner_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user,
                               index=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("achieved", "Achieved"), ("missed", "Missed"),
         ("cancelled", "Cancelled")],
        required=True, default="draft", index=True, tracking=True, group_expand="_group_expand_state",
        readonly=True, copy=False)
    color = fields.Integer()

    smart_s = fields.Boolean(string="Specific", compute="_compute_smart")
    smart_m = fields.Boolean(string="Measurable", compute="_compute_smart")
    smart_a = fields.Boolean(string="Achievable", compute="_compute_smart")
    smart_r = fields.Boolean(string="Relevant", compute="_compute_smart")
    smart_t = fields.Boolean(string="Time-bound", compute="_compute_smart")

    progress = fields.Float(compute="_compute_progress", store=True, aggregator="avg",
                            help="Share (0-100) of the way from the baseline to the target.")
    expected_progress = fields.Float(readonly=True, copy=False, aggregator="avg",
                                     help="Share (0-100) of the goal's period elapsed at the last measurement.")
    # not tracked: a tracking message per goal would make measuring cost queries per goal
    status = fields.Selection(STATUSES, readonly=True, copy=False, index=True)
    date_last_measured = fields.Date(readonly=True, copy=False)
    measurement_ids = fields.One2many("relationship.goal.measurement", "goal_id", string="Measurements")
    measurement_count = fields.Integer(compute="_compute_measurement_count")
    review_quarter = fields.Char(readonly=True, copy=False,
                                 help="Quarter (e.g. 2026-Q4) of the last quarterly review activity.")

    # ------------------------------------------------------------------
    # Nothing computed can be forged
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        to_activate = []
        vals_list = [dict(vals) for vals in vals_list]  # the caller's dictionaries stay as they were
        for index, vals in enumerate(vals_list):
            if vals.get("state") == "active" and not self.env.su:
                # an active goal passed the SMART check: created as draft, then activated like by the button
                vals["state"] = "draft"
                to_activate.append(index)
            if vals.get("state", "draft") != "draft":
                self._check_not_forged(vals)
            self._check_not_forged({key: value for key, value in vals.items() if key != "state"})
            vals["scope_user_id"] = self.env.uid
        goals = super().create(vals_list)
        goals.browse([goals.ids[index] for index in to_activate]).action_activate()
        return goals

    def write(self, vals):
        self._check_not_forged(vals)
        if any(name in vals for name in SCOPE_FIELDS):
            vals = dict(vals, scope_user_id=self.env.uid)
        return super().write(vals)

    @api.model
    def _check_not_forged(self, vals):
        forged = sorted(COMPUTED_BY_ADDON.intersection(vals))
        if forged and not self.env.su:
            raise AccessError(_(
                "%(fields)s of a goal are set by the goal itself (activation and measuring): use the goal's "
                "buttons instead of writing them.",
                fields=", ".join(self._fields[name]._description_string(self.env) for name in forged)))

    def _write_computed(self, vals):
        """The goal's own methods set what users cannot: callers checked the user's right to act first."""
        # sudo: these fields are refused to users in write(); the goal's methods are the only way to set them
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.model
    def _group_expand_state(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("target_value", "best_value", "date_baseline", "kpi_id.direction")
    def _compute_achievability_flag(self):
        for goal in self:
            goal.achievability_flag = bool(
                goal.kpi_id and goal.date_baseline and goal.kpi_id._is_better(goal.target_value, goal.best_value))

    @api.depends("name", "description", "kpi_id", "target_value", "baseline_value", "date_baseline",
                 "achievability_flag", "achievability_note", "relevance", "date_start", "date_deadline")
    def _compute_smart(self):
        for goal in self:
            missing = goal._smart_missing()
            # before the first measurement the best past value is unknown: the target is known to be within
            # reach only once a note explains why; an empty goal ticks nothing
            if not goal.date_baseline and not (goal.kpi_id and (goal.achievability_note or "").strip()):
                missing.setdefault("a", "")
            for letter in "smart":
                goal["smart_" + letter] = letter not in missing

    @api.depends("current_value", "baseline_value", "target_value", "date_last_measured")
    def _compute_progress(self):
        Kpi = self.env["relationship.kpi"]
        for goal in self:
            goal.progress = Kpi._progress(goal.baseline_value, goal.target_value, goal.current_value) \
                if goal.date_last_measured else 0.0

    def _compute_measurement_count(self):
        counts = dict(self.env["relationship.goal.measurement"]._read_group(
            [("goal_id", "in", self.ids)], ["goal_id"], ["__count"]))
        for goal in self:
            goal.measurement_count = counts.get(goal, 0)

    @api.constrains("date_start", "date_deadline")
    def _check_dates(self):
        for goal in self:
            if any(day and not GOAL_DATE_MIN <= day <= GOAL_DATE_MAX for day in (goal.date_start, goal.date_deadline)):
                raise ValidationError(_(
                    "The dates of the goal “%(goal)s” must lie between %(min)s and %(max)s.",
                    goal=goal.name, min=GOAL_DATE_MIN, max=GOAL_DATE_MAX))
            if goal.date_start and goal.date_deadline and goal.date_deadline <= goal.date_start:
                raise ValidationError(_(
                    "The deadline of the goal “%(goal)s” must be after its start date (%(start)s).",
                    goal=goal.name, start=goal.date_start))

    @api.constrains("target_value", "baseline_value", "state")
    def _check_target(self):
        for goal in self:
            if goal.state != "draft" and goal.date_baseline and goal.target_value == goal.baseline_value:
                raise ValidationError(_(
                    "The target of the goal “%(goal)s” equals its baseline (%(value)s): set a target that asks "
                    "for a change.", goal=goal.name, value=goal.baseline_value))

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for goal in self:
            try:
                self.env["res.partner"]._search(goal._partner_domain_list())
            except Exception as error:  # noqa: BLE001 - any parse or field error makes the filter unusable
                raise ValidationError(_(
                    "The partner filter of the goal “%(goal)s” is not valid: %(error)s. Fix it with the domain "
                    "editor.", goal=goal.name, error=error)) from error

    @api.constrains("pipeline_id", "kpi_id")
    def _check_readable_scope(self):
        # a many2one takes any id: a pipeline or KPI of another company must not be measured for this user
        if not self.env.su:
            self.pipeline_id.check_access("read")
            self.kpi_id.check_access("read")

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(_("A goal cannot be its own parent, even indirectly: choose another parent."))

    # ------------------------------------------------------------------
    # The partners a goal counts
    # ------------------------------------------------------------------
    def _period_days(self):
        self.ensure_one()
        return (self.date_deadline - self.date_start).days + 1

    def _partner_domain_list(self):
        self.ensure_one()
        domain = safe_eval(self.partner_domain or "[]")
        if not isinstance(domain, list | tuple):
            raise ValidationError(_("The partner filter of the goal “%(goal)s” must be a list of conditions.",
                                    goal=self.name))
        return list(domain)

    def _scope(self):
        """Hashable scope key, and compute_value's keyword arguments for it.

        The partner filter is turned into a sub-query with the rights of the user who set it: the KPIs
        are computed as superuser, and the filter must not count partners that user cannot read.
        """
        self.ensure_one()
        domain = self._partner_domain_list()
        if self.team_user_ids:
            domain = ["&", ("user_id", "in", self.team_user_ids.ids), *(domain or [(1, "=", 1)])]
        chooser = self.scope_user_id or self.env.ref("base.user_root")
        partners = self.env(user=chooser.id, su=False, context={"active_test": False})["res.partner"]
        kwargs = {
            "partner_domain": [("id", "in", partners._search(domain))] if domain else None,
            "pipeline_ids": self.pipeline_id.ids or None,
            "company_ids": self.company_id.ids or None,
        }
        return (repr(domain), self.pipeline_id.id, self.company_id.id, chooser.id), kwargs

    # ------------------------------------------------------------------
    # Cancelling and back to draft
    # ------------------------------------------------------------------
    def action_cancel(self):
        self.check_access("write")
        self._write_computed({"state": "cancelled"})

    def action_draft(self):
        self.check_access("write")
        self.filtered(lambda g: g.state == "cancelled")._write_computed({"state": "draft"})
