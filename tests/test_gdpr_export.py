import base64
import csv
import io
import json
import zipfile

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Command

from .gdpr_common import GdprCase


class TestGdprExport(GdprCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.child = cls.env["res.partner"].create({
            "name": "Zebulon Invoicing", "parent_id": cls.subject.id, "type": "invoice",
            "email": "invoices.zq@example.org"})
        # A contact person of the subject is someone else: not the subject's data.
        cls.colleague = cls.env["res.partner"].create({
            "name": "Zebulon Colleague", "parent_id": cls.subject.id, "type": "contact"})
        cls.stranger = cls.env["res.partner"].create({"name": "Someone Else", "email": "else@example.org"})
        Interaction = cls.env["relationship.interaction"]
        cls.interactions = Interaction.create([
            {"partner_id": cls.subject.id, "subject": "Call about renewal", "channel": "phone"},
            {"partner_id": cls.child.id, "subject": "Visit of the junior", "channel": "meeting"},
            {"partner_id": cls.colleague.id, "subject": "The colleague's call", "channel": "phone"},
        ])
        Interaction.create({"partner_id": cls.stranger.id, "subject": "Not theirs", "channel": "phone"})
        cls.consent = cls.env["gdpr.consent"].create({
            "partner_id": cls.subject.id, "purpose": "Newsletter", "legal_basis": "consent", "source": "web"})
        cls.message = cls.subject.message_post(body="Asked for a callback", message_type="comment")
        cls.authored = cls.stranger.message_post(
            body="Written by Zebulon", message_type="comment", author_id=cls.subject.id)
        cls.attachment = cls.env["ir.attachment"].create({
            "name": "contract.txt", "raw": b"secret body", "res_model": "res.partner", "res_id": cls.subject.id})
        cls.stranger.message_subscribe(partner_ids=cls.subject.ids)

    def _open_zip(self, attachment):
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(attachment.datas)))
        return archive, json.loads(archive.read("data.json"))

    def test_export_needs_identity(self):
        request = self._request("access")
        with self.assertRaisesRegex(UserError, "identity"):
            request.action_execute()
        self.assertFalse(request.export_attachment_id)

    def test_export_zip_matches_records(self):
        request = self._verified("access")
        request.action_execute()
        self.assertEqual(request.state, "done")
        attachment = self.env["ir.attachment"].search([("res_model", "=", "gdpr.request"), ("res_id", "=", request.id),
                                                       ("res_field", "=", "export_file")])
        self.assertEqual(len(attachment), 1)
        archive, data = self._open_zip(attachment)
        self.assertEqual(data["schema"], "customer_relationship.gdpr_export/1")
        self.assertEqual(data["request"]["name"], request.name)
        self.assertEqual(data["subject"]["id"], self.subject.id)
        self.assertEqual(data["subject"]["email"], "zebulon.quixotewright@example.org")
        self.assertEqual(data["subject"]["street"], "17 Rue des Pivoines Zorglub")
        records = data["records"]
        self.assertEqual({r["id"] for r in records["res.partner"]}, {self.subject.id, self.child.id})
        self.assertEqual(
            sorted(r["subject"] for r in records["relationship.interaction"]),
            ["Call about renewal", "Visit of the junior"])
        self.assertEqual(records["relationship.interaction"][0]["partner_id"]["name"] in
                         (self.subject.name, self.child.display_name), True)
        self.assertEqual([(c["id"], c["purpose"], c["legal_basis"]) for c in records["gdpr.consent"]],
                         [(self.consent.id, "Newsletter", "consent")])
        # the chatter messages of the person's (and their invoice address's) interactions are theirs too
        logged = self.env["mail.message"].search([("relationship_interaction_id", "in", self.interactions[:2].ids)])
        self.assertEqual(len(logged), 2)
        self.assertEqual({m["id"] for m in records["mail.message"]}, {self.message.id, self.authored.id, *logged.ids})
        self.assertEqual([a["name"] for a in records["ir.attachment"]], ["contract.txt"])
        self.assertNotIn("datas", records["ir.attachment"][0])
        self.assertIn(("res.partner", self.stranger.id),
                      {(f["res_model"], f["res_id"]) for f in records["mail.followers"]})
        self.assertNotIn("Not theirs", json.dumps(records))
        self.assertNotIn("The colleague's call", json.dumps(records))
        # One CSV per kind of record that has rows, named in words when the register has no category for it.
        rows = list(csv.DictReader(io.StringIO(archive.read("Customer Interaction.csv").decode("utf-8-sig"))))
        self.assertEqual(len(rows), 2)
        self.assertIn("Contact.csv", archive.namelist())
        self.assertFalse([name for name in archive.namelist() if name.startswith(("res.", "mail.", "ir."))])
        self.assertIn("Export", request.result)

    def test_lookup_finds_other_models(self):
        # mail.blacklist has an e-mail field and is not exported by name: privacy_lookup's query finds it.
        entry = self.env["mail.blacklist"]._add("zebulon.quixotewright@example.org")
        request = self._verified("portability")
        request.action_execute()
        _archive, data = self._open_zip(request.export_attachment_id)
        self.assertEqual([r["id"] for r in data["records"]["mail.blacklist"]], entry.ids)

    def test_export_queries_grow_with_models_not_records(self):
        request = self._verified("access")
        Export = self.env["gdpr.data.export"]

        def count_queries():
            request._prepare_plan()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            document, tables = Export._collect(request)
            Export._zip(document, tables)
            return self.env.cr.sql_log_count - before

        count_queries()  # warms the ormcaches (xmlids, ir.model) that a first call fills once
        few = count_queries()
        self.env["relationship.interaction"].create([
            {"partner_id": self.subject.id, "subject": f"Extra {i}", "channel": "email"} for i in range(18)])
        count_queries()
        many = count_queries()
        self.assertEqual(len(Export._document(request)["records"]["relationship.interaction"]), 20)
        self.assertEqual(few, many)


class TestGdprIdentification(GdprCase):
    """Ali Veli <ali@x.com>, a namesake Ali Veli <other.ali@y.com> and Mali Kaya <mali@x.com>."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.ali = Partner.create({"name": "Ali Veli", "email": "ali@x.com", "phone": "+90 555 000 11 22"})
        cls.namesake = Partner.create({"name": "Ali Veli", "email": "other.ali@y.com"})
        cls.mali = Partner.create({"name": "Mali Kaya", "email": "mali@x.com"})
        cls.env["mail.blacklist"]._add("mali@x.com")
        cls.own_entry = cls.env["mail.blacklist"]._add("ali@x.com")
        cls.namesake.message_post(body="Namesake's private note", message_type="comment")
        cls.env["relationship.interaction"].create([
            {"partner_id": cls.ali.id, "subject": "Ali's call", "channel": "phone"},
            {"partner_id": cls.namesake.id, "subject": "Namesake's call", "channel": "phone"},
        ])

    def _access(self, partner, **vals):
        request = self._verified("access", partner_id=partner.id, requester_name=partner.name,
                                 requester_email=partner.email, **vals)
        request.with_user(self.user_officer).action_prepare_plan()
        return request

    def _export(self, request):
        request.with_user(self.user_officer).action_execute()
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(request.export_attachment_id.datas)))
        return archive.read("data.json").decode()

    def test_homonym_never_leaves(self):
        request = self._access(self.ali)
        loose = request.line_ids.filtered(lambda line: not line.included)
        # Looser matches are shown, not included: the namesake, and mali@x.com which contains ali@x.com.
        mali_entry = self.env["mail.blacklist"].search([("email", "=", "mali@x.com")])
        self.assertEqual(sorted(loose.mapped(lambda line: (line.res_model, line.res_id, line.match))), sorted([
            ("mail.blacklist", mali_entry.id, "email_part"), ("res.partner", self.namesake.id, "name"),
            ("res.partner", self.mali.id, "email_part")]))
        self.assertEqual(self._plan(request)["mail.blacklist"], {"export": 1})
        text = self._export(request)
        data = json.loads(text)
        self.assertEqual([r["id"] for r in data["records"]["res.partner"]], self.ali.ids)
        self.assertEqual([r["id"] for r in data["records"]["mail.blacklist"]], self.own_entry.ids)
        self.assertEqual([r["subject"] for r in data["records"]["relationship.interaction"]], ["Ali's call"])
        for leak in ("other.ali@y.com", "mali@x.com", "Namesake"):
            self.assertNotIn(leak, text)
        references = {(value["id"], value["name"]) for rows in data["records"].values() for row in rows
                      for value in row.values() if isinstance(value, dict)}
        self.assertNotIn((self.namesake.id, "Ali Veli"), references)
        self.assertIn((self.ali.id, "Ali Veli"), references)

    def test_officer_includes_a_loose_line(self):
        request = self._access(self.ali)
        line = request.line_ids.filtered(
            lambda line: line.res_id == self.namesake.id and line.res_model == "res.partner")
        request.with_user(self.user_officer).write({"line_ids": [Command.update(line.id, {"included": True})]})
        data = json.loads(self._export(request))
        self.assertEqual(sorted(r["id"] for r in data["records"]["res.partner"]),
                         sorted((self.ali | self.namesake).ids))
        with self.assertRaises(AccessError):
            line.with_user(self.user_officer).write({"res_id": self.mali.id})
        with self.assertRaisesRegex(UserError, "closed"):
            line.with_user(self.user_officer).write({"included": False})

    def test_wildcard_names_and_emails_are_literal(self):
        percent = self.env["res.partner"].create({"name": "%_%", "email": "pct@example.org"})
        request = self._verified("access", partner_id=percent.id, requester_name="Percent Person",
                                 requester_email="pct@example.org")
        with self.assertRaisesRegex(UserError, "too few letters"):
            request.with_user(self.user_officer).action_execute()
        self.assertEqual((request.state, request.line_ids.ids), ("verified", []))
        under = self.env["res.partner"].create({"name": "A_i V%li", "email": "a_i@x.com"})
        request = self._access(under)
        self.assertEqual(request.line_ids.filtered(lambda line: line.res_model == "res.partner").mapped("res_id"),
                         under.ids, "neither Ali Veli matches the wildcards")

    def test_email_that_does_not_normalise(self):
        double = self.env["res.partner"].create({"name": "Double Address", "email": "a@x.org, b@y.org"})
        request = self._verified("access", partner_id=double.id, requester_name="Double Address",
                                 requester_email="a@x.org")
        request.with_user(self.user_officer).action_prepare_plan()
        self.assertIn(("res.partner", double.id), request.line_ids.mapped(lambda line: (line.res_model, line.res_id)))
        broken = self.env["res.partner"].create({"name": "Broken Address", "email": "broken@@x"})
        request = self._verified("erasure", partner_id=broken.id, requester_name="Broken Address",
                                 requester_email=False)
        with self.assertRaisesRegex(UserError, "not a valid e-mail address"):
            request.with_user(self.user_officer).action_prepare_plan()
        self.assertEqual(request.state, "verified")
        self.assertEqual(broken.name, "Broken Address")
