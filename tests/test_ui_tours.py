import base64
import io
import json
import zipfile
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestUiTours(HttpCase):
    """What users click, in headless Chromium."""

    def test_goal_tour(self):
        self.start_tour("/odoo", "customer_relationship_goal_tour", login="admin")
        goal = self.env["relationship.goal"].search([("name", "=", "Win five new customers")])
        self.assertEqual(goal.state, "active")
        self.assertEqual(goal.kpi_id, self.env.ref("customer_relationship.kpi_acquisition"))
        self.assertEqual(goal.target_value, 5.0)
        self.assertTrue(goal.achievability_note)

    def test_interaction_tour(self):
        partner = self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        self.start_tour(f"/odoo/contacts/{partner.id}", "customer_relationship_interaction_tour", login="admin")
        interaction = partner.interaction_ids
        self.assertEqual(len(interaction), 1)
        self.assertEqual((interaction.subject, interaction.channel, interaction.outcome),
                         ("Discussed the spring order", "meeting", "positive"))
        self.assertEqual(partner.interaction_count, 1)

    def test_pipeline_tour(self):
        lead = self.env.ref("customer_relationship.stage_lead")
        partner = self.env["res.partner"].create({
            "name": "Tour Board Partner", "is_company": True, "relationship_stage_id": lead.id})
        self.start_tour("/odoo", "customer_relationship_pipeline_tour", login="admin")
        history = partner.relationship_stage_history_ids.sorted("id")
        self.assertEqual(history.stage_id.mapped("name"), ["Lead", "Qualified"])
        self.assertEqual(history[0].date_leave, history[1].date_enter)
        self.assertFalse(history[1].date_leave)

    def test_gdpr_access_tour(self):
        partner = self.env["res.partner"].create({"name": "Tour Person", "email": "tour.person@example.com"})
        self.env["relationship.interaction"].create({"partner_id": partner.id, "subject": "Tour call"})
        self.start_tour("/odoo", "customer_relationship_gdpr_access_tour", login="admin")
        request = self.env["gdpr.request"].search([("partner_id", "=", partner.id)])
        self.assertEqual((request.request_type, request.state), ("access", "done"))
        self.assertTrue(request.identity_verified)
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(request.export_attachment_id.datas))) as archive:
            document = json.loads(archive.read("data.json"))
        self.assertEqual([r["subject"] for r in document["records"]["relationship.interaction"]], ["Tour call"])

    def test_gdpr_erasure_tour(self):
        partner = self.env["res.partner"].create({"name": "Erase Me", "email": "erase.me@example.com"})
        self.env["relationship.interaction"].create({"partner_id": partner.id, "subject": "Erase call"})
        request = self.env["gdpr.request"].create({
            "request_type": "erasure", "requester_name": "Erase Me", "requester_email": "erase.me@example.com",
            "partner_id": partner.id, "identity_method": "id_document"})
        request.action_verify_identity()
        self.start_tour(f"/odoo/action-customer_relationship.action_gdpr_request/{request.id}",
                        "customer_relationship_gdpr_erasure_tour", login="admin")
        self.assertEqual(request.state, "done")
        self.assertEqual(partner.with_context(active_test=False).name, f"Anonymized {partner.id}")
        self.assertFalse(partner.with_context(active_test=False).interaction_ids)


@tagged("post_install", "-at_install")
class TestOverviewTour(HttpCase):
    """Read the Overview in English and in Turkish: the figures of a hand-built history, then open a tile."""

    def setUp(self):
        super().setUp()
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        customer = self.env.ref("customer_relationship.stage_customer")
        long_ago = fields.Datetime.now() - timedelta(days=400)
        kept, lost = Partner.create([{"name": "Tour Kept", "relationship_stage_id": customer.id},
                                     {"name": "Tour Lost", "relationship_stage_id": customer.id}])
        (kept | lost).relationship_stage_history_ids.write({"date_enter": long_ago})
        # this quarter: one lost, one won; the previous quarter had the two customers and no change
        lost.relationship_stage_id = self.env.ref("customer_relationship.stage_churned")
        Partner.create({"name": "Tour Won", "relationship_stage_id": customer.id})
        lead = self.env.ref("customer_relationship.stage_lead")  # allowed days: see the stage's SLA
        waiting = Partner.create({"name": "Tour Waiting", "relationship_stage_id": lead.id})
        waiting.relationship_stage_history_ids.write({"date_enter": long_ago})
        waiting.date_stage_entered = long_ago
        self.lost = lost

    def test_overview_tour_english(self):
        self.start_tour("/odoo", "customer_relationship_overview_tour_en", login="admin")

    def test_overview_tour_turkish(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env.ref("base.user_admin").lang = "tr_TR"
        self.start_tour("/odoo", "customer_relationship_overview_tour_tr", login="admin")
