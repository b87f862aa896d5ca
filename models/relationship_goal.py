from collections import defaultdict
from datetime import date
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import date_utils
from odoo.tools import formatLang
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
    # SMART
    # ------------------------------------------------------------------
    def _smart_missing(self, baseline=None, best=None):
        """{letter: plain-words reason} for each SMART criterion this goal does not meet yet.

        baseline/best default to the stored ones; activation passes freshly measured values.
        """
        self.ensure_one()
        measured = baseline is not None or bool(self.date_baseline)
        baseline = self.baseline_value if baseline is None else baseline
        best = self.best_value if best is None else best
        missing = {}

        def goal_number(value):  # in the user's language: "12,50" in Turkish, and "6" rather than "6.00"
            return formatLang(self.env, value, digits=0 if value == round(value) else 2)

        if not (self.name and (self.description or "").strip()):
            missing["s"] = _("Specific: describe what exactly should change, and for whom (Description).")
        if not self.kpi_id:
            missing["m"] = _("Measurable: choose the KPI that measures the goal.")
        elif measured and self.target_value == baseline:
            missing["m"] = _("Measurable: the target equals the baseline (%(value)s): set a target that asks for "
                             "a change.", value=goal_number(baseline))
        elif measured and not self.kpi_id._is_better(self.target_value, baseline):
            missing["m"] = _("Measurable: the target (%(target)s) is worse than the baseline (%(baseline)s) for "
                             "“%(kpi)s”, where %(direction)s.", target=goal_number(self.target_value),
                             baseline=goal_number(baseline), kpi=self.kpi_id.name,
                             direction=dict(self.kpi_id._fields["direction"]._description_selection(self.env))[
                                 self.kpi_id.direction].lower())
        if (self.kpi_id and measured and self.kpi_id._is_better(self.target_value, best)
                and not (self.achievability_note or "").strip()):
            missing["a"] = _("Achievable: the target (%(target)s) goes beyond the best value reached in an "
                             "equal-length period of the last two years (%(best)s): explain why it is within "
                             "reach in the Achievability Note, or lower the target.",
                             target=goal_number(self.target_value), best=goal_number(best))
        if not (self.relevance or "").strip():
            missing["r"] = _("Relevant: say why this goal matters to the business (Relevance).")
        if not (self.date_start and self.date_deadline and self.date_deadline > self.date_start):
            missing["t"] = _("Time-bound: set a start date and a deadline after it.")
        return missing

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

    def _measure_baseline(self, cache=None):
        """Baseline (the window just before the start) and best value over the last two years.

        ``cache`` {(kpi, window, scope): value} lets goals activated together share their windows' queries.
        """
        self.ensure_one()
        cache = {} if cache is None else cache
        kpi = self.kpi_id.sudo()
        key, kwargs = self._scope()
        values = []
        for start, end in kpi._history_windows(self.date_start, self._period_days()):
            if (kpi, start, end, key) not in cache:
                cache[(kpi, start, end, key)] = kpi.compute_value(start, end, **kwargs)
            values.append(cache[(kpi, start, end, key)])
        return values[0], kpi._best(values)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        """Activate SMART goals; one UserError lists every missing criterion of every goal."""
        self.check_access("write")  # the baseline is measured for those who may change the goal only
        self._activate()
        return True

    def _activate(self, today=None):
        """Activate as of ``today`` (default: today), and measure at once.

        The demo replays a past goal by activating it on its start day; callers checked the right to act.
        """
        today = today or fields.Date.context_today(self)
        errors, updates, cache = [], {}, {}
        for goal in self.filtered(lambda g: g.state == "draft"):
            baseline = best = None
            if goal.kpi_id and not goal._smart_missing().get("t"):
                baseline, best = goal._measure_baseline(cache)
            missing = goal._smart_missing(baseline, best)
            if missing:
                errors.append(_("The goal “%(goal)s” cannot be activated yet:", goal=goal.name))
                errors += ["- " + missing[letter] for letter in "smart" if letter in missing]
            else:
                updates[goal] = {"baseline_value": baseline, "best_value": best,
                                 "date_baseline": today, "state": "active"}
        if errors:
            raise UserError("\n".join(errors))
        activated = self.browse()
        for goal, vals in updates.items():
            goal._write_computed(vals)
            activated |= goal
        # measured at once: the current value and status show right after activation (closing a goal past
        # its deadline stays the daily measure's job)
        activated._measure(today, close=False)

    def action_measure(self):
        self.check_access("write")
        active = self.filtered(lambda g: g.state == "active")
        if not active:
            raise UserError(_("Only active goals are measured: activate the goal first."))
        active._measure()
        return True

    def action_cancel(self):
        self.check_access("write")
        self._write_computed({"state": "cancelled"})

    def action_draft(self):
        self.check_access("write")
        self.filtered(lambda g: g.state == "cancelled")._write_computed({"state": "draft"})

    def action_view_measurements(self):
        """The goal's chart: measured value, target and expected path, on the days it was measured."""
        if len(self) != 1:
            raise UserError(_("Open the measurements of one goal at a time."))
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_relationship.action_relationship_goal_chart")
        action["domain"] = [("goal_id", "=", self.id)]
        action["display_name"] = _("%(goal)s: measured, target and expected path", goal=self.name)
        return action

    # ------------------------------------------------------------------
    # Measuring
    # ------------------------------------------------------------------
    def _measure(self, today=None, close=True):
        """Measure active goals; one KPI computation per distinct (KPI, period, scope), not per goal.

        Goals sharing the same figures are written together: a handful of writes for 1,000 goals.
        """
        today = today or fields.Date.context_today(self)
        # measured values are not tracked; closing logs its own batch of messages (_close_past_deadline)
        # sudo: measuring sets computed fields users cannot write (callers checked the right to act)
        goals = self.sudo().with_context(tracking_disable=True).filtered(lambda g: g.state == "active" and g.kpi_id)
        groups = defaultdict(list)
        for goal in goals:
            date_measured = min(today, goal.date_deadline)
            window = goal.kpi_id._window(date_measured, goal._period_days())
            # the raw filter text, not the parsed scope: parsing it per goal cost more than the KPI queries
            key = (goal.partner_domain or "[]", tuple(goal.team_user_ids.ids), goal.pipeline_id.id,
                   goal.company_id.id, goal.scope_user_id.id)
            groups[(goal.kpi_id, window, key)].append(goal.id)
        Kpi = self.env["relationship.kpi"]
        values, was_at_risk = {}, {goal: goal.status == "at_risk" for goal in goals}
        writes = defaultdict(list)
        for (kpi, (date_from, date_to), _key), member_ids in groups.items():
            members = goals.browse(member_ids)
            value = kpi.sudo().compute_value(date_from, date_to, **members[0]._scope()[1])
            for goal in members:
                values[goal] = value
                expected = Kpi._expected_progress(goal.date_start, goal.date_deadline, date_to)
                writes[(value, date_to, expected)].append(goal.id)
        for (value, date_to, expected), goal_ids in writes.items():
            goals.browse(goal_ids).write(
                {"current_value": value, "date_last_measured": date_to, "expected_progress": expected})
        statuses = defaultdict(list)
        for goal in goals:  # progress is recomputed in batch from the values above
            statuses[Kpi._status(goal.progress, goal.expected_progress)].append(goal.id)
        for status, goal_ids in statuses.items():
            goals.browse(goal_ids).write({"status": status})
        goals.env["relationship.goal.measurement"]._record(values)
        goals._notify_at_risk([g for g in goals if g.status == "at_risk" and not was_at_risk[g]])
        if close:
            goals._close_past_deadline(today)

    def _notify_at_risk(self, goals):
        """One 'Goal at risk' activity for the owner when a goal becomes at risk.

        No e-mail per activity: a bad quarter would send the owner one per goal, and cost queries per goal.
        """
        by_owner = defaultdict(lambda: self.browse())
        for goal in goals:
            by_owner[goal.owner_id] |= goal
        for owner, owned in by_owner.items():
            owned.with_context(mail_activity_quick_update=True).activity_schedule(
                "customer_relationship.mail_activity_type_goal_at_risk", user_id=owner.id,
                note=_("The goal's progress is behind the share of its period elapsed: review the plan."))

    def _close_past_deadline(self, today):
        """After the deadline day, a goal is achieved when it reached its target, else missed.

        Called without tracking: the chatter gets one batch of log messages, not a message per goal.
        """
        past = self.filtered(lambda g: g.state == "active" and g.date_deadline < today)
        achieved = past.filtered(lambda g: g.progress >= 100.0)
        missed = past - achieved
        for goals, state, body in (
                (achieved, "achieved", _("The deadline has passed and the target was reached: goal achieved.")),
                (missed, "missed", _("The deadline has passed and the target was not reached: goal missed."))):
            if goals:
                goals._write_computed({"state": state})
                goals._message_log_batch({goal.id: body for goal in goals})

    @api.model
    def _cron_measure(self):
        self.search([("state", "=", "active")])._measure()

    @api.model
    def _cron_quarterly_review(self, today=None):
        """A 'Quarterly review' activity per active goal and quarter; running again adds none."""
        today = today or fields.Date.context_today(self)
        quarter = f"{today.year}-Q{date_utils.get_quarter_number(today)}"
        goals = self.search([("state", "=", "active"), ("review_quarter", "!=", quarter)])
        deadline = min(date_utils.get_quarter(today)[1], today + timedelta(days=14))
        by_owner = defaultdict(lambda: self.browse())
        for goal in goals:
            by_owner[goal.owner_id] |= goal
        for owner, owned in by_owner.items():
            owned.activity_schedule(
                "customer_relationship.mail_activity_type_goal_review", date_deadline=deadline, user_id=owner.id,
                note=_("Review the goal and the relationship strategy behind it for %(quarter)s.", quarter=quarter))
        goals._write_computed({"review_quarter": quarter})
