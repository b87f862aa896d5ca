from odoo.tests import freeze_time

from .common import RelationshipCase

TODAY = "2026-08-12 12:00:00"  # a Wednesday in the third quarter


@freeze_time(TODAY)
class TestRelationshipOverview(RelationshipCase):
    """The Overview's figures on a hand-built history, and the records each figure opens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(relationship_no_pipeline=True)
        cls.partner = Partner.create({"name": "Overview Partner", "is_company": True})
        cls.env.ref("customer_relationship.pipeline_customer_lifecycle").is_lifecycle = False
        cls.pipeline = cls.env["relationship.pipeline"].create({"name": "Overview", "is_lifecycle": True, "stage_ids": [
            (0, 0, {"name": "Open", "sequence": 1, "sla_days": 5}),
            (0, 0, {"name": "Client", "sequence": 2, "stage_type": "customer"}),
            (0, 0, {"name": "Churned", "sequence": 3, "stage_type": "lost"})]})
        cls.open_stage, cls.client_stage, cls.churned_stage = cls.pipeline.stage_ids.sorted("sequence")
        cls.Overview = cls.env["relationship.overview"]

    def _enter(self, name, stage, when):
        """A partner outside every pipeline, put into the lifecycle pipeline at ``stage`` at ``when``."""
        with freeze_time(when):
            partner = self.partner.copy({"name": name})
            self.env["relationship.pipeline.membership"].create({
                "partner_id": partner.id, "pipeline_id": self.pipeline.id, "stage_id": stage.id})
            return partner

    def _move(self, partner, stage, when):
        with freeze_time(when):
            partner.relationship_membership_ids.filtered(lambda m: m.pipeline_id == self.pipeline).stage_id = stage

    def _history(self):
        """Kept (Q1), Lost (Q1, churned in Q3), Won in Q2, Won in Q3."""
        kept = self._enter("Kept", self.client_stage, "2026-03-10 09:00:00")
        lost = self._enter("Lost", self.client_stage, "2026-02-01 09:00:00")
        won_q2 = self._enter("Won in Q2", self.client_stage, "2026-05-15 09:00:00")
        won_q3 = self._enter("Won in Q3", self.client_stage, "2026-07-15 09:00:00")
        self._move(lost, self.churned_stage, "2026-07-20 09:00:00")
        return kept, lost, won_q2, won_q3

    def _tiles(self, user=None):
        overview = self.Overview.with_user(user) if user else self.Overview
        return {tile["key"]: tile for tile in overview.get_dashboard()["tiles"]}

    def test_kpi_tiles_against_the_previous_quarter_and_their_trend(self):
        self._history()
        tiles = self._tiles()
        self.assertEqual(list(tiles), ["acquisition", "retention_rate", "churn_rate", "growth_rate"])
        # Q3 so far: S = 3 (Kept, Lost, Won in Q2), E = 3, N = 1, L = 1; Q2: S = 2, E = 3, N = 1, L = 0
        figures = {key: (round(tile["value"], 2), round(tile["previous"], 2)) for key, tile in tiles.items()}
        self.assertEqual(figures, {"acquisition": (1.0, 1.0), "retention_rate": (66.67, 100.0),
                                   "churn_rate": (33.33, 0.0), "growth_rate": (0.0, 50.0)})
        acquisition = tiles["acquisition"]
        self.assertEqual((acquisition["date_from"], acquisition["date_to"]), ("2026-07-01", "2026-08-12"))
        self.assertTrue(tiles["churn_rate"]["lower_is_better"])
        self.assertFalse(acquisition["lower_is_better"])
        self.assertEqual([point["date"] for point in acquisition["trend"]][::11], ["2025-09-01", "2026-08-01"])
        # customers won: February, March, May, July
        self.assertEqual([point["value"] for point in acquisition["trend"]],
                         [0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0])
        # growth per month: May 2 -> 3 customers, July 3 -> 3 (one won, one lost)
        self.assertEqual([round(point["value"], 1) for point in tiles["growth_rate"]["trend"]],
                         [0, 0, 0, 0, 0, 0, 100.0, 0, 50.0, 0, 0, 0])

    def test_funnel_in_stage_order(self):
        self._history()
        funnel = self.Overview.get_dashboard()["funnel"]
        self.assertEqual(funnel["pipeline"], "Overview")
        self.assertEqual([(stage["name"], stage["count"]) for stage in funnel["stages"]],
                         [("Open", 0), ("Client", 3), ("Churned", 1)])
        churned = self.env["res.partner"].search(funnel["stages"][2]["domain"])
        self.assertEqual(churned.mapped("name"), ["Lost"])

    def test_funnel_counts_only_the_partners_the_user_sees(self):
        _kept, _lost, won_q2, won_q3 = self._history()
        won_q2.action_archive()
        won_q3.company_id = self.env["res.company"].create({"name": "Other Overview Co"})
        for user, clients in ((None, 2), (self.user_rel, 1)):
            overview = self.Overview.with_user(user) if user else self.Overview
            stages = overview.get_dashboard()["funnel"]["stages"]
            Partner = overview.env["res.partner"]
            # each count is what its link opens for this user: active partners of the user's companies
            self.assertEqual([stage["count"] for stage in stages],
                             [Partner.search_count(stage["domain"]) for stage in stages])
            self.assertEqual(stages[1]["count"], clients)

    def test_interactions_per_week_by_channel(self):
        Interaction = self.env["relationship.interaction"]
        Interaction.create([{"partner_id": self.partner.id, "subject": subject, "date": date, "channel": channel}
                            for subject, date, channel in (
                                ("Monday call", "2026-08-10 09:00:00", "phone"),
                                ("Tuesday call", "2026-08-11 09:00:00", "phone"),
                                ("Last week's mail", "2026-08-05 09:00:00", "email"),
                                ("First week's meeting", "2026-05-26 09:00:00", "meeting"),
                                ("Too old", "2026-05-20 09:00:00", "phone"))])
        weeks = self.Overview.get_dashboard()["interactions"]
        self.assertEqual((weeks["weeks"][0], weeks["weeks"][-1], len(weeks["weeks"])), ("2026-05-25", "2026-08-10", 12))
        self.assertEqual(weeks["total"], 4)
        rows = {channel["key"]: channel["counts"] for channel in weeks["channels"]}
        self.assertEqual(rows, {"phone": [0] * 11 + [2], "email": [0] * 10 + [1, 0], "meeting": [1] + [0] * 11})
        phone = next(channel for channel in weeks["channels"] if channel["key"] == "phone")
        opened = Interaction.search(phone["domains"][-1])
        self.assertEqual(sorted(opened.mapped("subject")), ["Monday call", "Tuesday call"])

    def test_partners_needing_attention(self):
        stale = self._enter("Stale One", self.open_stage, "2026-08-01 12:00:00")
        self._enter("Fresh One", self.open_stage, TODAY)
        attention = self.Overview.get_dashboard()["attention"]
        self.assertEqual(attention["count"], 1)
        self.assertEqual([(r["name"], r["pipeline"], r["stage"], r["days"]) for r in attention["records"]],
                         [("Stale One", "Overview", "Open", 11)])
        self.assertEqual(self.env[attention["model"]].search(attention["domain"]).partner_id, stale)

    def test_goals_at_risk(self):
        goal = self.env["relationship.goal"].create({
            "name": "Risky", "kpi_id": self.env.ref("customer_relationship.kpi_acquisition").id,
            "target_value": 5, "date_start": "2026-07-01", "date_deadline": "2026-12-31"})
        self.assertEqual(self.Overview.get_dashboard()["goals"]["count"], 0)
        goal.write({"state": "active", "status": "at_risk"})
        goals = self.Overview.get_dashboard()["goals"]
        self.assertEqual((goals["count"], [r["name"] for r in goals["records"]]), (1, ["Risky"]))
        self.assertEqual(self.env["relationship.goal"].search(goals["domain"]), goal)

    def test_gdpr_deadlines_only_for_privacy_officers(self):
        Request = self.env["gdpr.request"]
        late, soon, later = Request.create([
            {"requester_name": name, "request_type": "access", "date_received": received}
            for name, received in (("Late", "2026-06-01"), ("Soon", "2026-07-15"), ("Later", "2026-08-10"))])
        self.assertFalse(self.Overview.with_user(self.user_rel).get_dashboard()["gdpr"])
        self.assertFalse(self.Overview.with_user(self.user_manager).get_dashboard()["gdpr"])
        gdpr = self.Overview.with_user(self.user_officer).get_dashboard()["gdpr"]
        self.assertEqual(gdpr["counts"], {"open": 3, "overdue": 1, "soon": 1})
        self.assertEqual([r["subject"] for r in gdpr["records"]], ["Late", "Soon", "Later"])
        self.assertEqual(Request.search(gdpr["domains"]["overdue"]), late)
        self.assertEqual(Request.search(gdpr["domains"]["soon"]), soon)
        self.assertTrue(later)

    def test_a_user_without_relationship_rights_sees_no_figures(self):
        data = self.Overview.with_user(self.user_internal).get_dashboard()
        self.assertEqual((data["tiles"], data["interactions"], data["goals"], data["gdpr"]), ([], False, False, False))

    def test_queries_do_not_grow_with_the_data(self):
        """14 queries: one for the four KPI tiles over their 14 periods, one per other section or so."""
        self._history()
        overview = self.Overview.with_user(self.user_officer)
        overview.get_dashboard()  # warm the caches
        with self.assertQueryCount(14):
            overview.get_dashboard()
        for index in range(10):
            self._enter(f"More {index}", self.client_stage if index % 2 else self.open_stage, "2026-07-02 09:00:00")
        self.env["relationship.interaction"].create([
            {"partner_id": self.partner.id, "subject": f"Call {i}", "date": "2026-08-03 09:00:00"} for i in range(10)])
        self.env.invalidate_all()
        overview.get_dashboard()
        with self.assertQueryCount(14):
            overview.get_dashboard()

    def test_every_tile_opens_the_partners_it_counts(self):
        kept, lost, won_q2, won_q3 = self._history()
        expected = {"acquisition": won_q3, "retention_rate": kept | won_q2, "churn_rate": lost,
                    "growth_rate": kept | won_q2 | won_q3}
        for tile in self._tiles(self.user_rel).values():
            action = self.Overview.with_user(self.user_rel).action_open_kpi(
                tile["kpi_id"], tile["which"], tile["date_from"], tile["date_to"])
            opened = self.env["res.partner"].with_context(**action["context"]).search(action["domain"])
            self.assertEqual(opened, expected[tile["key"]], tile["key"])

    def test_opening_refuses_what_is_not_a_tile(self):
        kpi = self.env.ref("customer_relationship.kpi_interaction_count")
        self.assertFalse(self.Overview.action_open_kpi(kpi.id, "end", "2026-07-01", "2026-08-12"))
        acquisition = self.env.ref("customer_relationship.kpi_acquisition")
        self.assertFalse(self.Overview.action_open_kpi(
            acquisition.id, "lost; DROP TABLE x", "2026-07-01", "2026-08-12"))
