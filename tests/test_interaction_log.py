import csv
from datetime import datetime
from os.path import dirname
from os.path import join

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tools import mute_logger

from .common import RelationshipCase


class InteractionCase(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(relationship_no_pipeline=True)
        cls.company = Partner.create({"name": "Kuzey Lojistik", "is_company": True, "email": "info@kuzey.example.com"})
        cls.contact_a, cls.contact_b = Partner.create([
            {"name": "Ali Kuzey", "parent_id": cls.company.id, "email": "ali@kuzey.example.com"},
            {"name": "Ece Kuzey", "parent_id": cls.company.id, "email": "ece@kuzey.example.com"}])
        cls.solo = Partner.create({"name": "Deniz Solo", "email": "deniz@solo.example.com"})

    def _log(self, partner, date, **vals):
        return self.env["relationship.interaction"].create(
            {"partner_id": partner.id, "subject": "Call", "date": date, **vals})


class TestInteractionCounters(InteractionCase):
    def test_batch_create_write_unlink_keep_counters_right(self):
        interactions = self.env["relationship.interaction"].create([
            {"partner_id": self.contact_a.id, "subject": "A1", "date": "2026-01-10 10:00:00"},
            {"partner_id": self.contact_a.id, "subject": "A2", "date": "2026-02-10 10:00:00"},
            {"partner_id": self.contact_b.id, "subject": "B1", "date": "2026-03-10 10:00:00"},
        ])
        self.assertEqual(self.contact_a.interaction_count, 2)
        self.assertEqual(self.contact_a.last_interaction_date, datetime(2026, 2, 10, 10))
        self.assertEqual(self.contact_b.interaction_count, 1)
        # The company sees its contacts' interactions.
        self.assertEqual(self.company.interaction_count, 3)
        self.assertEqual(self.company.last_interaction_date, datetime(2026, 3, 10, 10))
        self.assertEqual(interactions[0].commercial_partner_id, self.company)

        interactions[2].partner_id = self.solo
        self.assertEqual(self.contact_b.interaction_count, 0)
        self.assertFalse(self.contact_b.last_interaction_date)
        self.assertEqual(self.company.interaction_count, 2)
        self.assertEqual(self.company.last_interaction_date, datetime(2026, 2, 10, 10))
        self.assertEqual(self.solo.last_interaction_date, datetime(2026, 3, 10, 10))

        interactions[1].unlink()
        self.assertEqual(self.contact_a.last_interaction_date, datetime(2026, 1, 10, 10))
        self.assertEqual(self.company.interaction_count, 1)
        # The stored statistics are what the list sorts and filters on: check the database, not the cache.
        self.assertEqual(self._stored_stats(self.company), {self.company.id: (1, datetime(2026, 1, 10, 10))})
        self.assertEqual(self._stored_stats(self.contact_b), {}, "no interaction left: no row")

    def _stored_stats(self, partners):
        self.env.flush_all()
        self.env.cr.execute("""SELECT partner_id, SUM(interaction_count), MAX(last_interaction_date)
                                 FROM relationship_partner_stat WHERE partner_id IN %s GROUP BY partner_id""",
                            [tuple(partners.ids)])
        return {pid: (count, last) for pid, count, last in self.env.cr.fetchall()}

    def test_new_interactions_add_to_counters_without_recount(self):
        everyone = self.company | self.contact_a | self.contact_b | self.solo
        self._log(self.contact_a, "2026-03-01 10:00:00")
        self._log(self.solo, "2026-03-01 10:00:00")
        Interaction = self.env["relationship.interaction"]
        Stat = self.env["relationship.partner.stat"]
        recounts = []
        original = type(Stat)._recount

        def counting(stat, partner_ids):
            recounts.append(partner_ids)
            return original(stat, partner_ids)
        self.patch(type(Stat), "_recount", counting)
        Interaction.create([  # an older one must not move the last contact back
            {"partner_id": self.contact_a.id, "subject": "Older", "date": "2026-01-05 10:00:00"},
            {"partner_id": self.contact_b.id, "subject": "B", "date": "2026-04-01 10:00:00"},
            {"partner_id": self.company.id, "subject": "C", "date": "2026-02-01 10:00:00"},
            {"partner_id": self.solo.id, "subject": "S", "date": "2026-05-01 10:00:00"}])
        self.assertEqual(self._stored_stats(everyone), {
            self.company.id: (4, datetime(2026, 4, 1, 10)), self.contact_a.id: (2, datetime(2026, 3, 1, 10)),
            self.contact_b.id: (1, datetime(2026, 4, 1, 10)), self.solo.id: (2, datetime(2026, 5, 1, 10))})
        self.assertEqual(recounts, [], "creating interactions adds to the counters, it does not recount")
        # the same figures as a full recount
        added = self._stored_stats(everyone)
        original(Stat, everyone.ids)
        self.assertEqual(self._stored_stats(everyone), added)

    def test_merging_contacts_keeps_counters_right(self):
        self._log(self.contact_b, "2026-03-01 10:00:00")
        self._log(self.solo, "2026-04-01 10:00:00")
        self._log(self.solo, "2026-01-01 10:00:00")
        wizard = self.env["base.partner.merge.automatic.wizard"].create(
            {"partner_ids": [Command.set((self.solo | self.contact_b).ids)], "dst_partner_id": self.solo.id})
        wizard.action_merge()
        self.assertFalse(self.contact_b.exists())
        # Ece's call moved to Deniz, who took Ece's company in the merge: Kuzey Lojistik counts all three
        self.assertEqual(self.solo.parent_id, self.company)
        last = datetime(2026, 4, 1, 10)
        self.assertEqual(self._stored_stats(self.solo | self.company),
                         {self.solo.id: (3, last), self.company.id: (3, last)})
        self.assertEqual((self.solo.interaction_count, self.company.interaction_count), (3, 3))
        self.assertEqual(self.solo.interaction_ids.commercial_partner_id, self.company)

    def test_partner_due_for_recount_keeps_it(self):
        self._log(self.solo, "2026-03-01 10:00:00")
        self._log(self.contact_a, "2026-02-01 10:00:00")
        # Solo joins the company in this transaction: both are due for a recount when the next one comes
        self.solo.parent_id = self.company
        self._log(self.solo, "2026-04-01 10:00:00")
        stats = self._stored_stats(self.company | self.solo)
        self.assertEqual(stats[self.solo.id], (2, datetime(2026, 4, 1, 10)))
        self.assertEqual(stats[self.company.id], (3, datetime(2026, 4, 1, 10)))

    def test_newest_first(self):
        old = self._log(self.solo, "2026-01-01 08:00:00")
        new = self._log(self.solo, "2026-02-01 08:00:00")
        self.assertEqual(self.solo.interaction_ids.ids, [new.id, old.id])


class TestContactCadence(InteractionCase):
    def test_days_since_filter(self):
        with freeze_time("2026-06-30 12:00:00"):
            self._log(self.contact_a, "2026-06-20 12:00:00")  # 10 days
            self._log(self.solo, "2026-03-01 12:00:00")  # 121 days
            mine = self.contact_a | self.solo | self.contact_b  # contact_b never contacted
            Partner = self.env["res.partner"]
            self.assertEqual(self.contact_a.days_since_last_interaction, 10)
            self.assertEqual(self.solo.days_since_last_interaction, 121)
            domain = [("id", "in", mine.ids)]
            self.assertEqual(Partner.search(domain + [("days_since_last_interaction", ">=", 30)]),
                             self.solo | self.contact_b)
            self.assertEqual(Partner.search(domain + [("days_since_last_interaction", ">=", 90)]),
                             self.solo | self.contact_b)
            self.assertEqual(Partner.search(domain + [("days_since_last_interaction", "<", 30)]), self.contact_a)
            self.assertEqual(Partner.search(domain + [("days_since_last_interaction", "=", 10)]), self.contact_a)
            self.assertEqual(Partner.search(domain + [("days_since_last_interaction", ">", 10)]),
                             self.solo | self.contact_b)
            with self.assertRaisesRegex(UserError, "whole number of days"):
                Partner.search([("days_since_last_interaction", "in", [1, 2])])

    def test_cadence_default_and_needs_attention(self):
        # nothing is written into partners: an empty cadence follows the setting (30 days)
        self.assertEqual(self.solo.contact_cadence_days, 0)
        self.env.cr.execute("SELECT COUNT(*) FROM res_partner WHERE COALESCE(contact_cadence_days, 0) != 0")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the install wrote a cadence into partners")
        Partner = self.env["res.partner"]
        mine = self.solo | self.contact_a | self.contact_b
        with freeze_time("2026-06-30 12:00:00"):
            self._log(self.solo, "2026-06-15 12:00:00")
            self._log(self.contact_a, "2026-04-15 12:00:00")
            self.assertEqual(mine.filtered("needs_attention"), self.contact_a | self.contact_b)
            self.contact_a.contact_cadence_days = 90  # its own cadence
            mine.invalidate_recordset(["needs_attention"])
            self.assertEqual(mine.filtered("needs_attention"), self.contact_b)
            self.assertEqual(Partner.search([("id", "in", mine.ids), ("needs_attention", "=", True)]),
                             self.contact_b)
            self.env["ir.config_parameter"].sudo().set_param("customer_relationship.default_cadence_days", "0")
            mine.invalidate_recordset(["needs_attention"])
            self.assertFalse(mine.filtered("needs_attention"), "0 in the settings: no cadence")
            self.assertEqual(Partner.search([("id", "in", mine.ids), ("needs_attention", "=", False)]), mine)

    def test_negative_cadence_refused(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.solo.contact_cadence_days = -3
            self.env.flush_all()

    def _in_pipeline(self, partners, stage_type="open"):
        pipeline = self.env["relationship.pipeline"].create({"name": f"Cadence {stage_type}", "stage_ids": [
            (0, 0, {"name": stage_type.title(), "stage_type": stage_type})]})
        return self.env["relationship.pipeline.membership"].sudo().create(
            [{"partner_id": partner.id, "pipeline_id": pipeline.id} for partner in partners])

    def _reminders(self, partners):
        activity_type = self.env.ref("customer_relationship.mail_activity_type_contact_customer")
        return self.env["mail.activity"].search([
            ("activity_type_id", "=", activity_type.id), ("res_model", "=", "res.partner"),
            ("res_id", "in", partners.ids)])

    def test_cadence_cron_is_idempotent(self):
        self._in_pipeline(self.company | self.solo)
        with freeze_time("2026-06-30 12:00:00"):
            self._log(self.contact_a, "2026-04-01 12:00:00")  # the company: 90 days without contact
            self._log(self.solo, "2026-06-25 12:00:00")  # within cadence
            everyone = self.company | self.solo | self.contact_a
            self.env["res.partner"]._cron_contact_cadence()
            first = self._reminders(everyone)
            self.assertEqual(first.mapped("res_id"), self.company.ids,
                             "contacts of companies are reminded on the company")
            self.assertEqual(first.summary, "Not contacted for 90 days")
            self.env["res.partner"]._cron_contact_cadence()
            self.assertEqual(self._reminders(everyone), first)
            first.action_feedback(feedback="Called")
            self.env["res.partner"]._cron_contact_cadence()
            self.assertEqual(len(self._reminders(everyone)), 1,
                             "a done reminder is followed by a new one while still overdue")

    def test_cadence_reminds_only_partners_in_an_open_or_customer_stage(self):
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        prospect, customer, lost, outside, archived = Partner.create([
            {"name": n, "is_company": True} for n in ("Prospect", "Customer", "Lost", "Outside", "Archived")])
        user_partner = self.user_rel.partner_id
        own_company = self.env.company.partner_id
        odoobot = self.env.ref("base.partner_root")
        self._in_pipeline(prospect | archived | user_partner | own_company | odoobot)
        self._in_pipeline(customer, "customer")
        self._in_pipeline(lost, "lost")
        archived.action_archive()
        candidates = prospect | customer | lost | outside | archived | user_partner | own_company | odoobot
        with freeze_time("2026-06-30 12:00:00"):
            self._log(customer, "2026-03-01 12:00:00")
            reminded = self.env["res.partner"]._cron_contact_cadence()
            self.assertEqual(reminded & candidates, prospect | customer)
            found = self._reminders(candidates)
            self.assertEqual(set(found.mapped("res_id")), set((prospect | customer).ids))
            self.assertEqual(found.filtered(lambda a: a.res_id == prospect.id).summary, "Never contacted")
            self.assertEqual(found.filtered(lambda a: a.res_id == customer.id).summary,
                             "Not contacted for 121 days")

    def test_cadence_cron_works_in_batches(self):
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        partners = Partner.create([{"name": f"Batch {i}", "is_company": True} for i in range(5)])
        self._in_pipeline(partners)
        Cron = self.env["res.partner"].with_context(active_test=True)
        with freeze_time("2026-06-30 12:00:00"):
            passes = Cron._cadence_passes(self.env.ref("customer_relationship.mail_activity_type_contact_customer"))
            before = sum(partners.search_count(domain) for partners, domain in passes)
            done = self.env["res.partner"].browse()
            for _run in range(before // 2 + 2):
                batch = Cron._cron_contact_cadence(batch_size=2)
                self.assertLessEqual(len(batch), 2)
                done |= batch
            self.assertEqual(len(done), before)
            self.assertLessEqual(partners, done)
            self.assertEqual(len(self._reminders(partners)), 5)

class TestFollowUp(InteractionCase):
    def test_next_step_creates_activity_on_partner(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        interaction = self.env["relationship.interaction"].create({
            "partner_id": self.contact_a.id, "subject": "Demo", "next_activity_type_id": todo.id,
            "next_activity_date": "2026-12-01", "next_activity_summary": "Send the offer",
            "next_activity_user_id": self.user_rel.id})
        activity = self.env["mail.activity"].search([("res_model", "=", "res.partner"),
                                                     ("res_id", "=", self.contact_a.id)])
        self.assertEqual(len(activity), 1)
        self.assertEqual((activity.activity_type_id, activity.summary, activity.user_id, str(activity.date_deadline)),
                         (todo, "Send the offer", self.user_rel, "2026-12-01"))
        self.assertFalse(interaction.activity_ids, "the next step belongs to the partner, not to the log entry")


class TestBadInput(InteractionCase):
    def _refused(self, error, message, vals):
        count = self.env["relationship.interaction"].search_count([])
        with self.assertRaisesRegex(error, message), self.env.cr.savepoint():
            self.env["relationship.interaction"].create({"partner_id": self.solo.id, "subject": "Bad", **vals})
        self.assertEqual(self.env["relationship.interaction"].search_count([]), count)

    def test_negative_duration(self):
        self._refused(ValidationError, "duration cannot be negative", {"duration": -1.0})

    @freeze_time("2026-06-30 12:00:00")
    def test_future_date(self):
        self._refused(ValidationError, "more than one day in the future", {"date": "2026-07-02 12:00:00"})
        self._log(self.solo, "2026-07-01 11:00:00")  # tomorrow is still fine (time zones)

    def test_archived_partner(self):
        self.solo.active = False
        self._refused(ValidationError, "is archived: restore the contact", {})

    def test_restricted_partner(self):
        self.solo.sudo().gdpr_restricted = True
        self._refused(UserError, "restricted under GDPR art. 18", {})


class TestEmailCapture(InteractionCase):
    def _captured(self, message):
        return self.env["relationship.interaction"].search([("message_id", "=", message.id)])

    def test_incoming_email_on_partner(self):
        message = self.solo.message_post(
            body="<p>Can you send the invoice?</p>", subject="Invoice", message_type="email",
            author_id=self.solo.id, email_from=self.solo.email)
        captured = self._captured(message)
        self.assertEqual(len(captured), 1)
        self.assertEqual((captured.partner_id, captured.channel, captured.direction, captured.subject, captured.source),
                         (self.solo, "email", "inbound", "Invoice", "email"))
        self.assertEqual(self.solo.interaction_count, 1)

    def test_outgoing_email_to_partners_on_another_record(self):
        record = self.company  # any mail.thread record: here the company, mailed to two contacts
        message = record.with_context(mail_notify_force_send=False).message_post(
            body="<p>Meeting next week</p>", subject="Planning", message_type="comment",
            subtype_xmlid="mail.mt_comment", partner_ids=(self.contact_a | self.contact_b).ids)
        captured = self._captured(message)
        self.assertEqual(captured.partner_id, self.company | self.contact_a | self.contact_b)
        self.assertEqual(set(captured.mapped("direction")), {"outbound"})
        self.assertFalse(captured.filtered(lambda i: i.partner_id == self.env.user.partner_id))

    def test_notes_and_notifications_are_not_captured(self):
        note = self.solo.message_post(body="<p>Internal</p>", message_type="comment", subtype_xmlid="mail.mt_note",
                                      partner_ids=self.contact_a.ids)
        notification = self.solo.message_post(body="<p>Stage changed</p>", message_type="notification")
        self.assertFalse(self._captured(note) | self._captured(notification))

    def test_same_message_is_never_captured_twice(self):
        message = self.solo.message_post(body="<p>Hi</p>", message_type="email", author_id=self.solo.id)
        message._relationship_capture()
        self.assertEqual(len(self._captured(message)), 1)

    def test_capture_can_be_switched_off(self):
        self.env["ir.config_parameter"].sudo().set_param("customer_relationship.auto_capture", "False")
        message = self.solo.message_post(body="<p>Hi</p>", message_type="email", author_id=self.solo.id)
        self.assertFalse(self._captured(message))

    def test_capture_failure_never_stops_the_mail(self):
        self.solo.sudo().gdpr_restricted = True  # skipped silently, the mail itself goes through
        message = self.solo.message_post(body="<p>Hi</p>", message_type="email", author_id=self.solo.id)
        self.assertTrue(message.exists())
        self.assertFalse(self._captured(message))


class TestCaptureQueries(InteractionCase):
    """make bench P4: capture costs one query per e-mail, whatever the partner's history."""

    def _post(self, partner, index):
        return partner.message_post(body=f"<p>Quote {index} attached.</p>", subject=f"Quote {index}",
                                    message_type="email", subtype_xmlid="mail.mt_comment", partner_ids=partner.ids)

    def _flush(self):
        self.env.flush_all()
        self.env.cr.flush()  # commit-time work too, as assertQueryCount counts it

    def _queries_of_posts(self, partner, capture, posts):
        self.env["ir.config_parameter"].sudo().set_param("customer_relationship.auto_capture", str(capture))
        self._post(partner, 0)  # warms the caches: both sides start alike
        self._flush()
        before = self.env.cr.sql_log_count
        for index in range(posts):
            self._post(partner, index + 1)
        self._flush()
        return self.env.cr.sql_log_count - before

    def test_capture_costs_one_query_per_email(self):
        off = self._queries_of_posts(self.solo, False, 3)
        off_one = self._queries_of_posts(self.solo, False, 1)
        self.env["relationship.interaction"].create([
            {"partner_id": self.solo.id, "subject": f"Old {n}", "date": "2026-01-01 10:00:00"} for n in range(30)])
        self.env.invalidate_all()
        self.assertEqual(self._queries_of_posts(self.solo, True, 3), off + 3)
        with self.assertQueryCount(__system__=off_one + 1):
            self._post(self.solo, 9)
        message = self._post(self.contact_a, 9)
        # logged and counted when message_post returns, for the contact and its company
        captured = self.env["relationship.interaction"].search([("message_id", "=", message.id)])
        self.assertEqual((captured.partner_id, captured.commercial_partner_id, captured.direction, captured.source,
                          captured.subject, captured.company_id), (
            self.contact_a, self.company, "outbound", "email", "Quote 9", self.env.company))
        self.assertEqual((self.solo.interaction_count, self.contact_a.interaction_count,
                          self.company.interaction_count), (35, 1, 1))
        self.assertEqual(self.contact_a.last_interaction_date, message.date)

    def test_capture_applies_defaults_set_by_an_administrator(self):
        """The capture's cached defaults are those of create: a default set later applies to the next e-mail."""
        first = self._post(self.solo, 1)
        self.env["ir.default"].set("relationship.interaction", "outcome", "positive")
        second = self._post(self.solo, 2)
        captured = self.env["relationship.interaction"].search([("message_id", "in", (first | second).ids)],
                                                               order="id")
        self.assertEqual(captured.mapped("outcome"), [False, "positive"])

    def test_capture_of_an_email_twice_is_skipped_in_the_statement(self):
        message = self._post(self.solo, 1)
        vals = message._relationship_capture_values()
        self.assertEqual(vals, [], "already logged")
        vals = message._relationship_capture_values(new=True)
        self.assertFalse(self.env["relationship.interaction"]._create_captured(vals))
        self.assertEqual(self.solo.interaction_count, 1)

    def test_capture_after_a_contact_changed_company(self):
        self._log(self.contact_a, "2026-02-01 10:00:00")
        self.contact_a.parent_id = False  # leaves the company: both are due for a recount
        self._post(self.contact_a, 1)
        self.env.flush_all()
        self.assertEqual((self.contact_a.interaction_count, self.company.interaction_count), (2, 0))

    def test_email_dated_ahead_is_not_captured(self):
        message = self.env["mail.message"].create({
            "model": "res.partner", "res_id": self.solo.id, "message_type": "email", "body": "<p>Hi</p>",
            "author_id": self.solo.id, "date": "2099-01-01 10:00:00"})
        self.assertFalse(self.env["relationship.interaction"].search([("message_id", "=", message.id)]))
        self.assertEqual(self.solo.interaction_count, 0)


class TestPartnerListQueries(InteractionCase):
    """make bench P2: the figures of a page of partners cost one query, whatever the partners and interactions."""

    COLUMNS = {"last_interaction_date": {}, "days_since_last_interaction": {}, "interaction_count": {},
               "needs_attention": {}}

    def _read_list(self, partners, columns=None):
        columns = self.COLUMNS if columns is None else columns
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        partners.web_search_read([("id", "in", partners.ids)], {"display_name": {}, **columns})
        return self.env.cr.sql_log_count - before

    def test_list_columns_cost_one_query(self):
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        partners = Partner.create([{"name": f"List {i}"} for i in range(80)])
        self.env["relationship.interaction"].create([
            {"partner_id": p.id, "subject": "One", "date": "2026-01-01 10:00:00"} for p in partners])
        self._read_list(partners)  # warms the caches (settings' cadence)
        one_each = self._read_list(partners)
        self.assertEqual(one_each, self._read_list(partners, {}) + 1, "the four columns cost one query together")
        more = Partner.create([{"name": f"More {i}"} for i in range(80)])
        self.env["relationship.interaction"].create([
            {"partner_id": p.id, "subject": f"More {n}", "date": "2026-01-02 10:00:00"}
            for p in partners | more for n in range(9)])
        self.assertEqual(self._read_list(partners | more), one_each, "twice the partners, ten times the rows")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=one_each):
            result = partners.web_search_read([("id", "in", partners.ids)], {
                "display_name": {}, **self.COLUMNS})
        self.assertEqual({r["interaction_count"] for r in result["records"]}, {10})

    def test_list_sorts_and_groups_by_last_contact(self):
        early, late, never = self.env["res.partner"].with_context(relationship_no_pipeline=True).create(
            [{"name": name} for name in ("Early", "Late", "Never")])
        self._log(early, "2026-01-15 10:00:00")
        self._log(late, "2026-03-15 10:00:00")
        mine = early | late | never
        Partner = self.env["res.partner"].with_context(tz="UTC")
        self.assertEqual(Partner.search([("id", "in", mine.ids)], order="last_interaction_date desc"),
                         never + late + early, "never contacted first (NULL), then the latest")
        groups = dict(Partner._read_group([("id", "in", mine.ids)], ["last_interaction_date:month"], ["__count"]))
        self.assertEqual(groups, {datetime(2026, 1, 1): 1, datetime(2026, 3, 1): 1, False: 1})
        fields = Partner.fields_get(["last_interaction_date", "interaction_count"], ["sortable", "groupable"])
        self.assertTrue(all(f["sortable"] and f["groupable"] for f in fields.values()), fields)
        self.assertEqual(Partner.search([("id", "in", mine.ids), ("interaction_count", ">=", 1)]), early | late)
        self.assertEqual(Partner.search([("id", "in", mine.ids), ("interaction_count", "=", 0)]), never)
        self.assertEqual(Partner.search([("id", "in", mine.ids), ("last_interaction_date", "<", "2026-02-01")]),
                         early)
        self.assertEqual(Partner.search([("id", "in", mine.ids), ("last_interaction_date", "=", False)]), never)


class TestCsvImport(InteractionCase):
    def test_import_matches_partner_by_name_and_email(self):
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        shop = Partner.create({"name": "Importaş Gıda", "is_company": True})
        ayse = Partner.create({"name": "Ayşe Import", "email": "ayse.import@example.com"})
        with open(join(dirname(__file__), "data", "interactions.csv"), encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header, data = rows[0], rows[1:]
        result = self.env["relationship.interaction"].with_context(import_file=True).load(header, data)
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        imported = self.env["relationship.interaction"].browse(result["ids"])
        self.assertEqual(imported.mapped("partner_id"), shop | ayse)
        self.assertEqual(imported.mapped("subject"), ["Price list follow-up", "Visit at the fair", "Order question"])
        self.assertEqual(set(imported.mapped("source")), {"import"})
        self.assertEqual(shop.interaction_count, 2)
        self.assertEqual(ayse.last_interaction_date, datetime(2026, 5, 5, 14))
        self.assertEqual(imported[1].duration, 1.5)

    def test_import_with_unknown_email_is_refused(self):
        result = self.env["relationship.interaction"].with_context(import_file=True).load(
            ["partner_email", "subject"], [["nobody@nowhere.example.com", "Lost"]])
        self.assertFalse(result["ids"])
        self.assertIn("No contact has the e-mail address", result["messages"][0]["message"])
