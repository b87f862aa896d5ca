import base64
import csv
import io
import json
import zipfile
from datetime import date
from datetime import datetime

from markupsafe import Markup
from PyPDF2 import PdfReader

from odoo.exceptions import AccessError
from odoo.tools import convert_file

from .gdpr_common import GdprCase

REPORT = "customer_relationship.action_report_gdpr_request"


class TestGdprLetter(GdprCase):
    """The access answer the person reads: the letter from the register, the zip in their language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.gdpr_regime = "gdpr"
        models = cls.env["ir.model"]
        Category = cls.env["gdpr.data.category"]
        common = {"legal_basis": "Performance of a contract (GDPR art. 6(1)(b))", "recipients": "Our sales staff",
                  "source": "From you"}
        cls.contact_category = Category.create(dict(
            common, code="contact", name="Contact details", model_ids=models._get("res.partner").ids,
            data_held="Name, e-mail, phone, address", purposes="Offers, orders and invoices",
            retention="10 years after the last invoice"))
        Category.create([
            dict(common, code="interaction", name="Interactions", data_held="Calls and visits",
                 model_ids=models._get("relationship.interaction").ids, purposes="Following up our relationship",
                 retention="3 years"),
            dict(common, code="message", name="Messages", data_held="E-mails", purposes="Corresponding with you",
                 model_ids=models._get("mail.message").ids, retention="3 years"),
            dict(common, code="consent", name="Consents", data_held="What you agreed to", purposes="Proof",
                 model_ids=models._get("gdpr.consent").ids, retention="3 years after withdrawal"),
        ])
        cls.subject.tz = "Europe/Istanbul"
        cls.env["relationship.interaction"].create({
            "partner_id": cls.subject.id, "subject": "Call about renewal", "channel": "video",
            "direction": "outbound", "date": datetime(2026, 3, 2, 9, 30), "notes": "<p>Wants <b>blue</b> crates</p>"})
        cls.env["gdpr.consent"].create({"partner_id": cls.subject.id, "purpose": "Newsletter",
                                        "legal_basis": "consent", "date_given": datetime(2026, 1, 5, 22, 15)})
        cls.subject.message_post(body=Markup("<p>Asked for a <i>callback</i></p>"), message_type="comment")

    def _executed(self, request_type="access", **vals):
        request = self._verified(request_type, **vals)
        if request_type == "erasure":
            self._execute_erasure(request, self.user_officer)
        else:
            request.with_user(self.user_officer).action_execute()
        return request

    def _zip(self, request):
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(request.export_attachment_id.datas)))
        tables = {name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
                  for name in archive.namelist() if name.endswith(".csv")}
        return tables, json.loads(archive.read("data.json"))

    def _html(self, request):
        return self.env["ir.actions.report"]._render_qweb_html(REPORT, request.ids)[0].decode()

    def test_zip_files_in_words_with_labels_and_local_dates(self):
        tables, data = self._zip(self._executed())
        self.assertLessEqual({"Contact details.csv", "Interactions.csv", "Messages.csv", "Consents.csv"}, set(tables))
        self.assertFalse([name for name in tables if "." in name[:-4]], "no model name as a file name")
        interactions = dict(zip(*tables["Interactions.csv"], strict=True))
        # Labels, selection labels, the person's time zone (UTC+3) in the language's format, no HTML.
        self.assertEqual((interactions["Subject"], interactions["Channel"], interactions["Direction"]),
                         ("Call about renewal", "Video Call", "Outbound"))
        self.assertEqual(interactions["Date"], "03/02/2026 12:30:00")
        self.assertEqual(interactions["Notes"].strip(), "Wants *blue* crates")
        consents = dict(zip(*tables["Consents.csv"], strict=True))
        self.assertEqual((consents["Legal Basis"], consents["Date Given"]),
                         ("Consent (art. 6(1)(a))", "01/06/2026 01:15:00"))
        self.assertEqual(consents["Date Withdrawn"], "")
        contact = dict(zip(*tables["Contact details.csv"], strict=True))
        self.assertEqual((contact["Email"], contact["Is a Company"], contact["Processing Restricted"]),
                         ("zebulon.quixotewright@example.org", "No", "No"))
        messages = tables["Messages.csv"]
        self.assertIn("Asked for a callback", [cell.strip() for row in messages for cell in row])
        self.assertIn(f"Contact: {self.subject.name}", messages[1] + messages[-1])
        for name, rows in tables.items():
            text = json.dumps(rows)
            for leak in ("False", "<p>", "res.partner", "video"):
                self.assertNotIn(leak, text, f"{leak} in {name}")
        # The machine-readable file beside them (art. 20) keeps codes and ISO dates for another system.
        self.assertEqual(data["files"]["Interactions.csv"], "relationship.interaction")
        self.assertEqual(data["records"]["relationship.interaction"][0]["channel"], "video")
        self.assertEqual(data["records"]["relationship.interaction"][0]["date"], "2026-03-02T09:30:00")

    def test_letter_gives_the_register_and_gdpr_rights(self):
        request = self._executed()
        html = self._html(request)
        for expected in (self.subject.name, request.name, "Contact details", "Offers, orders and invoices",
                         "Performance of a contract (GDPR art. 6(1)(b))", "Our sales staff",
                         "10 years after the last invoice", "From you", "Interactions", "Consents",
                         "art. 77", "supervisory authority", "art. 12(3)", "03/02/2026"):
            self.assertIn(expected, html)
        for leak in ("res.partner", "mail.followers", "False", "Kurul"):
            self.assertNotIn(leak, html)

    def test_erasure_letter_says_what_went_in_words(self):
        request = self._executed("erasure")
        html = self._html(request)
        for expected in ("Erasure of your personal data", "We erased or anonymised", "Contact details",
                         "Anonymise: 1", "Interactions", "Delete: 1", "Messages", "Consents"):
            self.assertIn(expected, html)
        for leak in ("res.partner", "relationship.interaction", "Erasure done", "Zebulon"):
            self.assertNotIn(leak, html)

    def test_kvkk_letter_names_the_board_and_deadlines(self):
        self.env.company.gdpr_regime = "kvkk"
        request = self._request("access", rejection_reason="We hold nothing about you",
                                complaint_right_informed=True)
        request.action_reject()
        html = self._html(request)
        for expected in ("Personal Data Protection Board", "thirty days of learning our answer",
                         "sixty days of the date of your application", "KVKK art. 14", "KVKK art. 13",
                         "free of charge", "We hold nothing about you", "04/01/2026"):
            self.assertIn(expected, html)
        self.assertNotIn("art. 77", html)

    def test_letter_and_zip_in_turkish(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(["base"], ["tr_TR"])
        self.subject.lang = "tr_TR"
        self.contact_category.with_context(lang="tr_TR").name = "İletişim bilgileri"
        request = self._executed()
        tables, data = self._zip(request)
        self.assertEqual(data["language"], "tr_TR")
        contact = dict(zip(*tables["İletişim bilgileri.csv"], strict=True))
        self.assertEqual(contact["E-Posta"], "zebulon.quixotewright@example.org")  # Odoo's own Turkish label
        interactions = dict(zip(*tables["Interactions.csv"], strict=True))
        self.assertIn("02-03-2026 12:30:00", interactions.values())  # Turkish date format, Istanbul time
        html = self._html(request)
        self.assertIn("İletişim bilgileri", html)
        self.assertIn("02-03-2026", html)  # received on, as Turkish dates read
        self.assertIn('data-oe-lang="tr_TR"', html)

    def test_kvkk_letter_in_turkish_with_the_addons_translations(self):
        """The KVKK refusal letter to a Turkish-speaking person, with the addon's own Turkish catalogue."""
        self.env.company.gdpr_regime = "kvkk"
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(["base", "customer_relationship"], ["tr_TR"])
        self.subject.lang = "tr_TR"
        request = self._request("access", rejection_reason="We hold nothing about you",
                                complaint_right_informed=True)
        request.action_reject()
        html = self._html(request)
        for expected in ("Kişisel Verileri Koruma Kurulu", "otuz gün", "altmış gün", "6698", "01-04-2026",
                         "We hold nothing about you"):
            self.assertIn(expected, html)
        for english in ("Personal Data Protection Board", "you have the right", "Received on",
                        "thirty days of learning"):
            self.assertNotIn(english, html)

    def test_pdf_in_english_and_turkish(self):
        request = self._executed()
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf = report._render_qweb_pdf(REPORT, request.ids)[0]
        self.assertEqual(pdf[:4], b"%PDF")
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
        for expected in (request.name, "Zebulon", "Contact details", "03/02/2026"):
            self.assertIn(expected, text)
        self.env["res.lang"]._activate_lang("tr_TR")
        self.subject.lang = "tr_TR"
        pdf = report._render_qweb_pdf(REPORT, request.ids)[0]
        self.assertEqual(pdf[:4], b"%PDF")
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
        self.assertIn("02-03-2026", text)
        self.assertIn(request.name, text)

    def test_register_is_the_officers(self):
        category = self.contact_category
        self.assertEqual(category.with_user(self.user_officer).name, "Contact details")
        category.with_user(self.user_officer).retention = "5 years"
        for user in (self.user_internal, self.user_rel, self.user_manager):
            with self.assertRaises(AccessError):
                category.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                category.with_user(user).write({"retention": "forever"})
        self.assertEqual(category.retention, "5 years")



class TestGdprDemoRegister(GdprCase):
    def test_demo_register_names_the_files(self):
        """The demo register of a small trading company loads, and the export files records under it."""
        convert_file(self.env, "customer_relationship", "demo/gdpr_data_category_demo.xml", {}, "init", False)
        register = self.env["gdpr.data.category"].search([("company_id", "=", self.env.company.id)])
        self.assertEqual(len(register), 9)
        self.assertTrue(all(register.mapped("purposes")) and all(register.mapped("legal_basis"))
                        and all(register.mapped("retention")))
        self.env["relationship.interaction"].create({"partner_id": self.subject.id, "subject": "Visit",
                                                      "channel": "visit"})
        request = self._verified("access")
        request.action_execute()
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(request.export_attachment_id.datas)))
        # the interaction's message in the person's chatter is filed under Messages; the interaction statistics,
        # recounted from the interactions, are not the person's records
        self.assertEqual(sorted(archive.namelist()),
                         ["Contact details.csv", "Interactions.csv", "Messages.csv", "data.json"])
        self.assertIn("Visit", archive.read("Messages.csv").decode())
        self.assertEqual(request.date_received, date(2026, 3, 2))
