import hashlib

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import freeze_time

from .gdpr_common import GdprCase


class TestGdprConsent(GdprCase):
    def test_withdraw_keeps_history(self):
        consent = self.env["gdpr.consent"].create({
            "partner_id": self.subject.id, "purpose": "Newsletter", "legal_basis": "consent"})
        with freeze_time("2026-04-01 09:30:00"):
            consent.action_withdraw()
        self.assertTrue(consent.exists())
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(str(consent.date_withdrawn), "2026-04-01 09:30:00")
        with self.assertRaisesRegex(UserError, "already withdrawn"):
            consent.action_withdraw()

    def test_six_legal_bases_and_smart_button(self):
        bases = [key for key, _label in self.env["gdpr.consent"]._fields["legal_basis"].selection]
        self.assertEqual(bases, ["consent", "contract", "legal_obligation", "vital_interests", "public_task",
                                 "legitimate_interests"])
        self.env["gdpr.consent"].create([
            {"partner_id": self.subject.id, "purpose": "Contract", "legal_basis": "contract"},
            {"partner_id": self.subject.id, "purpose": "Invoices", "legal_basis": "legal_obligation"},
        ])
        self.assertEqual(self.subject.gdpr_consent_count, 2)
        action = self.subject.action_view_gdpr_consents()
        self.assertEqual(self.env["gdpr.consent"].search_count(action["domain"]), 2)

    def test_only_officers_read_consents(self):
        self.env["gdpr.consent"].create({"partner_id": self.subject.id, "purpose": "Newsletter"})
        with self.assertRaises(AccessError):
            self.env["gdpr.consent"].with_user(self.user_manager).search([])
        self.assertTrue(self.env["gdpr.consent"].with_user(self.user_officer).search(
            [("partner_id", "=", self.subject.id)]))


class TestGdprSuppression(GdprCase):
    EMAIL = "erased.person@example.org"

    def setUp(self):
        super().setUp()
        self.env["gdpr.suppression"]._suppress(self.EMAIL)

    def test_hash_is_sha256_of_normalised_email(self):
        expected = hashlib.sha256(b"erased.person@example.org").hexdigest()
        self.assertEqual(self.env["gdpr.suppression"]._hash_email('"Erased" <Erased.Person@Example.org>'), expected)
        self.assertTrue(self.env["gdpr.suppression"].search([("email_hash", "=", expected)]))
        self.assertFalse(self.env["gdpr.suppression"]._suppress(self.EMAIL), "no duplicate hash")

    def test_create_and_write_refused(self):
        with self.assertRaisesRegex(UserError, "suppression list"):
            self.env["res.partner"].create({"name": "Back Again", "email": "ERASED.person@example.org"})
        partner = self.env["res.partner"].create({"name": "Other", "email": "other@example.org"})
        with self.assertRaisesRegex(UserError, "suppression list"):
            partner.write({"email": self.EMAIL})

    def test_import_refused_with_message(self):
        result = self.env["res.partner"].load(["name", "email"], [["Imported", self.EMAIL]])
        self.assertFalse(result["ids"])
        self.assertIn("suppression list", result["messages"][0]["message"])
        self.assertFalse(self.env["res.partner"].search([("email", "=", self.EMAIL)]))

    def test_officer_confirmation(self):
        Partner = self.env["res.partner"].with_context(gdpr_suppression_confirmed=True)
        with self.assertRaisesRegex(UserError, "suppression list"):
            Partner.with_user(self.user_manager).create({"name": "Not allowed", "email": self.EMAIL})
        partner = Partner.with_user(self.user_officer).create({"name": "New contract", "email": self.EMAIL})
        self.assertEqual(partner.email, self.EMAIL)

    def test_confirmation_wizard(self):
        Wizard = self.env["gdpr.suppression.confirm"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_manager).create({"name": "X", "email": self.EMAIL, "reason": "r"})
        wizard = Wizard.with_user(self.user_officer).create(
            {"name": "Returning Customer", "email": self.EMAIL, "reason": "New service contract signed"})
        action = wizard.action_confirm()
        partner = self.env["res.partner"].browse(action["res_id"])
        self.assertEqual(partner.email, self.EMAIL)
        self.assertIn("New service contract signed", partner.message_ids[0].body)
        other = Wizard.with_user(self.user_officer).create({"name": "N", "email": "free@example.org", "reason": "r"})
        with self.assertRaisesRegex(UserError, "not on the suppression list"):
            other.action_confirm()
