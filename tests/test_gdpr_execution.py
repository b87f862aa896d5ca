from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .gdpr_common import GdprCase


class TestGdprErasure(GdprCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner.bank"].create({"acc_number": "BE71096123456769", "partner_id": cls.subject.id})
        cls.interaction = cls.env["relationship.interaction"].create(
            {"partner_id": cls.subject.id, "subject": "First call", "channel": "phone"})
        cls.consent = cls.env["gdpr.consent"].create({"partner_id": cls.subject.id, "purpose": "Newsletter"})
        cls.message = cls.subject.message_post(body="Note on Zebulon", message_type="comment")
        cls.activity = cls.subject.activity_schedule("mail.mail_activity_data_todo", summary="Call back")
        cls.attachment = cls.env["ir.attachment"].create(
            {"name": "id.txt", "raw": b"x", "res_model": "res.partner", "res_id": cls.subject.id})

    def test_plan_lines_and_reasons(self):
        request = self._verified("erasure")
        request.with_user(self.user_officer).action_prepare_plan()
        counts = self._plan(request)
        self.assertEqual(counts["res.partner"], {"anonymise": 1})
        self.assertEqual(counts["res.partner.bank"], {"delete": 1})
        self.assertEqual(counts["relationship.interaction"], {"delete": 1})
        self.assertEqual(counts["gdpr.consent"], {"delete": 1})
        self.assertEqual(counts["mail.activity"], {"delete": 1})
        self.assertEqual(counts["ir.attachment"], {"delete": 1})
        self.assertGreaterEqual(counts["mail.message"]["delete"], 1)
        self.assertEqual(self._plan(request, included=False), {})
        line = request.line_ids.filtered(lambda line: line.res_model == "relationship.interaction")
        self.assertEqual((line.model_description, line.reason), ("Customer Interaction", "the person's record"))
        self.assertTrue(self.interaction.exists(), "a plan changes nothing")

    def test_officer_keeps_a_line(self):
        request = self._verified("erasure")
        request.action_prepare_plan()
        line = request.line_ids.filtered(lambda line: line.res_model == "relationship.interaction")
        with self.assertRaisesRegex(ValidationError, "legal reason"), self.env.cr.savepoint():
            line.with_user(self.user_officer).write({"action": "keep", "reason": " "})
        line.with_user(self.user_officer).write({"action": "keep", "reason": "Open dispute"})
        with self.assertRaisesRegex(ValidationError, "exports its lines"), self.env.cr.savepoint():
            line.with_user(self.user_officer).write({"action": "export"})
        self._execute_erasure(request)
        self.assertTrue(self.interaction.exists())
        self.assertIn(f"relationship.interaction: {self.interaction.id} (Open dispute)", request.result)
        for user in (self.user_internal, self.user_rel, self.user_manager):
            with self.assertRaises(AccessError):
                line.with_user(user).read(["res_name"])

    def test_erasure_anonymises_and_is_idempotent(self):
        request = self._verified("erasure")
        partner_id = self.subject.id
        self._execute_erasure(request)
        partner = self.env["res.partner"].with_context(active_test=False).browse(partner_id)
        self.assertEqual(partner.name, f"Anonymized {partner_id}")
        self.assertFalse(partner.active)
        self.assertFalse(partner.email or partner.phone or partner.street or partner.city or partner.bank_ids)
        self.assertFalse(self.interaction.exists() or self.consent.exists() or self.message.exists()
                         or self.activity.exists() or self.attachment.exists())
        suppression = self.env["gdpr.suppression"].search([("request_id", "=", request.id)])
        self.assertEqual(suppression.email_hash,
                         self.env["gdpr.suppression"]._hash_email("zebulon.quixotewright@example.org"))
        self.assertNotIn("Zebulon", request.requester_name)
        self.assertNotIn("quixotewright", request.requester_email)
        log = self.env["privacy.log"].search([("execution_details", "like", request.name)])
        self.assertEqual(log.anonymized_name, "Z****** Q************")
        # A second erasure of the same person finds nothing left to do.
        again = self._verified("erasure", requester_name="Anonymized", requester_email=False)
        before = partner.write_date
        again.action_prepare_plan()
        self.assertEqual(self._plan(again), {})
        self._execute_erasure(again)
        self.assertEqual(partner.write_date, before)
        self.assertEqual(self.env["gdpr.suppression"].search_count([("email_hash", "=", suppression.email_hash)]), 1)

    def test_legal_hold_keeps_records(self):
        self.env["ir.config_parameter"].set_param("customer_relationship.gdpr_legal_hold_models",
                                                  "relationship.interaction")
        request = self._verified("erasure")
        request.action_prepare_plan()
        self.assertEqual(self._plan(request)["relationship.interaction"], {"keep": 1})
        self._execute_erasure(request)
        self.assertTrue(self.interaction.exists())
        self.assertIn(f"relationship.interaction: {self.interaction.id}", request.result)


class TestGdprOtherTypes(GdprCase):
    def test_refused_before_identity_check(self):
        for request_type in ("access", "rectification", "erasure", "restriction", "portability", "objection"):
            request = self._request(request_type)
            with self.assertRaisesRegex(UserError, "identity .* is not verified"):
                request.action_execute()
            self.assertEqual(request.state, "new")

    def test_restriction_blocks_interaction_stage_and_mail(self):
        request = self._verified("restriction")
        request.action_execute()
        self.assertTrue(self.subject.gdpr_restricted)
        with self.assertRaisesRegex(UserError, "restricted under GDPR art. 18"):
            self.env["relationship.interaction"].create(
                {"partner_id": self.subject.id, "subject": "Blocked", "channel": "phone"})
        pipeline = self.env["relationship.pipeline"].create({"name": "GDPR test pipeline"})
        self.env["relationship.stage"].create({"name": "Lead", "pipeline_id": pipeline.id})
        with self.assertRaisesRegex(UserError, "restricted under GDPR art. 18"):
            self.env["relationship.pipeline.membership"].create(
                {"partner_id": self.subject.id, "pipeline_id": pipeline.id})
        other = self.env["res.partner"].create({"name": "Colleague"})
        with self.assertRaisesRegex(UserError, "send them an e-mail"):
            other.message_post(body="Hello", message_type="comment", partner_ids=self.subject.ids)
        other.message_post(body="Internal notification", partner_ids=self.subject.ids)  # system notice passes
        # Any other request, or a non-officer, cannot lift it.
        access = self._verified("access")
        access.action_execute()
        with self.assertRaisesRegex(UserError, "Only an executed restriction request"):
            access.with_user(self.user_officer).action_lift_restriction()
        for user in (self.user_internal, self.user_rel, self.user_manager):
            with self.assertRaises(AccessError):
                request.with_user(user).action_lift_restriction()
        self.assertTrue(self.subject.gdpr_restricted)
        request.with_user(self.user_officer).action_lift_restriction()
        self.assertFalse(self.subject.gdpr_restricted)
        self.assertTrue(self.env["privacy.log"].search([("execution_details", "like", "restriction lifted"),
                                                        ("execution_details", "like", request.name)]))
        other.message_post(body="Hello", message_type="comment", partner_ids=self.subject.ids)

    def test_objection_blacklists(self):
        request = self._verified("objection")
        request.action_execute()
        self.assertTrue(self.subject.gdpr_objected)
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", "zebulon.quixotewright@example.org")]))
        self.assertEqual(request.state, "done")

    def test_rectification_applies_and_lists_changes(self):
        request = self._verified("rectification", rectification_values={"city": "Liège", "phone": "+32 4 111"})
        request.action_execute()
        self.assertEqual((self.subject.city, self.subject.phone), ("Liège", "+32 4 111"))
        self.assertIn("Namur", request.result)
        self.assertIn("Liège", request.result)
        bad = self._verified("rectification", rectification_values={"no_such_field": 1})
        with self.assertRaisesRegex(UserError, "cannot be corrected"):
            bad.action_execute()

    def test_every_execution_logged(self):
        request = self._verified("objection")
        request.action_execute()
        log = self.env["privacy.log"].search([("execution_details", "like", request.name)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.anonymized_email, "z******.q************@e******.org")

    def test_execute_needs_partner(self):
        request = self._verified("access", partner_id=False)
        with self.assertRaisesRegex(UserError, "Link request"):
            request.action_execute()

    def test_erasure_refused_for_a_user_contact(self):
        request = self._verified("erasure", partner_id=self.user_rel.partner_id.id)
        with self.assertRaisesRegex(UserError, "archive or delete the user account first"):
            self._execute_erasure(request)
        self.assertTrue(self.user_rel.partner_id.active)
