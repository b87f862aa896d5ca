from datetime import date

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time

from .gdpr_common import GdprCase


class TestPrivacyRegime(GdprCase):
    """GDPR art. 12(3): one month, extendable by two with a reason. KVKK art. 13: thirty days, no extension."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.gdpr_regime = "gdpr"
        cls.turkey = cls.env.ref("base.tr")
        cls.kvkk_company = cls.env["res.company"].create({"name": "Kadıköy Ticaret A.Ş.", "country_id": cls.turkey.id})
        cls.env.user.company_ids |= cls.kvkk_company

    def _kvkk(self, **vals):
        return self._request(company_id=self.kvkk_company.id, **vals)

    def test_company_default_follows_country(self):
        belgian = self.env["res.company"].create({"name": "Namur Trading SRL",
                                                  "country_id": self.env.ref("base.be").id})
        nowhere = self.env["res.company"].create({"name": "No Country Ltd"})
        self.assertEqual((self.kvkk_company.gdpr_regime, belgian.gdpr_regime, nowhere.gdpr_regime),
                         ("kvkk", "gdpr", "gdpr"))
        # The officer's choice stays when the country changes afterwards.
        belgian.gdpr_regime = "kvkk"
        belgian.country_id = self.env.ref("base.fr")
        self.assertEqual(belgian.gdpr_regime, "kvkk")

    def test_setting_is_the_company_field(self):
        settings = self.env["res.config.settings"].with_company(self.kvkk_company).create({})
        self.assertEqual(settings.gdpr_regime, "kvkk")
        settings.gdpr_regime = "gdpr"
        settings.execute()
        self.assertEqual(self.kvkk_company.gdpr_regime, "gdpr")

    def test_gdpr_month_ends_and_leap_years(self):
        cases = [
            (date(2026, 1, 31), date(2026, 2, 28)),
            (date(2024, 1, 31), date(2024, 2, 29)),
            (date(2025, 12, 31), date(2026, 1, 31)),
            (date(2026, 2, 28), date(2026, 3, 28)),
        ]
        for received, deadline in cases:
            request = self._request(date_received=received)
            self.assertEqual((request.regime, request.date_deadline), ("gdpr", deadline), received)
        # 2028 is a leap year still to come: computed on a record not saved (a received date cannot be future).
        future = self.Request.new({"date_received": date(2028, 1, 31), "company_id": self.env.company.id})
        self.assertEqual(future.date_deadline, date(2028, 2, 29))
        future = self.Request.new({"date_received": date(2028, 1, 31), "company_id": self.kvkk_company.id})
        self.assertEqual(future.date_deadline, date(2028, 3, 1))

    def test_kvkk_thirty_days(self):
        cases = [
            (date(2026, 1, 31), date(2026, 3, 2)),   # February 2026 has 28 days
            (date(2024, 1, 31), date(2024, 3, 1)),   # February 2024 has 29
            (date(2026, 2, 1), date(2026, 3, 3)),
            (date(2024, 2, 1), date(2024, 3, 2)),
            (date(2025, 12, 15), date(2026, 1, 14)),
        ]
        for received, deadline in cases:
            request = self._kvkk(date_received=received)
            self.assertEqual((request.regime, request.date_deadline), ("kvkk", deadline), received)

    def test_gdpr_extension_at_most_two_months(self):
        request = self._request(date_received=date(2026, 1, 31))
        request.write({"extension_months": "2", "extension_reason": "Twelve linked accounts to review",
                       "date_extension_notified": date(2026, 2, 27)})
        self.assertEqual(request.date_deadline, date(2026, 4, 30))
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            request.write({"extension_months": "3"})
        request.invalidate_recordset()
        self.assertEqual((request.extension_months, request.date_deadline), ("2", date(2026, 4, 30)))

    def test_kvkk_refuses_any_extension(self):
        request = self._kvkk(date_received=date(2026, 1, 31))
        with self.assertRaisesRegex(ValidationError, "falls under KVKK.*thirty days.*cannot be extended"), \
                self.env.cr.savepoint():
            request.write({"extension_months": "1", "extension_reason": "Complex",
                           "date_extension_notified": date(2026, 2, 10)})
        request.invalidate_recordset()
        self.assertEqual((request.extension_months, request.date_deadline), ("0", date(2026, 3, 2)))

    def test_request_keeps_the_law_of_its_intake(self):
        kvkk = self._kvkk(date_received=date(2026, 1, 31))
        self.kvkk_company.gdpr_regime = "gdpr"
        gdpr = self._kvkk(date_received=date(2026, 1, 31))
        self.assertEqual((kvkk.regime, kvkk.date_deadline), ("kvkk", date(2026, 3, 2)))
        self.assertEqual((gdpr.regime, gdpr.date_deadline), ("gdpr", date(2026, 2, 28)))
        kvkk.date_received = date(2026, 2, 1)
        self.assertEqual(kvkk.date_deadline, date(2026, 3, 3), "a correction keeps the law of the intake")

    def test_nobody_forges_the_law(self):
        with self.assertRaises(AccessError):
            self.Request.with_user(self.user_officer).create({
                "request_type": "access", "requester_name": "Forger", "regime": "kvkk"})
        request = self._request()
        with self.assertRaises(AccessError):
            request.with_user(self.user_officer).write({"regime": "kvkk"})
        self.assertEqual(request.regime, "gdpr")

    def test_reminders_name_the_law(self):
        kvkk = self._kvkk(date_received=date(2026, 2, 10))     # due 12 March
        gdpr = self._request(date_received=date(2026, 2, 10))  # due 10 March
        with freeze_time("2026-03-05"):
            self.Request._cron_deadline_reminders()
        self.assertEqual(kvkk.activity_ids.summary, f"KVKK request {kvkk.name} is due on 2026-03-12")
        self.assertEqual(gdpr.activity_ids.summary, f"GDPR request {gdpr.name} is due on 2026-03-10")

    def test_kvkk_refusal_names_the_board(self):
        request = self._kvkk(rejection_reason="Not our customer")
        with self.assertRaisesRegex(UserError, "Personal Data Protection Board.*KVKK art. 14"):
            request.action_reject()
        request.complaint_right_informed = True
        request.action_reject()
        self.assertEqual(request.state, "rejected")

    def test_type_labels_are_neutral_and_the_reference_follows_the_law(self):
        labels = dict(self.Request._fields["request_type"]._description_selection(self.env))
        self.assertEqual(labels["access"], "Access")
        self.assertFalse([label for label in labels.values() if "art." in label], "no article in the type")
        expected = {
            "access": ("GDPR art. 15", "KVKK art. 11(1)(a) to (ç)"),
            "erasure": ("GDPR art. 17", "KVKK art. 11(1)(e) and art. 7, and (f) for the recipients"),
            "rectification": ("GDPR art. 16", "KVKK art. 11(1)(d), and (f) for the recipients"),
            "objection": ("GDPR art. 21", "KVKK art. 11(1)(g): against a result of solely automated analysis"),
        }
        for request_type, (gdpr, kvkk) in expected.items():
            self.assertEqual(self._request(request_type).legal_reference, gdpr)
            self.assertEqual(self._kvkk(request_type=request_type).legal_reference, kvkk)
        # KVKK has no right to portability: the reference says so instead of citing a GDPR article as KVKK's.
        self.assertIn("No such right under KVKK", self._kvkk(request_type="portability").legal_reference)
