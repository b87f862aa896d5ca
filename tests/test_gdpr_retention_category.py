"""Retention rules carry out the periods of the processing register's categories (issue 16 follow-up)."""
from odoo.exceptions import ValidationError
from odoo.tools import convert_file

from .gdpr_common import GdprCase


class TestGdprRetentionCategory(GdprCase):

    def _category(self, code, company=None):
        return self.env["gdpr.data.category"].create({
            "name": code.title(), "code": code, "data_held": "Notes of calls", "purposes": "Follow-up",
            "legal_basis": "Contract", "retention": "5 years", "company_id": (company or self.env.company).id})

    def _rule(self, **vals):
        return self.env["gdpr.retention.rule"].create({
            "name": "Old interactions", "target": "interaction", "action": "erase", "period_years": 5, **vals})

    def test_register_lists_its_rules_archived_ones_too(self):
        category = self._category("calls")
        active = self._rule(category_id=category.id)
        archived = self._rule(name="Former rule", category_id=category.id, active=False)
        self._rule(name="Unrelated rule")
        self.assertEqual(category.retention_rule_ids, active | archived)
        # The officer reads the register's rules; users without the officer group see neither.
        self.assertEqual(category.with_user(self.user_officer).retention_rule_ids, active | archived)

    def test_category_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other Trading Ltd"})
        category = self._category("calls", company=other)
        with self.assertRaisesRegex(ValidationError, "different companies"):
            self._rule(category_id=category.id)
        rule = self._rule()
        with self.assertRaisesRegex(ValidationError, "different companies"):
            rule.category_id = category

    def test_demo_rules_follow_the_demo_register(self):
        for path in ("demo/gdpr_retention_demo.xml", "demo/gdpr_data_category_demo.xml",
                     "demo/gdpr_retention_category_demo.xml"):
            convert_file(self.env, "customer_relationship", path, {}, "init", False)
        expected = {"demo_retention_interactions": "gdpr_data_category_interaction",
                    "demo_retention_partners": "gdpr_data_category_contact",
                    "demo_retention_requests": "gdpr_data_category_privacy_request"}
        for rule_xmlid, category_xmlid in expected.items():
            rule = self.env.ref("customer_relationship." + rule_xmlid)
            self.assertEqual(rule.category_id, self.env.ref("customer_relationship." + category_xmlid))
            self.assertIn(rule, rule.category_id.retention_rule_ids)
