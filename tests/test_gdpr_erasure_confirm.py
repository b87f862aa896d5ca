from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import freeze_time

from .gdpr_common import GdprCase


class TestGdprErasureConfirm(GdprCase):
    """Issue 16, item 7: Execute on an erasure only opens a confirmation naming what the plan erases; only its
    confirmation erases, and the contact then says under which request it was erased."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.interactions = cls.env["relationship.interaction"].create([
            {"partner_id": cls.subject.id, "subject": f"Call {n}", "channel": "phone"} for n in range(3)])
        cls.consent = cls.env["gdpr.consent"].create({"partner_id": cls.subject.id, "purpose": "Newsletter"})
        cls.invoice_address = cls.env["res.partner"].create({
            "name": "Zebulon Billing", "type": "invoice", "parent_id": cls.subject.id})

    def _open(self, request, user=None):
        action = (request.with_user(user) if user else request).action_execute()
        return self.env["gdpr.erasure.confirm"].with_user(user or self.env.user).browse(action["res_id"])

    def _planned(self, user=None):
        request = self._verified("erasure")
        request.with_user(user or self.user_officer).action_prepare_plan()
        return request

    def test_execute_needs_the_plan(self):
        request = self._verified("erasure")
        with self.assertRaisesRegex(UserError, "Find the Person's Data"):
            request.with_user(self.user_officer).action_execute()
        self.assertEqual((request.state, request.line_ids.ids, self.subject.name),
                         ("verified", [], "Zebulon Quixotewright"))

    def test_confirmation_names_what_goes(self):
        request = self._planned()
        kept = request.line_ids.filtered(lambda line: line.res_model == "gdpr.consent")
        kept.with_user(self.user_officer).write({"action": "keep", "reason": "Proof of consent, 3 years"})
        wizard = self._open(request, self.user_officer)
        self.assertEqual((wizard.request_name, wizard.partner_id), (request.name, self.subject))
        # the contact and its invoice address anonymised; three interactions and their three chatter messages
        # deleted; the consent kept
        self.assertEqual((wizard.anonymise_count, wizard.delete_count, wizard.keep_count), (2, 6, 1))
        cells = "<td class='text-end'>%s</td>" * 3
        self.assertEqual(wizard.summary, (
            "<table class='table table-sm o_gdpr_erasure_summary'><tr><th>Records</th><th class='text-end'>Anonymised"
            "</th><th class='text-end'>Deleted</th><th class='text-end'>Kept under a legal hold</th></tr>"
            "<tr data-model='res.partner'><td>Contact</td>" + cells % (2, 0, 0) + "</tr>"
            "<tr data-model='relationship.interaction'><td>Customer Interaction</td>" + cells % (0, 3, 0) + "</tr>"
            "<tr data-model='gdpr.consent'><td>GDPR Consent and Legal Basis</td>" + cells % (0, 0, 1) + "</tr>"
            "<tr data-model='mail.message'><td>Message</td>" + cells % (0, 3, 0) + "</tr>"
            "</table>"))
        self.assertEqual((request.state, len(self.interactions.exists())), ("verified", 3), "nothing erased yet")
        wizard.action_confirm()
        self.assertEqual(request.state, "done")
        self.assertFalse(self.interactions.exists())
        self.assertTrue(self.consent.exists())

    def test_erased_contact_says_under_which_request(self):
        request = self._planned()
        with freeze_time("2026-11-23 10:00:00"):
            self._open(request, self.user_officer).action_confirm()
        partners = (self.subject | self.invoice_address).with_context(active_test=False)
        self.assertEqual(partners.mapped("gdpr_erasure_reference"), [request.name] * 2)
        self.assertEqual([str(d) for d in partners.mapped("gdpr_erased_on")], ["2026-11-23"] * 2)
        self.assertEqual(partners.mapped("gdpr_erasure_request_id"), request)
        self.assertEqual(request.subject_erasure, "anonymised")
        self.assertEqual(self.subject.name, f"Anonymized {self.subject.id}")
        # The banner holds the reference and the date, nothing of the person (test_gdpr_erasure_banner).
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="gdpr_erasure_banner"', arch)
        banner_fields = {"gdpr_erasure_reference", "gdpr_erased_on", "gdpr_erasure_banner"}
        self.assertTrue(banner_fields <= set(self.env["res.partner"].fields_get(list(banner_fields))))
        seen = self.subject.with_user(self.user_rel).with_context(active_test=False).read(list(banner_fields))[0]
        self.assertEqual((seen["gdpr_erasure_reference"], str(seen["gdpr_erased_on"])), (request.name, "2026-11-23"))

    def test_deleted_contact_is_kept_by_the_request(self):
        request = self._planned()
        lines = request.line_ids.filtered(lambda line: line.res_model == "res.partner")
        lines.with_user(self.user_officer).write({"action": "delete"})
        subject_id = self.subject.id
        self._open(request, self.user_officer).action_confirm()
        self.assertFalse(self.env["res.partner"].with_context(active_test=False).browse(subject_id).exists())
        self.assertEqual((request.state, request.partner_id.id, request.subject_erasure), ("done", False, "deleted"))
        self.assertEqual(request.line_ids.filtered(lambda line: line.res_id == subject_id).action, "delete")

    def test_contact_kept_under_a_hold_is_not_marked(self):
        request = self._planned()
        lines = request.line_ids.filtered(lambda line: line.res_model == "res.partner")
        lines.with_user(self.user_officer).write({"action": "keep", "reason": "Open dispute"})
        self._open(request, self.user_officer).action_confirm()
        self.assertEqual((request.state, request.subject_erasure, self.subject.gdpr_erasure_reference),
                         ("done", False, False))

    def test_plan_changed_after_opening_is_refused(self):
        request = self._planned()
        wizard = self._open(request, self.user_officer)
        line = request.line_ids.filtered(lambda line: line.res_model == "relationship.interaction")[:1]
        line.with_user(self.user_officer).write({"included": False})
        with self.assertRaisesRegex(UserError, "changed after this confirmation opened"):
            wizard.action_confirm()
        request.with_user(self.user_officer).action_prepare_plan()  # found again: new lines, new plan
        with self.assertRaisesRegex(UserError, "changed after this confirmation opened"):
            wizard.action_confirm()
        self.assertEqual((request.state, len(self.interactions.exists())), ("verified", 3))
        self._open(request, self.user_officer).action_confirm()
        self.assertEqual(request.state, "done")

    def test_nobody_erases_without_the_confirmation(self):
        request = self._planned()
        for user in (self.user_internal, self.user_rel, self.user_manager):
            as_user = request.with_user(user)
            with self.assertRaises(AccessError, msg=user.login), self.env.cr.savepoint():
                as_user.action_execute()
            with self.assertRaises(AccessError, msg=user.login), self.env.cr.savepoint():
                as_user.env["gdpr.erasure.confirm"].create({"request_id": request.id})
        wizard = self._open(request, self.user_officer)
        for user in (self.user_internal, self.user_rel, self.user_manager):
            with self.assertRaises(AccessError, msg=user.login), self.env.cr.savepoint():
                wizard.with_user(user).action_confirm()
        # another officer does not confirm what the first was shown
        other = self.user_officer.copy({"login": "cr_officer_confirm"})
        with self.assertRaisesRegex(AccessError, "dialog you opened yourself"), self.env.cr.savepoint():
            wizard.with_user(other).action_confirm()
        # the wizard's request and fingerprint are its own
        other_request = self._planned()
        for vals in ({"request_id": other_request.id}, {"plan_signature": "x"}):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                wizard.write(vals)
        self.assertEqual((request.state, other_request.state, len(self.interactions.exists())),
                         ("verified", "verified", 3))
        # the erasure itself is private: not reachable over RPC (tests/test_gdpr_rpc.py replays it)
        self.assertTrue(all(name.startswith("_") for name in ("_execute", "_execute_erasure", "_mark_erased")))

    def test_confirmation_refused_without_preview_or_for_other_types(self):
        request = self._verified("erasure")
        Confirm = self.env["gdpr.erasure.confirm"].with_user(self.user_officer)
        wizard = Confirm.create({"request_id": request.id})
        with self.assertRaisesRegex(UserError, "has no plan: find the person's data first"):
            wizard.action_confirm()
        access = self._verified("access")
        with self.assertRaisesRegex(UserError, "is not an erasure"):
            Confirm.create({"request_id": access.id})
        unverified = self._request("erasure")
        with self.assertRaisesRegex(UserError, "is not verified"):
            Confirm.create({"request_id": unverified.id})
        self.assertEqual((request.state, self.subject.name), ("verified", "Zebulon Quixotewright"))

    def test_erasures_one_at_a_time(self):
        first, second = self._planned(), self._planned()
        with self.assertRaisesRegex(UserError, "one at a time"):
            (first | second).with_user(self.user_officer).action_execute()
        restriction = self._verified("restriction")
        with self.assertRaisesRegex(UserError, "one at a time"):
            (first | restriction).with_user(self.user_officer).action_execute()
        self.assertEqual((first | second | restriction).mapped("state"), ["verified"] * 3)

    def test_erased_marks_are_not_forged(self):
        other = self.env["res.partner"].create({"name": "Living Person"})
        for user in (self.user_internal, self.user_rel, self.user_officer):
            for vals in ({"gdpr_erasure_reference": "GDPR/2026/0007"}, {"gdpr_erased_on": "2026-11-23"}):
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}"), self.env.cr.savepoint():
                    other.with_user(user).write(vals)
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}"), self.env.cr.savepoint():
                    self.env["res.partner"].with_user(user).create(dict(vals, name="Forged"))
        other.with_user(self.user_rel).write({"gdpr_erasure_reference": False, "name": "Living Person 2"})
        self.assertFalse(other.gdpr_erasure_reference)
