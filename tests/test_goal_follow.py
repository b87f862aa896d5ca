from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import freeze_time
from odoo.tools import convert_file
from odoo.tools.safe_eval import safe_eval

from .common import RelationshipCase
from .test_goal_smart import GoalCase


class TestGoalFollow(GoalCase):
    """What a goal's owner sees: the checklist, activation, the chart."""

    def test_empty_goal_ticks_nothing(self):
        goal = self.env["relationship.goal"].new({})
        self.assertEqual((goal.smart_s, goal.smart_m, goal.smart_a, goal.smart_r, goal.smart_t),
                         (False, False, False, False, False))
        # a KPI and a target without a measurement or a note: whether it is within reach is not known yet
        goal = self._goal(achievability_note=False)
        self.assertEqual((goal.smart_s, goal.smart_m, goal.smart_a, goal.smart_r, goal.smart_t),
                         (True, True, False, True, True))
        goal.achievability_note = "Two trade fairs this quarter."
        self.assertTrue(goal.smart_a)

    def test_missing_deadline_is_refused_by_the_smart_check(self):
        form = Form(self.env["relationship.goal"].with_user(self.user_manager))
        form.name = "No deadline yet"
        goal = form.save()  # a draft saves without a deadline: no generic "Invalid fields"
        self.assertFalse(goal.date_deadline)
        self.assertFalse(goal.smart_t)
        goal.write({"description": "Customers of the KPI test pipeline.", "relevance": "Growth.",
                     "kpi_id": self.kpis["acquisition"].id, "target_value": 6.0})
        with self.assertRaises(UserError) as caught:
            goal.with_user(self.user_manager).action_activate()
        self.assertEqual(str(caught.exception), "\n".join([
            "The goal “No deadline yet” cannot be activated yet:",
            "- Time-bound: set a start date and a deadline after it.",
        ]))
        self.assertEqual((goal.state, goal.date_baseline, goal.measurement_count), ("draft", False, 0))

    @freeze_time("2026-05-15 12:00:00")
    def test_activation_measures_at_once(self):
        goal = self._goal()
        goal.with_user(self.user_manager).action_activate()
        # baseline 2 (2026-01-01 .. 03-31); window of 90 days ending 2026-05-15: D, F, H became customers -> 3
        self.assertEqual((goal.state, goal.baseline_value, goal.current_value), ("active", 2.0, 3.0))
        self.assertEqual(goal.date_last_measured, date(2026, 5, 15))
        self.assertEqual((goal.progress, goal.status), (25.0, "at_risk"))  # (3-2)/(6-2), 44/89 elapsed
        measurement = goal.measurement_ids
        self.assertEqual((measurement.date, measurement.value, measurement.target_value),
                         (date(2026, 5, 15), 3.0, 6.0))
        self.assertAlmostEqual(measurement.expected_value, 2 + 4 * 44 / 89)

    def test_chart_draws_measured_days_only(self):
        goal = self._goal()
        with freeze_time("2026-04-01 09:00:00"):
            goal.action_activate()  # measured on the start day: 90 days ending 04-01 -> C, H -> 2
        with freeze_time("2026-05-15 12:00:00"):
            goal.action_measure()
        action = goal.action_view_measurements()
        self.assertEqual((action["res_model"], action["domain"]),
                         ("relationship.goal.chart", [("goal_id", "=", goal.id)]))
        context = safe_eval(action["context"])
        self.assertIs(context["fill_temporal"], False)
        groups = self.env["relationship.goal.chart"].with_context(**context).read_group(
            action["domain"], ["value:avg"], ["date:day", "series"], lazy=False)
        got = [(group["date:day"], group["series"], round(group["value"], 4)) for group in groups]
        self.assertEqual(got, [
            ("01 Apr 2026", "1_measured", 2.0), ("01 Apr 2026", "2_target", 6.0), ("01 Apr 2026", "3_expected", 2.0),
            ("15 May 2026", "1_measured", 3.0), ("15 May 2026", "2_target", 6.0),
            ("15 May 2026", "3_expected", round(2 + 4 * 44 / 89, 4)),
        ])

    def test_refusals_speak_the_users_language(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        goal = self._goal(achievability_note=False, target_value=6.5)
        with self.assertRaises(UserError) as caught:
            goal.with_context(lang="tr_TR").action_activate()
        self.assertIn("(6,50)", str(caught.exception))
        self.assertIn("(2)", str(caught.exception))


class TestGoalDemo(RelationshipCase):
    """The demo's goals tell what the demo history gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("relationship_pipeline_demo.xml", "relationship_interaction_demo.xml",
                     "relationship_goal_demo.xml"):
            convert_file(cls.env, "customer_relationship", f"demo/{name}", {}, mode="init", kind="demo")

    def test_demo_goals_match_the_history(self):
        kpi_of = {}
        for xmlid in ("demo_goal_retention", "demo_goal_acquisition"):
            goal = self.env.ref(f"customer_relationship.{xmlid}")
            kpi = goal.kpi_id
            _key, scope = goal._scope()
            (baseline_start, baseline_end), *_older = kpi._history_windows(goal.date_start, goal._period_days())
            self.assertTrue(goal.date_baseline, xmlid)
            self.assertEqual(goal.baseline_value, kpi.compute_value(baseline_start, baseline_end, **scope), xmlid)
            day = min(goal.date_last_measured, goal.date_deadline)
            date_from, date_to = kpi._window(day, goal._period_days())
            self.assertEqual(goal.current_value, kpi.compute_value(date_from, date_to, **scope), xmlid)
            self.assertEqual(goal.measurement_ids.sorted("date")[-1:].value, goal.current_value, xmlid)
            kpi_of[xmlid] = goal
        acquisition = kpi_of["demo_goal_acquisition"]
        self.assertEqual(len(acquisition.measurement_ids), 4)
        self.assertEqual(acquisition.state, "achieved" if acquisition.progress >= 100 else "missed")
        self.assertEqual(acquisition.state, "achieved",
                         (acquisition.baseline_value, acquisition.best_value, acquisition.current_value))
