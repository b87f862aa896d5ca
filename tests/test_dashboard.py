from odoo.tests import freeze_time

from .common import RelationshipCase


@freeze_time("2026-08-12 12:00:00")  # a Wednesday in the third quarter
class TestRelationshipOverview(RelationshipCase):
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
        cls.renewal = cls.env["relationship.pipeline"].create({"name": "Key Account Renewal", "stage_ids": [
            (0, 0, {"name": "Due", "sequence": 1})]})

    def _member(self, name, stage):
        partner = self.partner.copy({"name": name})
        return self.env["relationship.pipeline.membership"].create({"partner_id": partner.id, "stage_id": stage.id})

    def _card(self, code, user=None):
        card = self.env.ref(f"customer_relationship.card_{code}")
        card.invalidate_recordset()  # figures are computed on read, as each page load does
        return card.with_user(user) if user else card

    def test_interactions_this_week_against_last_week(self):
        self.env["relationship.interaction"].create([
            {"partner_id": self.partner.id, "subject": s, "date": d} for s, d in (
                ("Monday", "2026-08-10 09:00:00"), ("Tuesday", "2026-08-11 09:00:00"),
                ("Wednesday", "2026-08-12 09:00:00"), ("Last week", "2026-08-05 09:00:00"),
                ("Two weeks ago", "2026-07-29 09:00:00"))])
        card = self._card("interactions_week")
        self.assertEqual((card.value_display, card.detail, card.alert), ("3", "1 last week", False))
        action = card.action_open()
        self.assertEqual(action["res_model"], "relationship.interaction")
        self.assertEqual(self.env["relationship.interaction"].search_count(action["domain"]), 3)

    def test_stale_partners(self):
        with freeze_time("2026-08-01 12:00:00"):
            stale = self._member("Stale One", self.open_stage)
        self._member("Fresh One", self.open_stage)
        card = self._card("stale_partners")
        self.assertEqual((card.value_display, card.alert), ("1", True))
        action = card.action_open()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), stale)

    def test_quarter_kpis(self):
        with freeze_time("2026-06-20 12:00:00"):
            kept = self._member("Kept", self.client_stage)
        with freeze_time("2026-07-15 12:00:00"):
            self._member("Won in Q3", self.client_stage)
        self.assertEqual(self._card("kpi_acquisition").value_display, "1")
        self.assertEqual(self._card("kpi_retention_rate").value_display, "100.0 %")
        self.assertEqual(self._card("kpi_growth_rate").value_display, "100.0 %")
        self.assertEqual(self._card("kpi_churn_rate").value_display, "0.0 %")
        self.assertEqual(self._card("kpi_acquisition").detail, "since 2026-07-01")
        self.assertTrue(kept)

    def _opened(self, code):
        action = self._card(code).action_open()
        self.assertEqual(action["res_model"], "res.partner")
        return self.env["res.partner"].with_context(**action["context"]).search(action["domain"])

    def test_every_figure_and_its_list_agree(self):
        """The issue's story: five customers at the start of Q3; two churn, one comes in; two of the
        customers are also put into a renewal pipeline, which changes none of the figures."""
        with freeze_time("2026-06-01 12:00:00"):
            members = [self._member(f"Customer {i}", self.client_stage) for i in range(5)]
        with freeze_time("2026-07-10 12:00:00"):
            members[0].stage_id = self.churned_stage
            members[1].action_archive()  # taken out of the lifecycle: no longer a customer there
            new = self._member("New in Q3", self.client_stage)
            self.env["relationship.pipeline.membership"].create([
                {"partner_id": m.partner_id.id, "pipeline_id": self.renewal.id} for m in members[2:4]])
        partners = [m.partner_id for m in members]
        # S = 5, E = 4 (3 kept + 1 new), L = 2, N = 1
        self.assertEqual(self._card("kpi_retention_rate").value_display, "60.0 %")
        self.assertEqual(self._card("kpi_churn_rate").value_display, "40.0 %")
        self.assertEqual(self._card("kpi_growth_rate").value_display, "-20.0 %")
        self.assertEqual(self._card("kpi_acquisition").value_display, "1")
        kept = partners[2] | partners[3] | partners[4]
        self.assertEqual(self._opened("kpi_retention_rate"), kept)
        self.assertEqual(self._opened("kpi_churn_rate"), partners[0] | partners[1])
        self.assertEqual(self._opened("kpi_acquisition"), new.partner_id)
        self.assertEqual(self._opened("kpi_growth_rate"), kept | new.partner_id)

    def test_goals_at_risk(self):
        goal = self.env["relationship.goal"].create({
            "name": "Risky", "kpi_id": self.env.ref("customer_relationship.kpi_acquisition").id,
            "target_value": 5, "date_start": "2026-07-01", "date_deadline": "2026-12-31"})
        self.assertEqual(self._card("goals_at_risk").value_display, "0")
        goal.write({"state": "active", "status": "at_risk"})
        card = self._card("goals_at_risk")
        self.assertEqual((card.value_display, card.alert), ("1", True))
        self.assertEqual(self.env["relationship.goal"].search(card.action_open()["domain"]), goal)

    def test_users_see_the_cards_of_their_groups(self):
        Card = self.env["relationship.dashboard.card"]
        codes = set(Card.with_user(self.user_rel).search([]).mapped("code"))
        self.assertIn("interactions_week", codes)
        self.assertNotIn("gdpr_open", codes)
        self.assertIn("gdpr_open", set(Card.with_user(self.user_officer).search([]).mapped("code")))
