from odoo.tests import freeze_time

from .test_goal_smart import GoalCase


class TestGoalMeasure(GoalCase):

    def _activities(self, goals, xmlid):
        return self.env["mail.activity"].search([
            ("res_model", "=", "relationship.goal"), ("res_id", "in", goals.ids),
            ("activity_type_id", "=", self.env.ref("customer_relationship." + xmlid).id)])

    def test_progress_thresholds(self):
        Kpi = self.env["relationship.kpi"]
        # rise: baseline 2, target 6
        self.assertEqual(Kpi._progress(2, 6, 3), 25.0)
        self.assertEqual(Kpi._progress(2, 6, 1), 0.0)
        self.assertEqual(Kpi._progress(2, 6, 9), 100.0)
        # fall (churn, lower is better): baseline 8, target 4
        self.assertEqual(Kpi._progress(8, 4, 6), 50.0)
        self.assertEqual(Kpi._progress(8, 4, 9), 0.0)
        self.assertEqual(Kpi._progress(8, 4, 3), 100.0)
        # on track down to 10 points behind the elapsed share, at risk down to 25 behind, then off track
        self.assertEqual(Kpi._status(40.0, 50.0), "on_track")
        self.assertEqual(Kpi._status(39.9, 50.0), "at_risk")
        self.assertEqual(Kpi._status(25.0, 50.0), "at_risk")
        self.assertEqual(Kpi._status(24.9, 50.0), "off_track")
        self.assertEqual(Kpi._status(100.0, 100.0), "on_track")

    def test_measure_progress_and_status(self):
        goals = self._goal(name="At risk") | self._goal(name="On track", target_value=4.0) \
            | self._goal(name="Off track", target_value=14.0)
        with freeze_time("2026-04-01 09:00:00"):
            goals.action_activate()  # baseline 2 for each (2026-01-01 .. 2026-03-31), measured on the start day
        with freeze_time("2026-05-15 12:00:00"):
            goals.action_measure()
        # window of 90 days ending 2026-05-15: 2026-02-15 .. 2026-05-15
        # customers on 02-15: A, C, G; on 05-16: A, C, D, F, G, H -> acquisition = D, F, H = 3
        expected = 44 / 89 * 100  # days elapsed / days from start to deadline
        at_risk, on_track, off_track = goals
        for goal in goals:
            self.assertEqual(goal.current_value, 3.0)
            self.assertAlmostEqual(goal.expected_progress, expected)
            self.assertEqual(goal.measurement_ids.sorted("date").mapped("value"), [2.0, 3.0])
        self.assertEqual((at_risk.progress, at_risk.status), (25.0, "at_risk"))  # (3-2)/(6-2)
        self.assertEqual((on_track.progress, on_track.status), (50.0, "on_track"))  # (3-2)/(4-2)
        self.assertAlmostEqual(off_track.progress, 100 / 12)  # (3-2)/(14-2)
        self.assertEqual(off_track.status, "off_track")
        # the owner of the goal that became at risk gets one activity; a second measure adds none
        activity = self._activities(goals, "mail_activity_type_goal_at_risk")
        self.assertEqual((activity.res_id, activity.user_id), (at_risk.id, self.user_manager))
        with freeze_time("2026-05-15 18:00:00"):
            goals.action_measure()
        self.assertEqual(len(self._activities(goals, "mail_activity_type_goal_at_risk")), 1)
        self.assertEqual(len(at_risk.measurement_ids), 2)

    @freeze_time("2026-04-15 12:00:00")
    def test_deadline_achieved_or_missed(self):
        # 2026-01-01 .. 2026-03-31, baseline 0 (2025-10-03 .. 12-31); final value 2 (C and H)
        achieved = self._goal(name="Reached", date_start="2026-01-01", date_deadline="2026-03-31", target_value=2.0)
        missed = self._goal(name="Short", date_start="2026-01-01", date_deadline="2026-03-31", target_value=3.0)
        running = self._goal(name="Running")
        (achieved | missed | running).action_activate()
        self.env["relationship.goal"]._cron_measure()
        self.assertEqual((achieved.state, achieved.current_value, achieved.progress), ("achieved", 2.0, 100.0))
        self.assertEqual(missed.state, "missed")
        self.assertAlmostEqual(missed.progress, 200 / 3)
        self.assertEqual(missed.measurement_ids.date.isoformat(), "2026-03-31")
        self.assertEqual(running.state, "active")

    @freeze_time("2026-04-15 12:00:00")
    def test_crons_are_idempotent(self):
        goals = self._goal(name="One") | self._goal(name="Two")
        goals.action_activate()
        draft = self._goal(name="Draft")
        Goal = self.env["relationship.goal"]
        for _run in range(2):
            Goal._cron_measure()
            Goal._cron_quarterly_review()
        for goal in goals:
            self.assertEqual(len(goal.measurement_ids), 1)
        reviews = self._activities(goals | draft, "mail_activity_type_goal_review")
        self.assertEqual(sorted(reviews.mapped("res_id")), sorted(goals.ids))
        self.assertEqual(set(reviews.mapped("user_id")), {self.user_manager})
        self.assertEqual(goals.mapped("review_quarter"), ["2026-Q2", "2026-Q2"])
        with freeze_time("2026-07-02 12:00:00"):
            Goal._cron_quarterly_review()
            Goal._cron_quarterly_review()
            Goal._cron_measure()
        self.assertEqual(len(self._activities(goals, "mail_activity_type_goal_review")), 4)
        for goal in goals:
            self.assertEqual(len(goal.measurement_ids), 2)

    @freeze_time("2026-04-02 12:00:00")
    def test_queries_grow_with_kpis_not_goals(self):
        """Measuring, closing past goals and flagging goals at risk: the same queries for 5 and 50 goals."""
        kpis = self.kpis["acquisition"] | self.kpis["interaction_count"]
        # a third of the goals ended on 2026-03-31 (closed now), a third aim far too high (at risk)
        kinds = [("2026-01-01", "2026-03-31", 10.0), ("2026-03-10", "2026-06-29", 1000.0),
                 ("2026-04-01", "2026-06-29", 2.0)]

        def make(count):
            return self.env["relationship.goal"].create([{
                "name": f"Bulk {i}", "kpi_id": kpis[i % 2].id, "partner_domain": repr(self.domain_all),
                "date_start": kinds[i % 3][0], "date_deadline": kinds[i % 3][1],
                "target_value": 1.0 if i % 6 == 0 else kinds[i % 3][2],  # some closed goals reached it
                "state": "active", "baseline_value": 0.0, "date_baseline": "2026-04-01",
                "owner_id": self.user_manager.id} for i in range(count)])

        def measure(goals):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            goals.with_context(tracking_disable=False)._measure()
            self.env.flush_all()
            self.cr.precommit.run()  # tracking is written at commit time: it counts too
            self.env.flush_all()
            return self.cr.sql_log_count - before

        measure(make(6))  # warm the caches
        few, many = make(6), make(60)
        queries = measure(few)
        mails_before = self.env["mail.mail"].search_count([])
        self.assertEqual(measure(many), queries)
        self.assertEqual(measure(make(60)), queries)
        # and the figures are right: acquisition over 2026-01-03 .. 2026-04-02 = C, H
        running = many.filtered(lambda g: g.date_deadline.isoformat() == "2026-06-29")
        quarter = running.filtered(lambda g: g.date_start.isoformat() == "2026-04-01" and g.kpi_id == kpis[0])
        self.assertEqual(set(quarter.mapped("current_value")), {2.0})
        self.assertEqual(len(many.measurement_ids), 60)
        self.assertEqual(set(running.mapped("status")), {"on_track", "at_risk"})
        at_risk = running.filtered(lambda g: g.status == "at_risk")
        self.assertEqual(len(at_risk), 20)
        self.assertEqual(sorted(self._activities(many, "mail_activity_type_goal_at_risk").mapped("res_id")),
                         sorted(at_risk.ids))
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before, "no e-mail per activity")
        closed = many - running
        self.assertEqual(set(closed.mapped("state")), {"achieved", "missed"})
        logs = self.env["mail.message"].search([("model", "=", "relationship.goal"), ("res_id", "in", closed.ids)])
        self.assertEqual(sorted(logs.mapped("res_id")), sorted(closed.ids), "one log message per closed goal")
