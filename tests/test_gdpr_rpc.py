from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException


@tagged("post_install", "-at_install")
class TestGdprOverRpc(HttpCase):
    """The attacks of issue 13, replayed over JSON-RPC by the user who registered the request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, "gdpr_clerk", groups="base.group_user")
        cls.officer = new_test_user(
            cls.env, "gdpr_officer_rpc", groups="base.group_user,customer_relationship.group_privacy_officer")
        cls.person = cls.env["res.partner"].create({"name": "Rpc Person", "email": "rpc.person@example.org"})

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": args, "kwargs": kwargs or {}})

    def _refused(self, model, method, args, kwargs=None, error="odoo.exceptions.AccessError"):
        with self.assertRaises(JsonRpcException) as caught:
            self._call(model, method, args, kwargs)
        self.assertEqual(str(caught.exception), error, f"{model}.{method}")

    def test_registering_user_reads_status_only(self):
        self.authenticate("gdpr_clerk", "gdpr_clerk")
        wizard_id = self._call("gdpr.request.intake", "create", [{
            "request_type": "access", "requester_name": "Rpc Person", "requester_email": "rpc.person@example.org",
            "partner_id": self.person.id}])
        self._call("gdpr.request.intake", "action_register", [[wizard_id]])
        request = self.env["gdpr.request"].search([("registered_by_id", "=", self.clerk.id)])
        self.assertEqual(len(request), 1)
        # The officer executes it and writes an internal note.
        officer_request = request.with_user(self.officer)
        officer_request.write({"identity_method": "id_document"})
        officer_request.action_verify_identity()
        officer_request.action_execute()
        officer_request.message_post(body="Officer's internal note", message_type="comment",
                                     subtype_xmlid="mail.mt_note")
        export = request.export_attachment_id
        self.assertTrue(export)

        self.authenticate("gdpr_clerk", "gdpr_clerk")
        self._refused("ir.attachment", "read", [export.ids, ["name", "datas"]])
        self._refused("gdpr.request", "read", [request.ids, ["result"]])
        self._refused("gdpr.request", "read", [request.ids, ["name"]])
        self._refused("gdpr.request.line", "search_read", [[]], {"fields": ["res_name"]})
        self._refused("mail.message", "read", [request.message_ids.ids, ["body"]])
        notes = self._call("mail.message", "search_read", [[("model", "=", "gdpr.request")]], {"fields": ["body"]})
        self.assertEqual(notes, [])
        attachments = self._call("ir.attachment", "search_read", [[("res_model", "=", "gdpr.request")]],
                                 {"fields": ["name"]})
        self.assertEqual(attachments, [])
        status = self._call("gdpr.request.status", "search_read", [[]], {"fields": ["name", "request_type", "state"]})
        self.assertEqual(status, [{"id": request.id, "name": request.name, "request_type": "access", "state": "done"}])

    def test_forging_and_private_methods_refused(self):
        self.authenticate("gdpr_clerk", "gdpr_clerk")
        secret = self.env["ir.attachment"].create({"name": "someone-else.txt", "raw": b"secret"})
        self._refused("gdpr.request", "create", [{
            "request_type": "access", "requester_name": "Forger", "state": "done", "identity_verified": True,
            "export_attachment_id": secret.id}])
        self._refused("gdpr.request.intake", "create", [{
            "request_type": "access", "requester_name": "Forger", "state": "done"}], error="builtins.ValueError")
        request = self.env["gdpr.request"].create({
            "request_type": "restriction", "requester_name": "Rpc Person", "partner_id": self.person.id,
            "identity_method": "id_document"})
        request.action_verify_identity()
        request.action_execute()
        self._refused("gdpr.request", "action_lift_restriction", [request.ids])
        self._refused("res.partner", "write", [self.person.ids, {"gdpr_restricted": False}])
        for method in ("_execute_erasure", "_prepare_plan", "_log_privacy", "_execute", "_mark_erased",
                       "_open_erasure_confirmation"):
            self._refused("gdpr.request", method, [request.ids], error="odoo.exceptions.AccessError")
        self._refused("gdpr.subject.finder", "_plan_lines", [[], request.id], error="odoo.exceptions.AccessError")
        self.assertTrue(self.person.gdpr_restricted)

    def test_erasure_only_through_its_confirmation(self):
        """Issue 16, item 7, over JSON-RPC: Execute opens the confirmation; the clerk confirms nothing."""
        request = self.env["gdpr.request"].create({
            "request_type": "erasure", "requester_name": "Rpc Person", "partner_id": self.person.id,
            "identity_method": "id_document"})
        request.action_verify_identity()
        self.authenticate("gdpr_officer_rpc", "gdpr_officer_rpc")
        self._refused("gdpr.request", "action_execute", [request.ids], error="odoo.exceptions.UserError")
        self._refused("gdpr.request", "_execute", [request.ids])
        self._call("gdpr.request", "action_prepare_plan", [request.ids])
        action = self._call("gdpr.request", "action_execute", [request.ids])
        self.assertEqual((action["res_model"], action["target"]), ("gdpr.erasure.confirm", "new"))
        self.assertEqual((request.state, self.person.name), ("verified", "Rpc Person"), "Execute erased nothing")
        self.authenticate("gdpr_clerk", "gdpr_clerk")
        self._refused("gdpr.erasure.confirm", "action_confirm", [[action["res_id"]]])
        self._refused("gdpr.erasure.confirm", "create", [{"request_id": request.id}])
        self._refused("gdpr.request", "action_execute", [request.ids])
        self.assertEqual((request.state, self.person.name), ("verified", "Rpc Person"))
        self.authenticate("gdpr_officer_rpc", "gdpr_officer_rpc")
        self._call("gdpr.erasure.confirm", "action_confirm", [[action["res_id"]]])
        self.assertEqual((request.state, request.subject_erasure), ("done", "anonymised"))
        self.assertEqual(self.person.with_context(active_test=False).gdpr_erasure_reference, request.name)
