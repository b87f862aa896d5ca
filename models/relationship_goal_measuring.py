from collections import defaultdict
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import date_utils


class RelationshipGoal(models.Model):
    """Following an active goal: the daily measure, the at-risk activity, closing after the deadline, the
    quarterly review and the chart.

    Kept apart from relationship_goal.py (the goal) and relationship_goal_smart.py (activation); the measured
    values are stored by relationship.goal.measurement (relationship_goal_measurement.py).
    """

    _inherit = "relationship.goal"

    def action_measure(self):
        self.check_access("write")
        active = self.filtered(lambda g: g.state == "active")
        if not active:
            raise UserError(_("Only active goals are measured: activate the goal first."))
        active._measure()
        return True

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
        was_at_risk = {goal: goal.status == "at_risk" for goal in goals}
        values = goals._write_measured_values(goals._measure_groups(today))
        goals._write_statuses()
        goals.env["relationship.goal.measurement"]._record(values)
        goals._notify_at_risk([g for g in goals if g.status == "at_risk" and not was_at_risk[g]])
        if close:
            goals._close_past_deadline(today)

    def _measure_groups(self, today):
        """{(kpi, window, scope key): goal ids}: the goals that share one KPI computation."""
        groups = defaultdict(list)
        for goal in self:
            date_measured = min(today, goal.date_deadline)
            window = goal.kpi_id._window(date_measured, goal._period_days())
            # the raw filter text, not the parsed scope: parsing it per goal cost more than the KPI queries
            key = (goal.partner_domain or "[]", tuple(goal.team_user_ids.ids), goal.pipeline_id.id,
                   goal.company_id.id, goal.scope_user_id.id)
            groups[(goal.kpi_id, window, key)].append(goal.id)
        return groups

    def _write_measured_values(self, groups):
        """Compute each group's KPI once and write the values; returns {goal: value} for the measurements."""
        Kpi = self.env["relationship.kpi"]
        values, writes = {}, defaultdict(list)
        for (kpi, (date_from, date_to), _key), member_ids in groups.items():
            members = self.browse(member_ids)
            value = kpi.sudo().compute_value(date_from, date_to, **members[0]._scope()[1])
            for goal in members:
                values[goal] = value
                expected = Kpi._expected_progress(goal.date_start, goal.date_deadline, date_to)
                writes[(value, date_to, expected)].append(goal.id)
        # one write per distinct figure, not per goal
        for (value, date_to, expected), goal_ids in writes.items():
            self.browse(goal_ids).write(
                {"current_value": value, "date_last_measured": date_to, "expected_progress": expected})
        return values

    def _write_statuses(self):
        Kpi = self.env["relationship.kpi"]
        statuses = defaultdict(list)
        for goal in self:  # progress is recomputed in batch from the values written before
            statuses[Kpi._status(goal.progress, goal.expected_progress)].append(goal.id)
        for status, goal_ids in statuses.items():
            self.browse(goal_ids).write({"status": status})

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
