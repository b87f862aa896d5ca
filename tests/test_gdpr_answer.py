from odoo.exceptions import UserError

from .gdpr_common import GdprCase


class TestGdprAnswer(GdprCase):
    def _rejected(self):
        request = self._request("erasure", rejection_reason="Legal retention of invoices",
                                complaint_right_informed=True)
        request.action_reject()
        return request

    def test_pdf_summary(self):
        request = self._rejected()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "customer_relationship.action_report_gdpr_request", request.ids)[0].decode()
        self.assertIn(request.name, html)
        self.assertIn("Legal retention of invoices", html)
        self.assertIn("right to lodge a complaint", html)

    def test_mail_template_renders_and_composer_opens(self):
        request = self._rejected()
        template = self.env.ref("customer_relationship.mail_template_gdpr_answer")
        rendered = template._generate_template(request.ids, ["subject", "body_html", "email_to"])[request.id]
        self.assertEqual(rendered["subject"], f"Your data protection request {request.name}")
        self.assertEqual(rendered["email_to"], "zebulon.quixotewright@example.org")
        self.assertIn("Legal retention of invoices", rendered["body_html"])
        action = request.action_send_answer()
        self.assertEqual(action["context"]["default_template_id"], template.id)

    def test_no_answer_by_mail_after_masking(self):
        request = self._verified("erasure")
        self._execute_erasure(request)
        with self.assertRaisesRegex(UserError, "masked"):
            request.action_send_answer()
