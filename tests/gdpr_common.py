from collections import defaultdict
from datetime import date

from .common import RelationshipCase


class GdprCase(RelationshipCase):
    """A data subject of our own and helpers to open and verify requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["gdpr.request"]
        cls.subject = cls.env["res.partner"].create({
            "name": "Zebulon Quixotewright", "email": "zebulon.quixotewright@example.org",
            "phone": "+32 470 98 76 54", "street": "17 Rue des Pivoines Zorglub", "city": "Namur",
        })

    def _request(self, request_type="access", **vals):
        values = {
            "request_type": request_type, "requester_name": self.subject.name,
            "requester_email": self.subject.email, "partner_id": self.subject.id,
            "date_received": date(2026, 3, 2), "user_id": self.user_officer.id,
        }
        values.update(vals)
        return self.Request.create(values)

    def _verified(self, request_type="access", **vals):
        request = self._request(request_type, identity_method="id_document", **vals)
        request.action_verify_identity()
        return request

    def _execute_erasure(self, request, user=None):
        """Execute an erasure as the officer does: find the data if needed, Execute, then Erase in the dialog."""
        request = request.with_user(user) if user else request
        if not request.line_ids:
            request.action_prepare_plan()
        action = request.action_execute()
        self.assertEqual((action["res_model"], action["target"]), ("gdpr.erasure.confirm", "new"))
        self.assertEqual(request.state, "verified", "Execute only opens the confirmation")
        return request.env[action["res_model"]].browse(action["res_id"]).action_confirm()

    @staticmethod
    def _plan(request, included=True):
        """{model: {action: count}} of the plan lines (the included ones, or the others)."""
        counts = defaultdict(lambda: defaultdict(int))
        for line in request.line_ids.filtered(lambda line: line.included == included):
            counts[line.res_model][line.action] += 1
        return {model: dict(per_action) for model, per_action in counts.items()}
