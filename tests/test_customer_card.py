import importlib.util
import os
from datetime import datetime
from datetime import timedelta

from odoo import Command
from odoo.tests import freeze_time
from odoo.tests import new_test_user

from .common import RelationshipCase


class CardCase(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(relationship_no_pipeline=True)
        cls.company = Partner.create({"name": "Kart Gıda", "is_company": True})
        cls.contact = Partner.create({"name": "Selin Kart", "parent_id": cls.company.id})
        cls.person = Partner.create({"name": "Umut Tek"})
        cls.Interaction = cls.env["relationship.interaction"]
        cls.subtype = cls.env.ref("customer_relationship.mt_interaction")

    def _messages(self, partner):
        return self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id), ("subtype_id", "=", self.subtype.id)])


class TestInteractionInChatter(CardCase):
    """A logged interaction is a message of its own subtype in the partner's chatter, linking to it."""

    def test_logged_interaction_is_an_internal_message_linking_to_it(self):
        self.person.message_subscribe(partner_ids=self.user_rel.partner_id.ids)
        interaction = self.Interaction.create({
            "partner_id": self.person.id, "subject": "Renewal <call>", "channel": "meeting",
            "direction": "inbound", "outcome": "positive", "date": "2026-03-02 09:30:00"})
        message = self._messages(self.person)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.relationship_interaction_id, interaction)
        self.assertEqual((message.message_type, message.is_internal, message.subtype_id.internal),
                         ("notification", True, True))
        self.assertEqual(message.date, datetime(2026, 3, 2, 9, 30))
        self.assertEqual(message.author_id, self.env.user.partner_id)
        link = (f'<a href="/odoo/relationship.interaction/{interaction.id}" '
                f'data-oe-model="relationship.interaction" data-oe-id="{interaction.id}">Renewal &lt;call&gt;</a>')
        self.assertEqual(message.body, f"<p>{link} (Meeting, Inbound, Positive)</p>")
        self.assertEqual(self.subtype.description, "Interaction logged")
        # nobody is notified, and the e-mail capture does not log the message again
        self.assertFalse(self.env["mail.notification"].search([("mail_message_id", "=", message.id)]))
        self.assertEqual(self.person.interaction_count, 1)
        self.assertEqual(self.Interaction.search([("partner_id", "=", self.person.id)]), interaction)
        self.assertIn(message, self.person.message_ids)

    def test_batch_costs_the_same_queries_whatever_its_size(self):
        def create(count):
            vals_list = [{"partner_id": partner.id, "subject": f"Batch {index}"}
                         for index in range(count) for partner in (self.person, self.contact)]
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Interaction.create(vals_list)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before
        create(1)  # warm the caches (subtype, user)
        self.assertEqual(create(2), create(40))
        self.assertEqual(len(self._messages(self.person)), 43)
        self.assertEqual(len(self._messages(self.contact)), 43)

    def test_a_batch_reads_in_the_order_it_happened(self):
        self.Interaction.create([{"partner_id": self.person.id, "subject": subject, "date": date} for subject, date in (
            ("Third", "2026-03-01 10:00:00"), ("First", "2026-01-01 10:00:00"), ("Second", "2026-02-01 10:00:00"))])
        messages = self._messages(self.person).sorted("id")
        self.assertEqual(messages.relationship_interaction_id.mapped("subject"), ["First", "Second", "Third"])

    def test_imported_interactions_are_in_the_chatter_captured_emails_are_not_twice(self):
        result = self.Interaction.with_context(import_file=True).load(
            ["partner_id", "subject", "date"], [["Umut Tek", "Fair visit", "2026-02-01 10:00:00"]])
        self.assertEqual(self._messages(self.person).relationship_interaction_id.ids, result["ids"])
        self.person.email = "umut@tek.example.com"
        email = self.person.message_post(body="<p>Quote please</p>", subject="Quote", message_type="email",
                                         author_id=self.person.id, email_from=self.person.email)
        captured = self.Interaction.search([("message_id", "=", email.id)])
        self.assertEqual(captured.subject, "Quote")
        self.assertEqual(len(self._messages(self.person)), 1, "the e-mail itself is the chatter message")

    def test_edit_rewrites_and_delete_removes_the_message(self):
        interaction = self.Interaction.create({"partner_id": self.person.id, "subject": "First", "channel": "phone"})
        message = self._messages(self.person)
        interaction.write({"subject": "Second", "partner_id": self.contact.id, "channel": "visit"})
        self.assertFalse(self._messages(self.person))
        self.assertEqual(self._messages(self.contact), message)
        self.assertIn(">Second</a> (Visit, Outbound)", message.body)
        interaction.unlink()
        self.assertFalse(message.exists())

    def test_only_relationship_users_of_the_interaction_company_read_the_message(self):
        company_b = self.env["res.company"].create({"name": "Card B"})
        user_b = new_test_user(self.env, "cr_card_b", groups="base.group_user,"
                               "customer_relationship.group_relationship_user",
                               company_id=company_b.id, company_ids=[Command.set(company_b.ids)])
        self.Interaction.create({"partner_id": self.person.id, "subject": "Secret pricing"})
        message = self._messages(self.person)
        domain = [("model", "=", "res.partner"), ("res_id", "=", self.person.id)]
        Message = self.env["mail.message"]
        self.assertEqual(Message.with_user(self.user_rel).search(domain), message.with_user(self.user_rel))
        # an employee outside Relationships reads the contact, not the interactions
        self.assertFalse(Message.with_user(self.user_internal).search(domain))
        self.assertEqual(self.person.with_user(self.user_internal).name, "Umut Tek")
        # a relationship user of another company does not read the interactions of this one
        self.assertFalse(Message.with_user(user_b).search(domain))


class TestCardFigures(CardCase):
    """The top of the card, the list and the kanban: stage, days in it, last contact, "Never"."""

    def test_last_contact_reads_never_then_how_long_ago(self):
        with freeze_time("2026-06-15 12:00:00"):
            self.assertEqual(self.person.relationship_last_contact, "Never")
            self.Interaction.create({"partner_id": self.contact.id, "subject": "A", "date": "2026-06-15 08:00:00"})
            self.assertEqual(self.contact.relationship_last_contact, "Less than a day ago")
            self.assertEqual(self.company.relationship_last_contact, "Less than a day ago", "the company's contact")
            self.Interaction.create({"partner_id": self.person.id, "subject": "B", "date": "2026-06-14 11:00:00"})
            self.assertEqual(self.person.relationship_last_contact, "1 day ago")
        with freeze_time("2029-11-01 12:00:00"):
            self.person.invalidate_recordset()
            self.assertEqual(self.person.days_since_last_interaction, 1236)
            self.assertEqual(self.person.relationship_last_contact, "1,236 days ago")
            self.env["res.lang"]._activate_lang("tr_TR")
            self.assertEqual(self.person.with_context(lang="tr_TR").relationship_last_contact.split()[0], "1.236")

    def test_days_in_the_lifecycle_stage(self):
        Membership = self.env["relationship.pipeline.membership"].with_context(relationship_move=True)
        lead = self.env.ref("customer_relationship.stage_lead")
        membership = Membership.create({"partner_id": self.company.id, "stage_id": lead.id})
        membership.write({"date_stage_entered": datetime.now() - timedelta(days=12, hours=1)})
        self.assertEqual((self.company.relationship_stage_id, self.company.relationship_days_in_stage), (lead, 12))
        self.assertEqual((self.person.relationship_stage_id.id, self.person.relationship_days_in_stage), (False, 0))

    def test_company_tab_lists_its_contacts_interactions_with_the_contact(self):
        own = self.Interaction.create({"partner_id": self.company.id, "subject": "Company call"})
        theirs = self.Interaction.create({"partner_id": self.contact.id, "subject": "Contact call"})
        self.assertEqual(self.company.commercial_interaction_ids, own | theirs)
        self.assertEqual(self.contact.interaction_ids, theirs)
        arch = self.env["res.partner"].with_user(self.user_rel).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="commercial_interaction_ids"', arch)
        company_list = arch.split('name="commercial_interaction_ids"')[1].split("</list>")[0]
        self.assertIn('name="partner_id"', company_list, "the contact is a column of the company's list")
        card = arch.split('name="relationship_card"')[1].split("<notebook")[0]
        for name in ("relationship_stage_id", "relationship_days_in_stage", "relationship_last_contact",
                     "last_interaction_date"):
            self.assertIn(f'name="{name}"', card)

    def test_list_and_kanban_show_stage_and_last_contact_without_query_per_partner(self):
        Partner = self.env["res.partner"].with_context(relationship_no_pipeline=True)
        partners = Partner.create([{"name": f"Row {index}"} for index in range(30)])
        self.Interaction.create([{"partner_id": p.id, "subject": "One"} for p in partners[:15]])
        spec = {"display_name": {}, "relationship_stage_id": {"fields": {"display_name": {}}},
                "relationship_last_contact": {}}

        def read(records):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = records.web_search_read([("id", "in", records.ids)], spec)
            return self.env.cr.sql_log_count - before, result["records"]
        read(partners[:1])  # warm the caches (the user's groups and companies)
        few, _rows = read(partners[:2] | partners[15:17])
        many, rows = read(partners)
        self.assertEqual(few, many)
        self.assertEqual(sorted({row["relationship_last_contact"] for row in rows}),
                         ["Less than a day ago", "Never"])
        for view_type in ("list", "kanban"):
            arch = Partner.with_user(self.user_rel).get_views([(False, view_type)])["views"][view_type]["arch"]
            self.assertIn('name="relationship_stage_id"', arch, view_type)
            self.assertIn('name="relationship_last_contact"', arch, view_type)


class TestChatterBackFill(CardCase):
    def test_upgrade_adds_the_missing_messages_once(self):
        path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations", "18.0.2.0.0",
                            "post-interaction-chatter.py")
        spec = importlib.util.spec_from_file_location("post_interaction_chatter", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        older = self.Interaction.create([{"partner_id": self.person.id, "subject": f"Before {n}"} for n in range(3)])
        self._messages(self.person).unlink()  # as logged by 18.0.1, without a chatter message
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.0.0")
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        messages = self._messages(self.person)
        self.assertEqual(len(messages), 3, "run twice, the migration adds each message once")
        self.assertEqual(messages.relationship_interaction_id, older)
