import json
import os

from odoo.tools import SQL

from .gdpr_common import GdprCase

TEXT_TYPES = ("character varying", "text", "jsonb")


class TestGdprErasureEndToEnd(GdprCase):
    """After an erasure, no text column of any table holds the person's name, e-mail, phone or street,
    except rows of models under a declared legal hold."""

    NAME = "Ottoline Vexbrundt"
    EMAIL = "ottoline.vexbrundt@e2e-example.org"
    PHONE = "+32 499 31 41 59"
    STREET = "271 Boulevard Quaggamire"
    IBAN = "BE68539007547034"
    REF = "CUST-OTTO-4711"

    def _find_everywhere(self):
        """{table: [row as text]} for every row whose text columns contain one of the values."""
        # What Odoo writes at commit (tracking values, bus rows) is written now, as a commit would.
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("""
            SELECT c.table_name, array_agg(c.column_name::text)
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.data_type IN %s
          GROUP BY c.table_name
        """, [TEXT_TYPES])
        patterns = [f"%{value}%" for value in (self.NAME, self.EMAIL, self.PHONE, self.STREET, self.IBAN, self.REF)]
        found = {}
        for table, columns in cr.fetchall():
            conditions = SQL(" OR ").join(
                SQL("%s::text ILIKE %s", SQL.identifier(column), pattern)
                for column in columns for pattern in patterns)
            cr.execute(SQL("SELECT row_to_json(t)::text FROM %s t WHERE %s", SQL.identifier(table), conditions))
            rows = [row[0] for row in cr.fetchall()]
            if rows:
                found[table] = rows
        return found

    def _build_person(self):
        env = self.env(context=dict(self.env.context, tracking_disable=False, mail_create_nolog=False))
        person = env["res.partner"].create({
            "name": self.NAME, "email": self.EMAIL, "phone": self.PHONE, "street": self.STREET, "city": "Mons",
            "ref": self.REF, "company_name": f"{self.NAME} Consulting"})
        invoicing = env["res.partner"].create({
            "name": f"{self.NAME} (invoices)", "type": "invoice", "parent_id": person.id, "street": self.STREET,
            "phone": self.PHONE})
        env["res.partner.bank"].create({"acc_number": self.IBAN, "partner_id": person.id})
        colleague = env["res.partner"].create({"name": "Colleague of the subject"})
        call = env["relationship.interaction"].create([
            {"partner_id": person.id, "subject": f"Call with {self.NAME}", "channel": "phone",
             "notes": f"<p>Lives at {self.STREET}, call {self.PHONE}</p>"},
            {"partner_id": person.id, "subject": "Follow-up", "channel": "email"},
            {"partner_id": invoicing.id, "subject": f"Invoice address {self.STREET}", "channel": "email"},
        ])[0]
        # A file on a record the erasure deletes: Odoo deletes the attachment with the record, the engine its file.
        self.call_file = env["ir.attachment"].create({
            "name": "call-minutes.txt", "raw": b"Minutes of the call: wants blue crates (e2e erasure)",
            "res_model": call._name, "res_id": call.id})
        person.message_post(body=f"Wrote to {self.EMAIL}", message_type="comment")
        colleague.message_post(body=f"Signed {self.NAME}", message_type="comment", author_id=person.id)
        # Only a recipient: the message stays on the colleague's record, without the person.
        self.recipient_message = colleague.message_post(
            body=f"Dear {self.NAME}, we call {self.PHONE}", message_type="comment", partner_ids=person.ids)
        colleague.message_subscribe(partner_ids=person.ids)
        env["mail.mail"].create({"email_to": self.EMAIL, "subject": "Your invoice",
                                 "body_html": f"<p>{self.NAME}, your IBAN {self.IBAN}</p>"})
        env["bus.bus"]._sendone(person, "customer_relationship/test", {"name": self.NAME})
        self.letter = env["ir.attachment"].create({"name": "letter.txt", "raw": f"Dear {self.NAME}".encode(),
                                                   "res_model": "res.partner", "res_id": person.id})
        env["gdpr.consent"].create({"partner_id": person.id, "purpose": "Newsletter",
                                    "proof_note": f"Form filled by {self.EMAIL}"})
        return env, person

    def _erase(self, env, person):
        values = {"requester_name": self.NAME, "requester_email": self.EMAIL, "partner_id": person.id,
                  "identity_method": "id_document"}
        access = env["gdpr.request"].create(dict(values, request_type="access"))
        access.action_verify_identity()
        access.action_execute()
        rectification = env["gdpr.request"].create(dict(
            values, request_type="rectification", rectification_values={"phone": self.PHONE, "city": "Mons"}))
        rectification.action_verify_identity()
        rectification.action_execute()
        self.assertIn(self.NAME, "".join(self._find_everywhere().get("res_partner", [])), "fixture is visible")

        erasure = env["gdpr.request"].create(dict(values, request_type="erasure"))
        self.id_card = env["ir.attachment"].create({
            "name": "id-card.txt", "raw": f"Identity card of {self.NAME}".encode(),
            "res_model": "gdpr.request", "res_id": erasure.id})
        self.files = [self.env["ir.attachment"]._full_path(a.store_fname)
                      for a in (self.letter | self.id_card | access.export_attachment_id | self.call_file)]
        self.assertTrue(all(os.path.exists(path) for path in self.files))
        erasure.action_verify_identity()
        erasure.action_prepare_plan()
        action = erasure.action_execute()
        env[action["res_model"]].browse(action["res_id"]).action_confirm()
        return erasure

    def _leftovers(self):
        """Rows still holding a value, minus those of held models (and the messages of held records)."""
        hold = [m for m in self.env["res.config.settings"]._gdpr_legal_hold_model_names() if m in self.env]
        hold_tables = {self.env[m]._table for m in hold}
        leftovers = {}
        for table, rows in self._find_everywhere().items():
            if table in hold_tables:
                continue
            if table == "mail_message":
                rows = [row for row in rows if json.loads(row)["model"] not in hold]
            if rows:
                leftovers[table] = rows
        return leftovers

    def test_erasure_leaves_no_trace(self):
        env, person = self._build_person()
        erasure = self._erase(env, person)
        self.assertEqual(self._leftovers(), {})
        self.assertFalse(self.call_file.exists(), "the interaction's attachment went with the interaction")
        self.assertEqual([path for path in self.files if os.path.exists(path)], [], "files left the filestore")
        self.assertTrue(self.recipient_message.exists())
        self.assertEqual(self.recipient_message.body, "<p>Dear [erased], we call [erased]</p>")
        self.assertFalse(self.recipient_message.partner_ids)
        logs = self.env["privacy.log"].search([("execution_details", "like", erasure.name)])
        self.assertEqual(logs.anonymized_name, "O******* V********")

    def test_erasure_removes_the_interactions_messages_in_the_chatter(self):
        env, person = self._build_person()
        messages = self.env["mail.message"].search([
            ("model", "=", "res.partner"), ("res_id", "in", (person | person.child_ids).ids),
            ("subtype_id", "=", self.env.ref("customer_relationship.mt_interaction").id)])
        self.assertEqual(len(messages), 3, "one chatter message per logged interaction")
        self.assertIn(f"Call with {self.NAME}", "".join(messages.mapped("body")))
        self._erase(env, person)
        self.assertFalse(messages.exists())
        self.assertEqual(self._leftovers(), {})

    def test_erasure_keeps_only_held_records(self):
        """A legal hold fixture: interactions are declared under hold, so their rows keep the values."""
        self.env["ir.config_parameter"].set_param("customer_relationship.gdpr_legal_hold_models",
                                                  "relationship.interaction")
        env, person = self._build_person()
        erasure = self._erase(env, person)
        self.assertEqual(self._leftovers(), {})
        held = self._find_everywhere()["relationship_interaction"]
        self.assertEqual(len(held), 2, "the interactions naming the person and the invoice address are kept")
        self.assertIn("relationship.interaction", erasure.result)
        call_file = self.env["ir.attachment"]._full_path(self.call_file.store_fname)
        self.assertTrue(self.call_file.exists() and os.path.exists(call_file), "a held record keeps its file")
