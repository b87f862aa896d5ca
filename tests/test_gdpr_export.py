import base64
import csv
import io
import json
import zipfile

from odoo.exceptions import UserError

from .gdpr_common import GdprCase


class TestGdprExport(GdprCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.child = cls.env["res.partner"].create({
            "name": "Zebulon Junior", "parent_id": cls.subject.id, "email": "junior.zq@example.org"})
        cls.stranger = cls.env["res.partner"].create({"name": "Someone Else", "email": "else@example.org"})
        Interaction = cls.env["relationship.interaction"]
        cls.interactions = Interaction.create([
            {"partner_id": cls.subject.id, "subject": "Call about renewal", "channel": "phone"},
            {"partner_id": cls.child.id, "subject": "Visit of the junior", "channel": "meeting"},
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
        with self.assertRaisesRegex(UserError, "identity"):
            request.action_export()

    def test_export_zip_matches_records(self):
        request = self._verified("access")
        request.action_execute()
        self.assertEqual(request.state, "done")
        attachment = self.env["ir.attachment"].search([("res_model", "=", "gdpr.request"), ("res_id", "=", request.id)])
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
        self.assertEqual({m["id"] for m in records["mail.message"]}, {self.message.id, self.authored.id})
        self.assertEqual([a["name"] for a in records["ir.attachment"]], ["contract.txt"])
        self.assertNotIn("datas", records["ir.attachment"][0])
        self.assertIn(("res.partner", self.stranger.id),
                      {(f["res_model"], f["res_id"]) for f in records["mail.followers"]})
        self.assertNotIn("Not theirs", json.dumps(records))
        # One CSV per model that has rows, with the same number of rows as the JSON.
        rows = list(csv.DictReader(io.StringIO(archive.read("relationship.interaction.csv").decode())))
        self.assertEqual(len(rows), 2)
        self.assertIn("res.partner.csv", archive.namelist())
        self.assertIn("Export", request.result)

    def test_lookup_finds_other_models(self):
        # mail.blacklist has an e-mail field and is not exported by name: privacy_lookup's query finds it.
        entry = self.env["mail.blacklist"]._add("zebulon.quixotewright@example.org")
        request = self._verified("portability")
        attachment = request.action_export()
        _archive, data = self._open_zip(attachment)
        self.assertEqual([r["id"] for r in data["records"]["mail.blacklist"]], entry.ids)

    def test_export_queries_grow_with_models_not_records(self):
        request = self._verified("access")

        def count_queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            request._export_document()
            return self.env.cr.sql_log_count - before

        count_queries()  # warms the ormcaches (xmlids, ir.model) that a first call fills once
        few = count_queries()
        self.env["relationship.interaction"].create([
            {"partner_id": self.subject.id, "subject": f"Extra {i}", "channel": "email"} for i in range(18)])
        count_queries()
        many = count_queries()
        self.assertEqual(len(request._export_document()["records"]["relationship.interaction"]), 20)
        self.assertEqual(few, many)
