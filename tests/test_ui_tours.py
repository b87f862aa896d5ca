from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase
from odoo.tests import new_test_user
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

    def _follow_goal(self, lang):
        """A goal on the interactions of one partner: 2 in the baseline period, 5 in the last 90 days."""
        today = fields.Date.context_today(self.env["relationship.goal"])
        partner = self.env["res.partner"].create({"name": "Followed Customer", "is_company": True})
        self.env["relationship.interaction"].create([
            {"partner_id": partner.id, "subject": f"Call {days}", "date": datetime.combine(
                today - timedelta(days=days), time(12))} for days in (100, 110, 1, 2, 3, 4, 5)])
        goal = self.env["relationship.goal"].create({
            "name": "Follow the tour goal", "description": "Talk more with the followed customer.",
            "relevance": "It is our largest account.", "achievability_note": "A new account manager.",
            "kpi_id": self.env.ref("customer_relationship.kpi_interaction_count").id,
            "partner_domain": repr([("id", "=", partner.id)]), "target_value": 8.0,
            "date_start": today - timedelta(days=30), "date_deadline": today + timedelta(days=59)})
        if lang != "en_US":
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(["customer_relationship"], [lang], overwrite=True)
        self.env.ref("base.user_admin").lang = lang
        self.start_tour(f"/odoo/action-customer_relationship.action_relationship_goal/{goal.id}",
                        f"customer_relationship_goal_follow_tour_{lang[:2]}", login="admin")
        # what the tour read is what the goal holds
        self.assertEqual((goal.state, goal.baseline_value, goal.current_value, goal.status),
                         ("active", 2.0, 5.0, "on_track"))
        self.assertEqual(goal.progress, 50.0)
        self.assertAlmostEqual(goal.measurement_ids.expected_value, 2 + 6 * 30 / 89)

    def test_goal_follow_tour_english(self):
        self._follow_goal("en_US")

    def test_goal_follow_tour_turkish(self):
        self._follow_goal("tr_TR")

    def _log_interaction(self, lang):
        """Log a call on a new company's card; the card, the list, the counter and the chatter tell it."""
        partner = self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        self.assertEqual(partner.relationship_stage_id, self.env.ref("customer_relationship.stage_lead"))
        if lang != "en_US":
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(["customer_relationship"], [lang], overwrite=True)
        self.env.ref("base.user_admin").lang = lang
        self.start_tour(f"/odoo/contacts/{partner.id}", f"customer_relationship_interaction_tour_{lang[:2]}",
                        login="admin")
        interaction = partner.interaction_ids
        self.assertEqual(len(interaction), 1)
        self.assertEqual((interaction.subject, interaction.channel, interaction.outcome),
                         ("Discussed the spring order", "meeting", "positive"))
        self.assertEqual(partner.interaction_count, 1)
        self.assertEqual(partner.days_since_last_interaction, 0)
        # what the card read: the server's text in the user's language
        translated = partner.with_context(lang=lang)
        self.assertEqual(translated.relationship_last_contact, translated.env._("Less than a day ago"))
        message = self.env["mail.message"].search([("relationship_interaction_id", "=", interaction.id)])
        self.assertEqual((message.model, message.res_id), ("res.partner", partner.id))

    def test_interaction_tour_english(self):
        self._log_interaction("en_US")

    def test_interaction_tour_turkish(self):
        self._log_interaction("tr_TR")

    def test_pipeline_tour(self):
        partner = self.env["res.partner"].create({"name": "Tour Board Partner", "is_company": True})
        lifecycle = partner.relationship_membership_ids
        self.assertEqual(lifecycle.stage_id, self.env.ref("customer_relationship.stage_lead"))
        onboarding = self.env["relationship.pipeline"].create({"name": "Tour Onboarding", "stage_ids": [
            (0, 0, {"name": "Tour Kickoff", "sequence": 1}), (0, 0, {"name": "Tour Live", "sequence": 2})]})
        self.start_tour("/odoo", "customer_relationship_pipeline_tour", login="admin")
        history = lifecycle.history_ids.sorted("id")
        self.assertEqual(history.stage_id.mapped("name"), ["Lead", "Qualified"])
        self.assertEqual(history[0].date_leave, history[1].date_enter)
        self.assertFalse(history[1].date_leave)
        added = partner.relationship_membership_ids - lifecycle
        self.assertEqual((added.pipeline_id, added.stage_id.name), (onboarding, "Tour Kickoff"))
        self.assertEqual(partner.relationship_stage_id.name, "Qualified", "the lifecycle stage stays")

    def _gdpr_tour_setup(self, lang):
        """The next reference is GDPR/<year>/0007 (the tours read it); the company's officer is "Tour Officer"."""
        self.env.ref("customer_relationship.seq_gdpr_request").number_next_actual = 7
        officer = new_test_user(self.env, "tour_officer", name="Tour Officer",
                                groups="base.group_user,customer_relationship.group_privacy_officer")
        self.env.company.gdpr_officer_id = officer
        if lang != "en_US":
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(["customer_relationship"], [lang], overwrite=True)
        self.env.ref("base.user_admin").lang = lang
        return officer

    def _gdpr_register(self, lang):
        """Issue 16: register from the contact's Action menu, verify, execute, download."""
        officer = self._gdpr_tour_setup(lang)
        partner = self.env["res.partner"].create({"name": "Tour Person", "email": "tour.person@example.com"})
        self.env["relationship.interaction"].create({"partner_id": partner.id, "subject": "Tour call"})
        self.start_tour(f"/odoo/contacts/{partner.id}", f"customer_relationship_gdpr_register_tour_{lang[:2]}",
                        login="admin")
        request = self.env["gdpr.request"].search([("partner_id", "=", partner.id)])
        year = fields.Date.context_today(request).year
        self.assertEqual((request.name, request.request_type, request.state, request.user_id),
                         (f"GDPR/{year}/0007", "access", "done", officer))
        self.assertEqual((request.requester_name, request.requester_email), ("Tour Person", "tour.person@example.com"))
        self.assertTrue(request.identity_verified)
        self.assertTrue(request.export_attachment_id.name.endswith("_export.zip"))

    def test_gdpr_register_tour_english(self):
        self._gdpr_register("en_US")

    def test_gdpr_register_tour_turkish(self):
        self._gdpr_register("tr_TR")

    def _gdpr_erase(self, lang):
        """Issue 16: preview the plan, read the confirmation's figures, erase; the contact shows the request."""
        self._gdpr_tour_setup(lang)
        quiet = self.env(context=dict(self.env.context, mail_create_nolog=True, tracking_disable=True))
        partner = quiet["res.partner"].create({"name": "Erase Me", "email": "erase.me@example.com"})
        quiet["relationship.interaction"].create([
            {"partner_id": partner.id, "subject": subject} for subject in ("Erase call", "Erase visit")])
        quiet["gdpr.consent"].create({"partner_id": partner.id, "purpose": "Newsletter"})
        request = self.env["gdpr.request"].create({
            "request_type": "erasure", "requester_name": "Erase Me", "requester_email": "erase.me@example.com",
            "partner_id": partner.id, "identity_method": "id_document"})
        request.action_verify_identity()
        self.start_tour(f"/odoo/action-customer_relationship.action_gdpr_request/{request.id}",
                        f"customer_relationship_gdpr_erasure_tour_{lang[:2]}", login="admin")
        # what the confirmation showed is what the plan held, and what went
        counts = {(line.res_model, line.action) for line in request.line_ids if line.included}
        # the interactions' chatter messages are the person's data too (one timeline, issue 17)
        self.assertEqual(sorted(counts), [("gdpr.consent", "delete"), ("mail.message", "delete"),
                                          ("relationship.interaction", "delete"), ("res.partner", "anonymise")])
        self.assertEqual(len(request.line_ids), 6)
        self.assertEqual((request.state, request.subject_erasure), ("done", "anonymised"))
        partner = partner.with_context(active_test=False)
        self.assertEqual(partner.name, partner.with_context(lang=lang)._gdpr_anonymous_name())
        self.assertFalse(partner.interaction_ids or partner.gdpr_consent_ids)
        self.assertEqual((partner.gdpr_erasure_reference, partner.gdpr_erased_on),
                         (request.name, fields.Date.context_today(partner)))
        self.start_tour(f"/odoo/contacts/{partner.id}", f"customer_relationship_gdpr_erased_contact_tour_{lang[:2]}",
                        login="admin")

    def test_gdpr_erasure_tour_english(self):
        self._gdpr_erase("en_US")

    def test_gdpr_erasure_tour_turkish(self):
        self._gdpr_erase("tr_TR")


@tagged("post_install", "-at_install")
class TestOverviewTour(HttpCase):
    """Read the Overview in English and in Turkish: the figures of a hand-built history, then open a tile."""

    def setUp(self):
        super().setUp()
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        # stage dates are written by the moves only: the context says this is one (back-dating the history)
        Membership = self.env["relationship.pipeline.membership"].with_context(relationship_move=True)
        customer = self.env.ref("customer_relationship.stage_customer")
        long_ago = fields.Datetime.now() - timedelta(days=400)

        def enter(name, stage, back_date=False):
            partner = Partner.create({"name": name})
            membership = Membership.create({"partner_id": partner.id, "stage_id": stage.id})
            if back_date:
                membership.history_ids.write({"date_enter": long_ago})
                membership.write({"date_entered": long_ago, "date_stage_entered": long_ago})
            return partner, membership

        enter("Tour Kept", customer, back_date=True)
        lost, lost_membership = enter("Tour Lost", customer, back_date=True)
        # this quarter: one lost, one won; the previous quarter had the two customers and no change
        lost_membership.stage_id = self.env.ref("customer_relationship.stage_churned")
        enter("Tour Won", customer)
        lead = self.env.ref("customer_relationship.stage_lead")  # allowed days: see the stage's SLA
        enter("Tour Waiting", lead, back_date=True)
        self.lost = lost

    def test_overview_tour_english(self):
        self.start_tour("/odoo", "customer_relationship_overview_tour_en", login="admin")

    def test_overview_tour_turkish(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env.ref("base.user_admin").lang = "tr_TR"
        self.start_tour("/odoo", "customer_relationship_overview_tour_tr", login="admin")
