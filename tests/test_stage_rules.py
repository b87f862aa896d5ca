"""Stage rules over real opportunities, orders and invoices (issue 18): exact history rows and KPI values."""
from odoo.tests import tagged

from .stage_rule_common import StageRuleCase


@tagged("post_install", "-at_install")
class TestStageRules(StageRuleCase):

    def test_backfill_dates_and_roll_up_to_the_company(self):
        """A sale to a contact person adds its company to the pipeline on the first order's date."""
        acme, buyer = self.company_with_contact("Acme")
        self.confirmed_order(buyer, "2024-03-10 10:00:00")
        self.confirmed_order(acme, "2024-04-20 09:00:00")
        rule = self.sale_rule()
        self.assertEqual(self.apply(rule)[rule][:2], (1, 0))
        User = self.env["res.users"]
        self.assertEqual(self.rows(acme), [("Customer", "2024-03-10 10:00:00", False, rule, User)])
        self.assertEqual(self.rows(buyer), [], "the contact person is not moved: its company is")
        membership = acme.relationship_membership_ids.filtered(lambda m: m.pipeline_id == self.pipeline)
        self.assertEqual((membership.stage_id, str(membership.date_entered), str(membership.date_stage_entered)),
                         (self.customer, "2024-03-10 10:00:00", "2024-03-10 10:00:00"))
        # the acquisition of past periods is right at once
        self.assertEqual(self.kpi("acquisition", "2024-03-01", "2024-03-31"), 1.0)
        self.assertEqual(self.kpi("acquisition", "2024-04-01", "2024-04-30"), 0.0)
        self.assertEqual(self.kpi("acquisition", "2024-02-01", "2024-02-29"), 0.0)

    def test_opportunity_then_customer_walks_forward(self):
        """Open deal -> Opportunity on its creation, won deal -> Customer on its closing, after a manual Lead."""
        bolt = self.partner("Bolt", is_company=True)
        self.place(bolt, self.lead, "2024-01-01 08:00:00")
        self.opportunity_of(bolt, "2024-02-01 09:00:00")
        self.opportunity_of(bolt, "2024-02-15 09:00:00", won="2024-05-01 16:00:00")
        opened = self.rule("Open opportunity", self.opportunity, "crm.lead",
                           "[('type', '=', 'opportunity'), ('active', '=', True), ('probability', '<', 100)]",
                           "create_date")
        won = self.rule("Won opportunity", self.customer, "crm.lead",
                        "[('type', '=', 'opportunity'), ('probability', '=', 100)]", "date_closed")
        self.apply(won | opened)
        admin = self.env.user
        self.assertEqual(self.rows(bolt), [
            ("Lead", "2024-01-01 08:00:00", "2024-02-01 09:00:00", self.env["relationship.stage.rule"], admin),
            ("Opportunity", "2024-02-01 09:00:00", "2024-05-01 16:00:00", opened, self.env["res.users"]),
            ("Customer", "2024-05-01 16:00:00", False, won, self.env["res.users"]),
        ])
        history = bolt.relationship_stage_history_ids.filtered(lambda r: r.pipeline_id == self.pipeline)
        lead_row = history.filtered(lambda r: r.stage_id == self.lead)
        self.assertEqual((lead_row.next_stage_id, lead_row.progressed, lead_row.duration_days),
                         (self.opportunity, True, 31.04))
        self.assertEqual(self.kpi("acquisition", "2024-05-01", "2024-05-31"), 1.0)

    def test_forward_only_never_moves_back(self):
        """A customer with a new open deal stays a customer; a two-way pipeline moves it back."""
        cleo = self.partner("Cleo", is_company=True)
        self.place(cleo, self.customer, "2024-01-01 08:00:00")
        self.opportunity_of(cleo, "2024-03-01 09:00:00")
        opened = self.rule("Open opportunity", self.opportunity, "crm.lead", "[('type', '=', 'opportunity')]",
                           "create_date")
        self.assertEqual(self.apply(opened)[opened][:2], (0, 0))
        self.assertEqual([row[0] for row in self.rows(cleo)], ["Customer"])
        self.pipeline.forward_only = False
        self.assertEqual(self.apply(opened)[opened][:2], (0, 1))
        self.assertEqual([row[:3] for row in self.rows(cleo)], [
            ("Customer", "2024-01-01 08:00:00", "2024-03-01 09:00:00"),
            ("Opportunity", "2024-03-01 09:00:00", False)])

    def test_older_records_do_not_undo_a_manual_move(self):
        """Records dated before the partner entered its stage do not move it: a person placed it there later."""
        dana = self.partner("Dana", is_company=True)
        self.confirmed_order(dana, "2023-05-01 10:00:00")
        self.place(dana, self.lead, "2024-01-01 08:00:00")
        rule = self.sale_rule()
        self.apply(rule)
        self.assertEqual([row[0] for row in self.rows(dana)], ["Lead"])
        self.confirmed_order(dana, "2024-02-02 10:00:00")
        self.apply(rule)
        self.assertEqual([row[:3] for row in self.rows(dana)], [
            ("Lead", "2024-01-01 08:00:00", "2024-02-02 10:00:00"), ("Customer", "2024-02-02 10:00:00", False)])

    def test_inactivity_churn_dated_by_the_last_record(self):
        """No sale for 365 days: churned on the day after the last order plus a year; the KPIs follow."""
        eden, fox = self.partner("Eden", is_company=True), self.partner("Fox", is_company=True)
        self.confirmed_order(eden, "2023-01-10 10:00:00")
        self.confirmed_order(eden, "2023-02-01 10:00:00")
        self.confirmed_order(fox, "2023-01-10 10:00:00")
        self.confirmed_order(fox, "2024-01-15 10:00:00")
        sale, churn = self.sale_rule(), self.churn_rule()
        results = self.apply(sale | churn)
        self.assertEqual((results[sale][:2], results[churn][:2]), ((2, 0), (0, 1)))
        self.assertEqual([row[:4] for row in self.rows(eden)], [
            ("Customer", "2023-01-10 10:00:00", "2024-02-01 10:00:00", sale),
            ("Churned", "2024-02-01 10:00:00", False, churn)])
        self.assertEqual([row[:3] for row in self.rows(fox)], [("Customer", "2023-01-10 10:00:00", False)])
        # Q1 2024: two customers at the start, Eden lost -> churn 50 %, retention 50 %
        self.assertEqual(self.kpi("churn_rate", "2024-01-01", "2024-03-31"), 50.0)
        self.assertEqual(self.kpi("retention_rate", "2024-01-01", "2024-03-31"), 50.0)
        self.assertEqual(self.kpi("acquisition", "2023-01-01", "2023-01-31"), 2.0)
        # a later run, before Fox's year is over, changes nothing; after it, Fox churns too
        self.assertEqual(self.apply(churn, "2025-01-14 09:00:00")[churn][:2], (0, 0))
        self.assertEqual(self.apply(churn, "2025-01-15 12:00:00")[churn][:2], (0, 1))
        self.assertEqual(self.rows(fox)[-1][:2], ("Churned", "2025-01-14 10:00:00"))

    def test_invoice_rule_and_inactivity_rules_count_each_other(self):
        """A posted invoice makes a customer; "no sale and no invoice for a year" needs both to be absent."""
        gala = self.partner("Gala", is_company=True)
        self.posted_invoice(gala, "2023-01-05")
        self.confirmed_order(gala, "2023-03-01 10:00:00")
        posted = "[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]"
        invoice = self.rule("Posted invoice", self.customer, "account.move", posted, "invoice_date")
        no_invoice = self.rule("No invoice for a year", self.churned, "account.move", posted, "invoice_date",
                               kind="inactivity", inactivity_days=365, from_stage_ids=[(6, 0, self.customer.ids)])
        # a year after the last invoice, but not after the last order: still a customer
        self.apply(invoice | no_invoice | self.churn_rule(), "2024-02-01 12:00:00")
        self.assertEqual([row[:4] for row in self.rows(gala)], [("Customer", "2023-01-05 00:00:00", False, invoice)])
        self.apply(no_invoice, "2024-03-01 12:00:00")
        self.assertEqual([row[:4] for row in self.rows(gala)], [
            ("Customer", "2023-01-05 00:00:00", "2024-02-29 10:00:00", invoice),
            ("Churned", "2024-02-29 10:00:00", False, no_invoice)])

    def test_second_run_changes_nothing(self):
        """Idempotent: the second run moves nobody and writes no history; both runs are logged."""
        acme, buyer = self.company_with_contact("Acme")
        self.confirmed_order(buyer, "2023-03-10 10:00:00")
        sale, churn = self.sale_rule(), self.churn_rule()
        self.apply(sale | churn)
        before = self.rows(acme)
        count = self.env["relationship.stage.history"].search_count([])
        results = self.apply(sale | churn)
        self.assertEqual((results[sale][:2], results[churn][:2]), ((0, 0), (0, 0)))
        self.assertEqual((self.rows(acme), self.env["relationship.stage.history"].search_count([])), (before, count))
        runs = self.env["relationship.stage.rule.run"].search([("rule_id", "in", (sale | churn).ids)], order="id")
        self.assertEqual([(run.rule_id, run.added_count, run.moved_count, run.trigger) for run in runs], [
            (sale, 1, 0, "manual"), (churn, 0, 1, "manual"), (sale, 0, 0, "manual"), (churn, 0, 0, "manual")])

    def test_manual_move_keeps_the_user_and_lifecycle_stage_follows(self):
        self.env.ref("customer_relationship.pipeline_customer_lifecycle").is_lifecycle = False
        self.pipeline.is_lifecycle = True
        hale = self.partner("Hale", is_company=True)
        self.confirmed_order(hale, "2024-02-01 10:00:00")
        self.apply(self.sale_rule())
        self.assertEqual(hale.relationship_stage_id, self.customer)
        membership = hale.relationship_membership_ids
        membership.with_user(self.user_manager).stage_id = self.churned
        last = hale.relationship_stage_history_ids.sorted("id")[-1]
        self.assertEqual((last.stage_id, last.user_id, last.rule_id), (self.churned, self.user_manager,
                                                                        self.env["relationship.stage.rule"]))
        self.assertEqual(hale.relationship_stage_id, self.churned)

    def test_a_back_fill_flags_one_lifecycle_stage_per_partner(self):
        """Partners a rule adds to the lifecycle get their stage from its SQL insert; one already in another
        company's lifecycle keeps exactly one, ranked as any other change ranks it (stage date, then priority)."""
        self.env.ref("customer_relationship.pipeline_customer_lifecycle").is_lifecycle = False
        self.pipeline.is_lifecycle = True
        company2 = self.env["res.company"].create({"name": "Rules Second Co"})
        second = self.env["relationship.pipeline"].create({
            "name": "Second lifecycle", "company_id": company2.id, "is_lifecycle": True,
            "stage_ids": [(0, 0, {"name": "Prospect", "sequence": 1})]})
        hale, solo = self.partner("Hale", is_company=True), self.partner("Solo", is_company=True)
        in_second = self.place(hale, second.stage_ids, "2024-03-01 08:00:00")
        self.assertEqual(hale.relationship_stage_id, second.stage_ids)
        self.confirmed_order(hale, "2024-02-01 10:00:00")
        self.confirmed_order(solo, "2024-02-05 10:00:00")
        self.apply(self.sale_rule())
        self.assertEqual(solo.relationship_stage_id, self.customer)
        # neither lifecycle is Hale's company's, same priority: the earlier stage date (the rule's, February) first
        self.assertEqual(hale.relationship_stage_id, self.customer)
        flagged = self.env["relationship.pipeline.membership"].search(
            [("partner_id", "in", (hale | solo).ids), ("is_current_lifecycle", "=", True)])
        self.assertEqual(sorted(flagged.partner_id.mapped("name")), ["Hale", "Solo"])
        in_second.priority = "1"
        self.assertEqual(hale.relationship_stage_id, second.stage_ids)

    def test_restricted_partner_is_not_moved(self):
        ivy = self.partner("Ivy", is_company=True)
        self.place(ivy, self.lead, "2024-01-01 08:00:00")
        self.confirmed_order(ivy, "2024-02-01 10:00:00")
        ivy.sudo().write({"gdpr_restricted": True})
        self.apply(self.sale_rule())
        self.assertEqual([row[0] for row in self.rows(ivy)], ["Lead"])

    def test_queries_do_not_grow_with_partners(self):
        """One fixed set of statements per rule, for 2 partners as for 12."""
        rule = self.sale_rule()

        def queries(count):
            for index in range(count):
                self.confirmed_order(self.partner(f"Q{count}-{index}", is_company=True), "2024-02-01 10:00:00")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            added = self.apply(rule)[rule][0]
            self.assertEqual(added, count)
            return self.env.cr.sql_log_count - before

        queries(1)  # the first run also fills Odoo's caches of models and fields
        self.assertEqual(queries(2), queries(12))
