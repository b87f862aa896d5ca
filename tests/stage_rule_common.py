"""Fixtures of the stage-rule tests (no test here): a pipeline of our own and real CRM, Sales and Invoicing records.

`make test` installs crm and sale_management beside the addon (dev/test.sh); the addon does not depend on them.
"""
from datetime import datetime

from odoo.tests import freeze_time

from .common import RelationshipCase

SALES_APPS = ("crm.lead", "sale.order", "account.move")


class StageRuleCase(RelationshipCase):
    """Pipeline "Rules test": Lead (10) -> Opportunity (20) -> Customer (30) -> Churned (40, lost)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        missing = [name for name in SALES_APPS if name not in cls.env]
        if missing:
            cls.skipTest(cls, f"make test installs crm and sale_management; missing here: {', '.join(missing)}")
        cls.admin = cls.env.ref("base.user_admin")
        cls.pipeline = cls.env["relationship.pipeline"].create({"name": "Rules test", "forward_only": True})
        cls.lead, cls.opportunity, cls.customer, cls.churned = cls.env["relationship.stage"].create([
            {"name": "Lead", "pipeline_id": cls.pipeline.id, "sequence": 10},
            {"name": "Opportunity", "pipeline_id": cls.pipeline.id, "sequence": 20},
            {"name": "Customer", "pipeline_id": cls.pipeline.id, "sequence": 30, "stage_type": "customer"},
            {"name": "Churned", "pipeline_id": cls.pipeline.id, "sequence": 40, "stage_type": "lost"},
        ])
        cls.product = cls.env["product.product"].create({"name": "Rules test widget", "list_price": 100.0})

    # ------------------------------------------------------------------
    # Records of the other apps, on given dates
    # ------------------------------------------------------------------
    def partner(self, name, **vals):
        return self.env["res.partner"].with_context(relationship_no_pipeline=True).create({"name": name, **vals})

    def company_with_contact(self, name):
        company = self.partner(name, is_company=True)
        return company, self.partner(f"{name} buyer", parent_id=company.id)

    def confirmed_order(self, partner, when):
        order = self.env["sale.order"].create({"partner_id": partner.id, "order_line": [
            (0, 0, {"product_id": self.product.id, "product_uom_qty": 1})]})
        with freeze_time(when):  # confirming dates the order now
            order.action_confirm()
        self.assertEqual(order.date_order, datetime.fromisoformat(when))
        return order

    def opportunity_of(self, partner, created, won=None):
        lead = self.env["crm.lead"].create({"name": f"Deal of {partner.name}", "type": "opportunity",
                                            "partner_id": partner.id})
        lead.flush_recordset()
        # create_date is the database's transaction time, which freeze_time does not reach
        self.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", (created, lead.id))
        lead.invalidate_recordset(["create_date"])
        if won:
            with freeze_time(won):
                lead.action_set_won()
        return lead

    def posted_invoice(self, partner, when):
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": when,
            "invoice_line_ids": [(0, 0, {"product_id": self.product.id, "quantity": 1, "price_unit": 100.0})]})
        move.action_post()
        return move

    def place(self, partner, stage, when):
        """Put ``partner`` in ``stage`` at ``when`` by a real manual move (a membership created then)."""
        with freeze_time(when):
            return self.env["relationship.pipeline.membership"].create(
                {"partner_id": partner.id, "stage_id": stage.id})

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def rule(self, name, stage, model, domain, date_name, kind="enter", **vals):
        fields_of = self.env["ir.model.fields"]
        return self.env["relationship.stage.rule"].create({
            "name": name, "stage_id": stage.id, "kind": kind, "model_id": self.env["ir.model"]._get_id(model),
            "domain": domain, "partner_field_id": fields_of._get(model, "partner_id").id,
            "date_field_id": fields_of._get(model, date_name).id, **vals})

    def sale_rule(self, stage=None):
        return self.rule("Confirmed sale", stage or self.customer, "sale.order", "[('state', '=', 'sale')]",
                         "date_order")

    def churn_rule(self, days=365):
        return self.rule("No sale for a year", self.churned, "sale.order", "[('state', '=', 'sale')]",
                         "date_order", kind="inactivity", inactivity_days=days,
                         from_stage_ids=[(6, 0, self.customer.ids)])

    def apply(self, rules, when="2024-06-01 12:00:00"):
        with freeze_time(when):
            return rules._apply("manual")

    def rows(self, partner):
        """The partner's history in the test pipeline, oldest first: (stage, enter, leave, rule, user)."""
        history = self.env["relationship.stage.history"].search(
            [("partner_id", "=", partner.id), ("pipeline_id", "=", self.pipeline.id)], order="date_enter, id")
        return [(row.stage_id.name, str(row.date_enter), row.date_leave and str(row.date_leave), row.rule_id,
                 row.user_id) for row in history]

    def kpi(self, key, date_from, date_to):
        return self.env.ref("customer_relationship.kpi_" + key).compute_value(
            date_from, date_to, pipeline_ids=self.pipeline.ids)
