import hashlib
import hmac
import importlib.util
import os

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
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

    def test_only_officers_read_the_consent_count(self):
        self.env["gdpr.consent"].create({"partner_id": self.subject.id, "purpose": "Newsletter"})
        for user in (self.user_internal, self.user_rel, self.user_manager):
            with self.assertRaises(AccessError, msg=user.login):
                self.subject.with_user(user).read(["gdpr_consent_count"])
            self.assertNotIn("gdpr_consent_count", self.env["res.partner"].with_user(user).fields_get())
        self.assertEqual(self.subject.with_user(self.user_officer).read(["gdpr_consent_count"])[0]
                         ["gdpr_consent_count"], 1)

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

    def test_hash_is_hmac_with_the_database_secret(self):
        secret = self.env["ir.config_parameter"].get_param("customer_relationship.gdpr_suppression_secret")
        self.assertEqual(len(secret), 64, "a 256-bit secret is created on install")
        inner = hashlib.sha256(b"erased.person@example.org").hexdigest()
        expected = hmac.new(secret.encode(), inner.encode(), hashlib.sha256).hexdigest()
        self.assertEqual(self.env["gdpr.suppression"]._hash_email('"Erased" <Erased.Person@Example.org>'), expected)
        self.assertTrue(self.env["gdpr.suppression"].search([("email_hash", "=", expected)]))
        self.assertFalse(self.env["gdpr.suppression"].search([("email_hash", "=", inner)]), "no bare SHA-256")
        self.assertFalse(self.env["gdpr.suppression"]._suppress(self.EMAIL), "no duplicate hash")

    def test_every_address_of_a_field_is_checked(self):
        for value in ("someone@example.org, Erased.Person@EXAMPLE.org", " ERASED.person@example.org ",
                      "x@y.z; erased.person@example.org", '"E" <erased.person@example.org>'):
            with self.assertRaisesRegex(UserError, "suppression list"), self.env.cr.savepoint():
                self.env["res.partner"].with_user(self.user_rel).create({"name": "Back", "email": value})
        partner = self.env["res.partner"].create({"name": "Other", "email": "other@example.org"})
        with self.assertRaisesRegex(UserError, "suppression list"):
            partner.with_user(self.user_rel).write({"email": "other@example.org, erased.person@example.org"})
        result = self.env["res.partner"].load(["name", "email"], [["Imported", "a@b.org,erased.person@example.org"]])
        self.assertFalse(result["ids"])

    def test_suppressing_a_multi_address_value_stores_each_address_only(self):
        rows = self.env["gdpr.suppression"]._suppress("First@Example.org, second@example.org")
        Suppression = self.env["gdpr.suppression"]
        self.assertEqual(sorted(rows.mapped("email_hash")), sorted(
            [Suppression._hash_email("first@example.org"), Suppression._hash_email("second@example.org")]))
        self.assertFalse(Suppression.search([("email_hash", "=", Suppression._hash_email(
            "first@example.org, second@example.org") + "x")]))
        self.assertEqual(Suppression._suppressed_emails(["second@example.org"]), ["second@example.org"])

    def test_migration_converts_bare_sha256_rows(self):
        path = os.path.join(get_module_path("customer_relationship"), "migrations", "18.0.2.0.0",
                            "post-gdpr_suppression_hmac.py")
        spec = importlib.util.spec_from_file_location("gdpr_suppression_hmac", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        Suppression = self.env["gdpr.suppression"]
        Suppression.search([]).unlink()
        legacy = Suppression.create({"email_hash": hashlib.sha256(b"legacy.person@example.org").hexdigest()})
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(legacy.email_hash, Suppression._hash_email("Legacy.Person@example.org"))
        with self.assertRaisesRegex(UserError, "suppression list"):
            self.env["res.partner"].create({"name": "Legacy", "email": "legacy.person@example.org"})

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
