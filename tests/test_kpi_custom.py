from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time

from .common import RelationshipCase
from .test_kpi_common import raises


@freeze_time("2026-04-15 12:00:00")
class TestKpiCustom(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Custom KPI partner"})
        cls.other = cls.env["res.partner"].create({"name": "Custom KPI other"})
        cls.env["relationship.interaction"].create([
            {"partner_id": cls.partner.id, "subject": "call 1", "date": "2026-02-01 10:00:00",
             "duration": 1.0, "channel": "phone"},
            {"partner_id": cls.partner.id, "subject": "call 2", "date": "2026-02-02 10:00:00",
             "duration": 2.0, "channel": "phone"},
            {"partner_id": cls.partner.id, "subject": "visit", "date": "2026-02-03 10:00:00",
             "duration": 4.0, "channel": "visit"},
            {"partner_id": cls.partner.id, "subject": "old call", "date": "2025-02-01 10:00:00",
             "duration": 8.0, "channel": "phone"},
            {"partner_id": cls.other.id, "subject": "other call", "date": "2026-02-01 10:00:00",
             "duration": 16.0, "channel": "phone"},
        ])
        cls.model = cls.env["ir.model"]._get("relationship.interaction")
        cls.fields = {
            name: cls.env["ir.model.fields"]._get("relationship.interaction", name)
            for name in ("date", "duration", "partner_id", "subject")}

    def _kpi(self, **vals):
        return self.env["relationship.kpi"].create({
            "name": "Phone hours", "code": "PHONE-" + vals.get("aggregate", "count"), "kind": "custom",
            "model_id": self.model.id, "date_field_id": self.fields["date"].id,
            "partner_field_id": self.fields["partner_id"].id, "domain": "[('channel', '=', 'phone')]",
            "unit": "amount", **vals})

    def test_count_sum_average(self):
        mine = [("id", "=", self.partner.id)]
        period = ("2026-01-01", "2026-03-31")
        # phone calls of the partner in Q1 2026: 1 h and 2 h (the visit and the 2025 call do not count)
        self.assertEqual(self._kpi(aggregate="count").compute_value(*period, partner_domain=mine), 2.0)
        kpi_sum = self._kpi(aggregate="sum", field_id=self.fields["duration"].id)
        self.assertEqual(kpi_sum.compute_value(*period, partner_domain=mine), 3.0)
        self.assertEqual(self._kpi(aggregate="average", field_id=self.fields["duration"].id)
                         .compute_value(*period, partner_domain=mine), 1.5)
        both = [("id", "in", (self.partner | self.other).ids)]
        self.assertEqual(kpi_sum.compute_value(*period, partner_domain=both), 19.0)
        # nothing matches: 0.0, not an error
        self.assertEqual(kpi_sum.compute_value("2024-01-01", "2024-01-31", partner_domain=mine), 0.0)

    def test_one_read_group(self):
        kpi = self._kpi(aggregate="sum", field_id=self.fields["duration"].id)
        kpi.compute_value("2026-01-01", "2026-03-31", partner_domain=[("id", "=", self.partner.id)])
        self.env.flush_all()
        with self.assertQueryCount(1):
            kpi.compute_value("2026-01-01", "2026-03-31", partner_domain=[("id", "=", self.partner.id)])

    def test_invalid_domain_is_refused(self):
        with raises(self, ValidationError, "filter of the KPI “Phone hours” is not valid"):
            self._kpi(code="BAD", domain="[('no_such_field', '=', 1)]")
        with raises(self, ValidationError, "cannot be read"):
            self._kpi(code="BAD", domain="[('channel', '=', ")
        self.assertFalse(self.env["relationship.kpi"].search([("code", "=", "BAD")]))

    def test_non_numeric_field_is_refused(self):
        with raises(self, ValidationError, "must be a number field stored on"):
            self._kpi(code="BAD", aggregate="sum", field_id=self.fields["subject"].id)
        with raises(self, ValidationError, "needs a Measured Field"):
            self._kpi(code="BAD", aggregate="average")
        with raises(self, ValidationError, "must be a date or date-time field"):
            self._kpi(code="BAD", date_field_id=self.fields["duration"].id)
        kpi = self._kpi(aggregate="count")
        with raises(self, ValidationError, "must be a number field"):
            kpi.write({"aggregate": "sum", "field_id": self.fields["subject"].id})
        self.assertEqual(kpi.aggregate, "count")
        self.assertFalse(self.env["relationship.kpi"].search([("code", "=", "BAD")]))

    def test_partner_scope_needs_partner_field(self):
        kpi = self._kpi(partner_field_id=False)
        with raises(self, UserError, "set its Partner Field"):
            kpi.compute_value("2026-01-01", "2026-03-31", partner_domain=[("id", "=", self.partner.id)])

    def test_builtin_cannot_be_deleted_and_users_only_read(self):
        builtin = self.env.ref("customer_relationship.kpi_churn_rate")
        with raises(self, UserError, "archive them"):
            builtin.unlink()
        self.assertEqual(builtin.with_user(self.user_rel).name, "Customer Churn Rate")
        with self.assertRaises(AccessError):
            builtin.with_user(self.user_rel).write({"name": "x"})
        self.assertFalse(self.env["relationship.kpi"].with_user(self.user_internal).has_access("read"))

    def test_code_unique(self):
        self._kpi(aggregate="count")
        with raises(self, ValidationError, "already uses the code “PHONE-count”"):
            self._kpi(aggregate="count")

    def test_code_unique_within_one_batch(self):
        Kpi = self.env["relationship.kpi"]
        vals = {"name": "Calls", "kind": "custom", "model_id": self.model.id, "date_field_id": self.fields["date"].id,
                "partner_field_id": self.fields["partner_id"].id, "unit": "amount", "aggregate": "count"}
        other_company = self.env["res.company"].create({"name": "Batı AŞ"})
        per_company = Kpi.create([{**vals, "code": "CALLS", "company_id": c.id}
                                  for c in (self.env.company, other_company)])
        self.assertEqual(len(per_company), 2, "the same code in two companies is fine")
        with raises(self, ValidationError, "already uses the code “SHARED”"), self.env.cr.savepoint():
            Kpi.create([{**vals, "code": "SHARED", "company_id": False}] * 2)

    def test_bad_arguments_get_a_sentence(self):
        """Issue 14: malformed filters, far dates and calls on several KPIs are refused, never crash."""
        kpi = self._kpi(aggregate="count")
        period = ("2026-01-01", "2026-03-31")
        for domain in ([1, 2], "[('id', '=', 1)]", [("no_such_field", "=", 1)], [("id", "=")], {"id": 1}):
            with self.subTest(domain=domain), raises(self, UserError, "partner filter"):
                kpi.compute_value(*period, partner_domain=domain)
        builtins = self.env.ref("customer_relationship.kpi_churn_rate") | kpi
        with raises(self, UserError, "Compute one KPI at a time: this call was made on 2 KPIs"):
            builtins.compute_value(*period)
        for dates in (("2026-11-01", "9999-12-31"), ("0001-01-02", "2026-01-01")):
            for one in builtins:
                with self.subTest(dates=dates, kpi=one.code), raises(self, UserError, "must lie between"):
                    one.compute_value(*dates)
        for dates in (("2026-13-01", "2026-12-31"), (None, "2026-12-31"), (20260101, "2026-12-31")):
            with self.subTest(dates=dates), raises(self, UserError, "KPI period needs"):
                kpi.compute_value(*dates)
