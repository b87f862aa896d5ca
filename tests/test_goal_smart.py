from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import freeze_time

from .test_kpi_common import KpiCase
from .test_kpi_common import raises


class GoalCase(KpiCase):

    def _goal(self, **vals):
        return self.env["relationship.goal"].create({
            "name": "Win customers",
            "description": "Customers of the KPI test pipeline.",
            "relevance": "The new product line needs customers.",
            "kpi_id": self.kpis["acquisition"].id,
            "partner_domain": repr(self.domain_all),
            "date_start": "2026-04-01",
            "date_deadline": "2026-06-29",  # 90 days, both included
            "target_value": 6.0,
            "achievability_note": "A new account manager starts in April.",
            "owner_id": self.user_manager.id,
            **vals,
        })


class TestGoalSmart(GoalCase):

    def test_activation_lists_every_missing_criterion(self):
        goal = self.env["relationship.goal"].create({
            "name": "Vague goal", "date_start": "2026-04-01", "date_deadline": "2026-06-29"})
        self.assertEqual((goal.smart_s, goal.smart_m, goal.smart_a, goal.smart_r, goal.smart_t),
                         (False, False, False, False, True))
        with self.assertRaises(UserError) as caught:
            goal.action_activate()
        self.assertEqual(str(caught.exception), "\n".join([
            "The goal “Vague goal” cannot be activated yet:",
            "- Specific: describe what exactly should change, and for whom (Description).",
            "- Measurable: choose the KPI that measures the goal.",
            "- Relevant: say why this goal matters to the business (Relevance).",
        ]))
        self.assertEqual(goal.state, "draft")
        self.assertFalse(goal.date_baseline)

    def test_deadline_must_follow_start(self):
        with raises(self, ValidationError, "must be after its start date"):
            self._goal(name="Backwards", date_deadline="2026-04-01")
        self.assertFalse(self.env["relationship.goal"].search([("name", "=", "Backwards")]))
        goal = self._goal()
        with raises(self, ValidationError, "must be after its start date"):
            goal.write({"date_deadline": "2026-03-01"})

    def test_baseline_and_achievability(self):
        # baseline window: the 90 days before 2026-04-01 = 2026-01-01 .. 2026-03-31 -> N = C, H = 2
        # earlier 90-day windows of the last two years: 0, 0, 2 (A, B in 2025-04-06..07-04), 1 (D), 0, 0, 0
        # best = 2, so a target of 6 goes beyond it and needs a note
        goal = self._goal(achievability_note=False)
        with self.assertRaises(UserError) as caught:
            goal.action_activate()
        self.assertEqual(str(caught.exception), "\n".join([
            "The goal “Win customers” cannot be activated yet:",
            "- Achievable: the target (6) goes beyond the best value reached in an equal-length period of "
            "the last two years (2): explain why it is within reach in the Achievability Note, or lower "
            "the target.",
        ]))
        self.assertEqual(goal.state, "draft")
        goal.achievability_note = "Two trade fairs this quarter."
        goal.action_activate()
        self.assertEqual(goal.state, "active")
        self.assertEqual((goal.baseline_value, goal.best_value), (2.0, 2.0))
        self.assertTrue(goal.achievability_flag)
        self.assertTrue(all((goal.smart_s, goal.smart_m, goal.smart_a, goal.smart_r, goal.smart_t)))

    def test_goals_activated_together_share_their_windows(self):
        def activation_queries(goals):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            goals.action_activate()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        activation_queries(self._goal(name="Warm-up"))
        one = activation_queries(self._goal(name="Alone"))
        many = self.env["relationship.goal"].union(*(self._goal(name=f"Team {i}") for i in range(5)))
        self.assertEqual(activation_queries(many), one)
        self.assertEqual(set(many.mapped("baseline_value")), {2.0})
        self.assertEqual(set(many.mapped("best_value")), {2.0})

    def test_target_within_best_needs_no_note(self):
        # for 2026-01-01 .. 2026-03-31: baseline (2025-10-03 .. 12-31) = 0, best of two years = 2
        goal = self._goal(date_start="2026-01-01", date_deadline="2026-03-31", target_value=2.0,
                          achievability_note=False)
        goal.action_activate()
        self.assertEqual((goal.state, goal.baseline_value, goal.best_value), ("active", 0.0, 2.0))
        self.assertFalse(goal.achievability_flag)

    def test_target_equal_to_baseline_and_wrong_direction(self):
        goal = self._goal(target_value=2.0)
        with raises(self, UserError, r"- Measurable: the target equals the baseline \(2\)"):
            goal.action_activate()
        goal.target_value = 1.0
        with raises(self, UserError, r"- Measurable: the target \(1\) is worse than the baseline"):
            goal.action_activate()
        self.assertEqual(goal.state, "draft")
        goal.write({"target_value": 6.0})
        goal.action_activate()
        with raises(self, ValidationError, "equals its baseline"):
            goal.write({"target_value": 2.0})

    def test_far_dates_are_refused(self):
        """Issue 14: 9999-12-31 or 0001-01-02 once raised OverflowError on activation."""
        for dates in (("2026-11-01", "9999-12-31"), ("0001-01-02", "2026-12-31")):
            with self.subTest(dates=dates), raises(self, ValidationError, "must lie between 1970-01-01 and 2199-12-31"):
                self._goal(name="Far", date_start=dates[0], date_deadline=dates[1])
        self.assertFalse(self.env["relationship.goal"].search([("name", "=", "Far")]))
        goal = self._goal()
        with raises(self, ValidationError, "must lie between"):
            goal.with_user(self.user_manager).write({"date_deadline": "9999-12-31"})
        # the widest goal allowed still activates: its history windows stay real dates
        wide = self._goal(name="Wide", date_start="1970-01-01", date_deadline="2199-12-31", target_value=9.0)
        wide.action_activate()
        self.assertEqual((wide.state, wide.baseline_value), ("active", 0.0))

    def test_invalid_partner_filter(self):
        with raises(self, ValidationError, "partner filter of the goal “Bad” is not valid"):
            self._goal(name="Bad", partner_domain="[('no_such_field', '=', 1)]")

    def test_parent_cycle(self):
        parent = self._goal(name="Parent")
        child = self._goal(name="Child", parent_id=parent.id)
        with raises(self, ValidationError, "its own parent"):
            parent.parent_id = child

    def test_access(self):
        goal = self._goal()
        self.assertEqual(goal.with_user(self.user_rel).name, "Win customers")
        with self.assertRaises(AccessError):
            goal.with_user(self.user_rel).write({"target_value": 7.0})
        with self.assertRaises(AccessError):
            self.env["relationship.goal"].with_user(self.user_internal).search([])
        created = self.env["relationship.goal"].with_user(self.user_manager).create({
            "name": "Manager goal", "date_start": "2026-04-01", "date_deadline": "2026-06-29"})
        self.assertEqual(created.owner_id, self.user_manager)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Goal other company"})
        goal = self._goal(company_id=other_company.id)
        visible = self.env["relationship.goal"].with_user(self.user_manager).search([("id", "=", goal.id)])
        self.assertFalse(visible)

    @freeze_time("2026-05-15 12:00:00")
    def test_flag_recomputed_when_target_changes(self):
        goal = self._goal()
        goal.action_activate()
        goal.target_value = 2.5  # still beyond the best (2)
        self.assertTrue(goal.achievability_flag)

    def test_form_and_views(self):
        with Form(self.env["relationship.goal"].with_user(self.user_manager)) as form:
            form.name = "Form goal"
            form.kpi_id = self.kpis["churn_rate"]
            form.date_start = "2026-04-01"
            form.date_deadline = "2026-06-29"
            form.target_value = 5.0
            form.relevance = "Churn costs more than acquisition."
        goal = form.record
        self.assertEqual((goal.smart_s, goal.smart_m, goal.smart_r, goal.smart_t), (False, True, True, True))
        views = self.env["relationship.goal"].get_views(
            [(False, kind) for kind in ("kanban", "list", "form", "pivot", "graph", "search")])["views"]
        self.assertEqual(len(views), 6)
        self.assertIn("progressbar", views["kanban"]["arch"])
