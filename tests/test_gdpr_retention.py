"""Retention rules and periodic destruction (issue 16, item 5): KVKK's Regulation on the Erasure, Destruction or
Anonymisation of Personal Data (periodic destruction at most every six months, records kept three years) and
the GDPR's storage limitation. The clock is frozen on 30 June 2026 at noon (gdpr_retention_common)."""
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import tagged

from .gdpr_retention_common import CUTOFF
from .gdpr_retention_common import HOLD_PARAM
from .gdpr_retention_common import NOW
from .gdpr_retention_common import RetentionCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestGdprRetention(RetentionCase):

    # ------------------------------------------------------------------
    # Interactions older than five years
    # ------------------------------------------------------------------
    def test_interactions_preview_then_run(self):
        rule = self._rule("interaction", "erase").with_user(self.user_officer)
        self.assertEqual(rule._cutoff(), CUTOFF)
        expected = {("relationship.interaction", "delete"): 2, ("mail.message", "delete"): 1,
                    ("ir.attachment", "delete"): 1}
        self.assertEqual(self._plan(rule), expected)
        rule.action_preview()
        self.assertIn('<td>Customer Interaction</td><td>Deleted</td><td class="text-end">2</td>',
                      str(rule.preview_summary))
        self.assertIn('<td>Attachment</td><td>Deleted</td><td class="text-end">1</td>', str(rule.preview_summary))
        self.assertTrue(self.i_old.exists(), "a preview changes nothing")
        path = self.env["ir.attachment"]._full_path(self.i_attachment.store_fname)

        action = rule.action_run()
        record = self.env["gdpr.destruction.record"].browse(action["res_id"])
        self.assertEqual(self._counts(record), expected)
        self.assertEqual((record.destroyed_count, record.kept_count, record.trigger, record.action),
                         (4, 0, "manual", "erase"))
        self.assertEqual({(line.res_model, line.destroyed_count, line.kept_count) for line in record.line_ids},
                         {("relationship.interaction", 2, 0), ("mail.message", 1, 0), ("ir.attachment", 1, 0)})
        self.assertEqual(record.cutoff, CUTOFF)
        self.assertEqual(record.user_id, self.user_officer)
        self.assertEqual(rule.last_run, fields.Datetime.now())
        for gone in (self.i_old, self.i_before, self.i_message, self.i_attachment):
            self.assertFalse(gone.exists(), gone)
        self.assertEqual(self.i_at | self.i_recent | self.i_pending | self.i_employee,
                         (self.i_at | self.i_recent | self.i_pending | self.i_employee).exists(),
                         "the interaction at the cutoff, recent ones and the open request's person's stay")
        # the statistics are recounted: Ottoline has none left, Rafferty counts only what is left of his
        Stat = self.env["relationship.partner.stat"]
        self.assertFalse(Stat.search([("partner_id", "=", self.old.id)]))
        left = self.env["relationship.interaction"].search([("partner_id", "=", self.recent.id)])
        stat = Stat.search([("partner_id", "=", self.recent.id)])
        self.assertEqual((sum(stat.mapped("interaction_count")), max(stat.mapped("last_interaction_date"))),
                         (len(left), max(left.mapped("date"))))
        self.env.flush_all()
        self.assertFalse(self.env["ir.attachment"].search_count([("store_fname", "=", path.split("/")[-1])]))

        again = rule._run("cron")
        self.assertEqual((again.destroyed_count, again.kept_count, again.line_ids.ids), (0, 0, []),
                         "a second run finds nothing left")
        self.assertNotEqual(again.name, record.name)

    def test_interactions_under_legal_hold_are_kept(self):
        self.env["ir.config_parameter"].set_param(HOLD_PARAM, "relationship.interaction")
        rule = self._rule("interaction", "erase")
        record = rule._run("cron")
        self.assertEqual(self._counts(record), {("relationship.interaction", "keep"): 2})
        self.assertTrue(self.i_old.exists() and self.i_before.exists() and self.i_attachment.exists())
        # kept rows are shown apart from destroyed ones, never added to them
        self.assertEqual((record.destroyed_count, record.kept_count), (0, 2))
        self.assertEqual((sum(record.line_ids.mapped("destroyed_count")), sum(record.line_ids.mapped("kept_count"))),
                         (0, 2))

    # ------------------------------------------------------------------
    # Contacts without activity for five years: the erasure engine
    # ------------------------------------------------------------------
    def test_inactive_contacts_are_anonymised_by_the_erasure_engine(self):
        rule = self._rule("partner", "anonymise").with_user(self.user_officer)
        plan = self.env["gdpr.retention.plan"]
        ids = plan._inactive_partner_ids(plan._env(), rule, CUTOFF)
        # Ottoline and her depot; not Rafferty (interaction since), the open request's Perpetua, the fresh
        # contact, the officer's own contact, the company's, nor Kestrel (its employee had a meeting in 2025).
        self.assertEqual(ids, sorted((self.old | self.old_delivery | self.held).ids))
        # The note on Ottoline, the message and attachment of her interaction, and the interaction's message in
        # her chatter. Her interaction statistics are no line: deleting the interaction recounts them.
        expected = {("res.partner", "anonymise"): 3, ("relationship.interaction", "delete"): 1,
                    ("mail.message", "delete"): 3, ("ir.attachment", "delete"): 1, ("gdpr.consent", "delete"): 1}
        self.assertEqual(self._plan(rule), expected)
        listed = rule.action_view_partners()
        self.assertEqual(self.env["res.partner"].with_user(self.user_officer).search(listed["domain"]),
                         self.old | self.old_delivery | self.held)

        record = rule._run("manual")
        counts = self._counts(record)
        self.assertEqual(counts, expected)
        for partner in self.old | self.old_delivery | self.held:
            self.assertEqual((partner.name, partner.email, partner.phone, partner.street, partner.active),
                             (partner._gdpr_anonymous_name(), False, False, False, False))
        for gone in (self.i_old, self.note, self.consent, self.i_message, self.i_attachment):
            self.assertFalse(gone.exists(), gone)
        erased = (self.old | self.old_delivery | self.held).ids
        self.assertFalse(self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "in", erased)]),
                         "no chatter message left, the interactions' included")
        self.assertFalse(self.env["relationship.partner.stat"].search([("partner_id", "in", erased)]),
                         "no statistics left counting the deleted interaction")
        for partner in (self.recent, self.pending, self.fresh, self.old_company, self.old_employee_active,
                        self.user_officer.partner_id, self.env.company.partner_id):
            self.assertTrue(partner.active and "Anonym" not in partner.name, partner.name)
        self.assertTrue(self.i_pending.exists(), "the person with an open request keeps everything")
        self._assert_no_personal_data(record, ["Ottoline", "Vexbridge", "ottoline.vexbridge@example.org",
                                               "Thaddeus", "Moda Caddesi"])

        again = rule._run("cron")
        self.assertEqual((again.destroyed_count, again.line_ids.ids), (0, []), "a second run finds nothing")

    def test_contacts_with_records_under_legal_hold_are_kept(self):
        self.env["ir.config_parameter"].set_param(HOLD_PARAM, "gdpr.consent")
        rule = self._rule("partner", "anonymise")
        record = rule._run("cron")
        counts = self._counts(record)
        self.assertEqual((counts[("res.partner", "keep")], counts[("res.partner", "anonymise")]), (1, 2))
        self.assertEqual((self.held.name, self.held.email, self.consent.exists()),
                         ("Thaddeus Brackenholt", "thaddeus.brackenholt@example.org", self.consent))

    def _assert_no_personal_data(self, record, values):
        texts = []
        for rec in [record, *record.line_ids]:
            for fname, field in rec._fields.items():
                if field.type in ("char", "text", "html", "json", "selection") and rec[fname]:
                    texts.append(str(rec[fname]))
                elif field.type == "many2one" and rec[fname]:
                    texts.append(rec[fname].display_name)
        text = " ".join(texts).lower()
        for value in values:
            self.assertNotIn(value.lower(), text)

    # ------------------------------------------------------------------
    # Closed requests
    # ------------------------------------------------------------------
    def _closed_request(self, received, state="done"):
        request = self._request("access", date_received=received)
        request.sudo().state = state
        return request

    def test_closed_requests_erased_after_three_years(self):
        old_done = self._closed_request("2022-03-01")
        old_rejected = self._closed_request("2023-06-29", "rejected")
        boundary = self._closed_request("2023-06-30")  # not before 30 June 2023
        old_open = self._request("access", date_received="2020-02-03")
        old_done.message_post(body="Sent the export to Zebulon")
        rule = self._rule("request", "erase", years=3)
        record = rule._run("manual")
        self.assertEqual(self._counts(record)[("gdpr.request", "delete")], 2)
        self.assertFalse((old_done | old_rejected).exists())
        self.assertEqual((boundary | old_open).exists(), boundary | old_open)

    def test_closed_requests_anonymised_once(self):
        old_done = self._closed_request("2022-03-01")
        rule = self._rule("request", "anonymise", years=3)
        record = rule._run("manual")
        self.assertEqual(self._counts(record), {("gdpr.request", "anonymise"): 1})
        self.assertTrue("*" in old_done.requester_name and "*" in old_done.requester_email)
        self.assertNotIn("Quixotewright", old_done.requester_name)
        self.assertFalse(rule._run("cron").line_ids, "already anonymised: nothing left")

    def test_action_must_fit_the_data(self):
        with self.assertRaises(ValidationError):
            self._rule("partner", "erase")
        with self.assertRaises(ValidationError):
            self._rule("interaction", "anonymise")
        with self.assertRaises(ValidationError):
            self._rule("interaction", "erase", years=0)

    # ------------------------------------------------------------------
    # Destruction records: evidence kept three years
    # ------------------------------------------------------------------
    def test_record_cannot_be_changed_or_deleted_for_three_years(self):
        record = self._rule("interaction", "erase")._run("cron")
        Record = self.env["gdpr.destruction.record"]
        with self.assertRaises(AccessError):
            record.with_user(self.user_officer).unlink()
        with self.assertRaises(UserError):
            record.sudo().unlink()
        with self.assertRaises(UserError):
            record.line_ids.sudo().unlink()
        with self.assertRaises(UserError):
            record.sudo().write({"destroyed_count": 0})
        with self.assertRaises(AccessError):
            Record.with_user(self.user_officer).create({"rule_id": record.rule_id.id})
        self.assertEqual(record.keep_until, fields.Date.to_date("2029-06-30"))
        with freeze_time("2029-06-30 11:59:59"), self.assertRaises(UserError):
            record.sudo().unlink()
        with freeze_time("2029-06-30 12:00:01"):
            record.sudo().unlink()
        self.assertFalse(record.exists())

    def test_record_counts_are_guarded_like_the_record(self):
        """The counts share the record's guards (gdpr.destruction.guard.mixin), each with its own message."""
        record = self._rule("interaction", "erase")._run("cron")
        lines = record.line_ids.sudo()
        self.assertTrue(lines)
        Line = self.env["gdpr.destruction.record.line"]
        with self.assertRaisesRegex(AccessError, "written by retention runs only"):
            Line.with_user(self.user_officer).create(
                {"record_id": record.id, "res_model": "res.partner", "action": "delete", "count": 1})
        with self.assertRaisesRegex(AccessError, "written by retention runs only"):  # administrators neither
            Line.with_user(self.env.ref("base.user_admin")).create(
                {"record_id": record.id, "res_model": "res.partner", "action": "delete", "count": 1})
        with self.assertRaisesRegex(UserError, "evidence: it cannot be changed"):
            lines.write({"count": 0})
        lines.write({})  # an empty write changes nothing and is let through
        with self.assertRaisesRegex(UserError, r"^Destruction records are kept at least 3 years\.$"):
            lines.unlink()
        with self.assertRaisesRegex(UserError, f"{record.name} can be deleted from 2029-06-30"):
            record.sudo().unlink()
        with freeze_time("2029-06-30 12:00:01"):
            lines.unlink()
        self.assertFalse(lines.exists())
        self.assertTrue(record.exists(), "deleting the counts leaves the record")

    def test_rule_with_records_cannot_be_deleted(self):
        rule = self._rule("interaction", "erase")
        rule._run("cron")
        with self.assertRaises(UserError):
            rule.unlink()
        rule.active = False
        self.assertTrue(rule.record_ids, "archived, its records still name it")

    # ------------------------------------------------------------------
    # Interval: at most six months, written to the scheduled action
    # ------------------------------------------------------------------
    def test_interval_setting_writes_the_cron(self):
        cron = self.env.ref("customer_relationship.ir_cron_gdpr_retention")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.code),
                         (6, "months", "model._cron_run()"))
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.gdpr_destruction_interval_months, 6)
        settings.gdpr_destruction_interval_months = 3
        settings.execute()
        self.assertEqual((cron.interval_number, cron.interval_type), (3, "months"))
        for months in (7, 12, 0, -1):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.env["res.config.settings"].create({"gdpr_destruction_interval_months": months}).execute()
        self.assertEqual((cron.interval_number, cron.interval_type), (3, "months"), "nothing half-saved")

    def test_cron_runs_active_rules_only(self):
        active = self._rule("interaction", "erase")
        inactive = self._rule("request", "erase", active=False)
        self.env.ref("customer_relationship.ir_cron_gdpr_retention").method_direct_trigger()
        self.assertEqual(len(active.record_ids), 1)
        self.assertEqual(active.record_ids.trigger, "cron")
        self.assertFalse(inactive.record_ids)
        self.assertFalse(self.i_old.exists())

    def test_cron_goes_on_when_a_rule_fails(self):
        failing = self._rule("request", "erase", sequence=1)
        working = self._rule("interaction", "erase", sequence=2)
        Plan = type(self.env["gdpr.retention.plan"])
        with patch.object(Plan, "_execute_request", side_effect=RuntimeError("disk full")), \
                self.assertLogs("odoo.addons.customer_relationship.models.gdpr_retention_rule", "ERROR"):
            self.Rule._cron_run()
        self.assertEqual((len(failing.record_ids), failing.last_run), (0, False))
        self.assertEqual(working.record_ids.destroyed_count, 4)

    # ------------------------------------------------------------------
    # Access: officers only
    # ------------------------------------------------------------------
    def test_only_officers_reach_rules_and_records(self):
        rule = self._rule("interaction", "erase")
        record = rule._run("cron")
        for user in (self.user_rel, self.user_manager, self.user_internal):
            with self.assertRaises(AccessError):
                rule.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                rule.with_user(user).action_run()
            with self.assertRaises(AccessError):
                rule.with_user(user).action_preview()
            with self.assertRaises(AccessError):
                record.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.Rule.with_user(user).create({"name": "x", "target": "interaction", "action": "erase"})
        self.assertEqual(record.with_user(self.user_officer).read(["name"])[0]["name"], record.name)
        with self.assertRaises(AccessError):
            rule.with_user(self.user_officer).write({"last_run": "2020-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            rule.with_user(self.user_officer).write({"preview_summary": "<p>forged</p>"})
