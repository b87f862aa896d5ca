"""Stage rules: who may define, preview and apply them, the preview, the suggestions, concurrent runs."""
from odoo import sql_db
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.stage_rule_sql import LOCK_CLASS
from .stage_rule_common import StageRuleCase


@tagged("post_install", "-at_install")
class TestStageRuleAccess(StageRuleCase):

    def setUp(self):
        super().setUp()
        self.acme, self.buyer = self.company_with_contact("Acme")
        self.confirmed_order(self.buyer, "2024-03-10 10:00:00")

    # ------------------------------------------------------------------
    # Attacks: a rule reads other models as the system, so only administrators touch rules
    # ------------------------------------------------------------------
    def test_manager_cannot_create_a_rule(self):
        Rule = self.env["relationship.stage.rule"].with_user(self.user_manager)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Rule.create({
                "name": "Spy on orders", "stage_id": self.customer.id, "model_id": self.env["ir.model"]._get_id(
                    "sale.order"), "domain": "[('amount_total', '>', 1000)]",
                "partner_field_id": self.env["ir.model.fields"]._get("sale.order", "partner_id").id,
                "date_field_id": self.env["ir.model.fields"]._get("sale.order", "date_order").id})

    def test_manager_cannot_change_preview_or_apply_a_rule(self):
        rule = self.sale_rule().with_user(self.user_manager)
        self.assertEqual(rule.name, "Confirmed sale", "managers read rules: the board's history names them")
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            rule.write({"domain": "[('amount_total', '>', 1000)]"})
        with self.assertRaises(AccessError):
            rule.action_preview()
        with self.assertRaises(AccessError):
            rule.action_apply()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["relationship.stage.rule.preview"].with_user(self.user_manager).create(
                {"rule_ids": [(6, 0, rule.ids)]})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["relationship.stage.rule.suggestion"].with_user(self.user_manager).create({})
        self.assertFalse(self.env["relationship.stage.history"].search([("rule_id", "=", rule.id)]))

    def test_run_logs_are_for_administrators(self):
        rule = self.sale_rule()
        self.apply(rule)
        self.assertEqual(self.env["relationship.stage.rule.run"].search_count([("rule_id", "=", rule.id)]), 1)
        for user in (self.user_manager, self.user_rel):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.env["relationship.stage.rule.run"].with_user(user).search([])

    def test_a_user_sees_which_rule_moved_a_partner(self):
        rule = self.sale_rule()
        self.apply(rule)
        row = self.env["relationship.stage.history"].with_user(self.user_rel).search(
            [("partner_id", "=", self.acme.id)])
        self.assertEqual(row.rule_id.display_name, "Confirmed sale")

    # ------------------------------------------------------------------
    # Preview, buttons, cron
    # ------------------------------------------------------------------
    def test_preview_counts_what_apply_writes_and_writes_nothing(self):
        bolt = self.partner("Bolt", is_company=True)
        self.place(bolt, self.lead, "2024-01-01 08:00:00")
        self.confirmed_order(bolt, "2024-02-01 10:00:00")
        rule = self.sale_rule()
        history = self.env["relationship.stage.history"].search_count([])
        with freeze_time("2024-06-01 12:00:00"):
            action = rule.action_preview()
        preview = self.env["relationship.stage.rule.preview"].browse(action["res_id"])
        self.assertEqual(sorted((line.rule_id, line.from_stage_id, line.stage_id, line.partner_count)
                                for line in preview.line_ids), sorted([
            (rule, self.env["relationship.stage"], self.customer, 1), (rule, self.lead, self.customer, 1)]))
        self.assertEqual(preview.partner_count, 2)
        self.assertEqual(self.env["relationship.stage.history"].search_count([]), history, "a preview writes nothing")
        self.assertFalse(rule.last_run_date or rule.run_ids)
        with freeze_time("2024-06-01 12:00:00"):
            preview.action_apply()
        self.assertEqual(self.env["relationship.stage.history"].search_count([]), history + 2)
        self.assertEqual(rule.run_ids.mapped("trigger"), ["manual"])
        self.assertEqual(rule.run_ids.user_id, self.env.user)

    def test_cron_applies_every_active_rule(self):
        rule = self.sale_rule()
        self.rule("Archived", self.opportunity, "crm.lead", "[]", "create_date", active=False)
        with freeze_time("2024-06-01 12:00:00"):
            self.env["relationship.stage.rule"]._cron_apply()
        self.assertEqual([row[:4] for row in self.rows(self.acme)], [("Customer", "2024-03-10 10:00:00", False, rule)])
        self.assertEqual(rule.run_ids.mapped("trigger"), ["cron"])
        self.assertFalse(rule.run_ids.user_id)

    def test_a_second_concurrent_run_is_refused(self):
        """While another transaction applies the pipeline's rules, a second run is refused, then works."""
        rule = self.sale_rule()
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_CLASS, self.pipeline.id))
            with self.assertRaisesRegex(UserError, "being applied right now"):
                self.apply(rule)
            with freeze_time("2024-06-01 12:00:00"):
                self.env["relationship.stage.rule"]._cron_apply()  # the job skips the busy pipeline
            self.assertEqual(self.rows(self.acme), [])
        finally:
            other.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, self.pipeline.id))
            other.close()
        self.apply(rule)
        self.assertEqual(len(self.rows(self.acme)), 1)

    # ------------------------------------------------------------------
    # Suggestions
    # ------------------------------------------------------------------
    def test_suggested_rules_over_the_installed_apps(self):
        suggestion = self.env["relationship.stage.rule.suggestion"].create({"pipeline_id": self.pipeline.id})
        self.assertEqual(
            [(line.name, line.model_id.model, line.kind, line.stage_id.name, line.date_field_id.name,
              line.from_stage_ids.mapped("name")) for line in suggestion.line_ids], [
                ("Open opportunity", "crm.lead", "enter", "Opportunity", "create_date", []),
                ("Won opportunity", "crm.lead", "enter", "Customer", "date_closed", []),
                ("Confirmed sale", "sale.order", "enter", "Customer", "date_order", []),
                ("Posted customer invoice", "account.move", "enter", "Customer", "invoice_date", []),
                ("No sale for 365 days", "sale.order", "inactivity", "Churned", "date_order", ["Customer"]),
                ("No invoice for 365 days", "account.move", "inactivity", "Churned", "invoice_date", ["Customer"]),
            ])
        suggestion.line_ids[0].accept = False
        action = suggestion.action_accept()
        rules = self.env["relationship.stage.rule"].search(action["domain"])
        self.assertEqual(len(rules), 5)
        with freeze_time("2024-06-01 12:00:00"):
            rules.action_apply()
        self.assertEqual([row[:3] for row in self.rows(self.acme)], [
            ("Customer", "2024-03-10 10:00:00", False)])
        again = self.env["relationship.stage.rule.suggestion"].create({"pipeline_id": self.pipeline.id})
        self.assertEqual(again.line_ids.mapped("name"), ["Open opportunity"], "accepted rules are not proposed again")

    def test_no_dependency_on_the_sales_apps(self):
        addon = self.env["ir.module.module"].search([("name", "=", "customer_relationship")])
        self.assertFalse({"crm", "sale", "sale_management", "account"} & set(addon.dependencies_id.mapped("name")))

    def test_bad_rules_are_refused_with_a_sentence(self):
        with self.assertRaisesRegex(Exception, "filter .* is not valid"):
            self.rule("Bad", self.customer, "sale.order", "[('no_such_field', '=', 1)]", "date_order")
        with self.assertRaisesRegex(Exception, "needs the stages partners leave"):
            self.rule("No from", self.churned, "sale.order", "[]", "date_order", kind="inactivity")
        with self.assertRaisesRegex(Exception, "at least one"):
            self.rule("Zero", self.churned, "sale.order", "[]", "date_order", kind="inactivity", inactivity_days=0,
                      from_stage_ids=[(6, 0, self.customer.ids)])
