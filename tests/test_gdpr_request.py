from datetime import date

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time

from .gdpr_common import GdprCase


class TestGdprDeadline(GdprCase):
    def test_sequence_name(self):
        with freeze_time("2026-03-02"):
            request = self._request()
        self.assertRegex(request.name, r"^GDPR/2026/\d{4}$")

    def test_end_of_month_deadlines(self):
        cases = [
            (date(2026, 1, 31), date(2026, 2, 28)),
            (date(2024, 1, 31), date(2024, 2, 29)),
            (date(2026, 3, 31), date(2026, 4, 30)),
            (date(2026, 3, 15), date(2026, 4, 15)),
        ]
        for received, deadline in cases:
            self.assertEqual(self._request(date_received=received).date_deadline, deadline, received)

    def test_extension_two_months(self):
        request = self._request(date_received=date(2026, 1, 31))
        request.write({"extension_months": "2", "extension_reason": "Many linked accounts to review",
                       "date_extension_notified": date(2026, 2, 20)})
        self.assertEqual(request.date_deadline, date(2026, 4, 30))
        request.write({"extension_months": "1"})
        self.assertEqual(request.date_deadline, date(2026, 3, 31))

    def test_extension_needs_reason_and_notice_in_first_month(self):
        request = self._request(date_received=date(2026, 1, 31))
        with self.assertRaisesRegex(ValidationError, "reason"), self.env.cr.savepoint():
            request.write({"extension_months": "1", "date_extension_notified": date(2026, 2, 10)})
        with self.assertRaisesRegex(ValidationError, "within the first month"), self.env.cr.savepoint():
            request.write({"extension_months": "1", "extension_reason": "Complex",
                           "date_extension_notified": date(2026, 3, 1)})
        request.invalidate_recordset()
        self.assertEqual(request.extension_months, "0")
        self.assertEqual(request.date_deadline, date(2026, 2, 28))

    def test_is_overdue_search(self):
        late = self._request(date_received=date(2026, 1, 5))
        on_time = self._request(date_received=date(2026, 3, 1))
        closed = self._request(date_received=date(2026, 1, 5), state="done")
        with freeze_time("2026-03-10"):
            self.assertTrue(late.is_overdue)
            self.assertFalse(on_time.is_overdue or closed.is_overdue)
            ours = late | on_time | closed
            self.assertEqual(self.Request.search([("id", "in", ours.ids), ("is_overdue", "=", True)]), late)
            self.assertEqual(
                self.Request.search([("id", "in", ours.ids), ("is_overdue", "=", False)]), on_time | closed)


class TestGdprWorkflow(GdprCase):
    def test_verify_identity_records_who_and_when(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "Choose how the identity"):
            request.action_verify_identity()
        request.identity_method = "id_document"
        with freeze_time("2026-03-03 10:00:00"):
            request.with_user(self.user_officer).action_verify_identity()
        self.assertEqual(request.state, "verified")
        self.assertTrue(request.identity_verified)
        self.assertEqual(request.identity_verified_by, self.user_officer)
        self.assertEqual(str(request.identity_verified_on), "2026-03-03 10:00:00")

    def test_rejection_needs_reason_and_complaint_right(self):
        request = self._request()
        with self.assertRaisesRegex(UserError, "Write why"):
            request.action_reject()
        request.rejection_reason = "Manifestly unfounded: repeated request"
        with self.assertRaisesRegex(UserError, "right to complain"):
            request.action_reject()
        request.complaint_right_informed = True
        request.action_reject()
        self.assertEqual(request.state, "rejected")

    def test_cron_reminds_once_and_marks_overdue(self):
        due_soon = self._request(date_received=date(2026, 2, 10))   # deadline 10 March
        late = self._request(date_received=date(2026, 1, 20))       # deadline 20 February
        far = self._request(date_received=date(2026, 3, 1))         # deadline 1 April
        ours = due_soon | late | far
        with freeze_time("2026-03-05"):
            self.Request._cron_deadline_reminders()
            self.Request._cron_deadline_reminders()
        counts = {r: len(r.activity_ids) for r in ours}
        self.assertEqual(counts, {due_soon: 1, late: 1, far: 0})
        self.assertEqual(due_soon.activity_ids.user_id, self.user_officer)
        self.assertTrue(late.overdue_notified)
        self.assertFalse(due_soon.overdue_notified or far.reminder_sent)


class TestGdprAccess(GdprCase):
    def _register(self, user, **vals):
        values = {"request_type": "erasure", "requester_name": "Walk In", "channel": "in_person"}
        values.update(vals)
        wizard = self.env["gdpr.request.intake"].with_user(user).create(values)
        action = wizard.action_register()
        request = self.Request.search([("registered_by_id", "=", user.id)], order="id desc", limit=1)
        self.assertEqual(action["res_id"], request.id, "the new request is shown")
        return request

    def test_internal_user_registers_and_sees_only_status(self):
        other = self._request()
        mine = self._register(self.user_internal, requester_email="walk.in@example.org")
        self.assertRegex(mine.name, r"^GDPR/\d{4}/\d{4}$")
        self.assertEqual((mine.requester_name, mine.state, mine.create_uid), ("Walk In", "new", self.user_internal))
        Status = self.env["gdpr.request.status"].with_user(self.user_internal)
        visible = Status.search([("id", "in", (mine | other).ids)])
        self.assertEqual(visible.read(["name", "request_type", "state"]),
                         [{"id": mine.id, "name": mine.name, "request_type": "erasure", "state": "new"}])
        self.assertEqual(sorted(Status.fields_get()), sorted(
            ["id", "name", "request_type", "state", "registered_by_id", "company_id", "display_name"]))
        for request in (mine, other):
            with self.assertRaises(AccessError):
                request.with_user(self.user_internal).read(["requester_name"])
            with self.assertRaises(AccessError):
                request.with_user(self.user_internal).write({"requester_name": "Changed"})
        self.assertFalse(mine.message_follower_ids.partner_id & self.user_internal.partner_id)

    def test_officer_processes_all(self):
        request = self._register(self.user_internal, request_type="access")
        as_officer = request.with_user(self.user_officer)
        as_officer.write({"identity_method": "in_person"})
        as_officer.action_verify_identity()
        self.assertEqual(request.state, "verified")

    def test_intake_refuses_bad_input_and_writes_nothing(self):
        Intake = self.env["gdpr.request.intake"].with_user(self.user_internal)
        before = self.Request.search_count([])
        cases = [
            ({"date_received": "9999-12-31"}, "date received must be between"),
            ({"date_received": "0001-01-02"}, "date received must be between"),
            ({"requester_email": "a@x.org, b@y.org"}, "is not one e-mail address"),
            ({"requester_email": "not an address"}, "is not one e-mail address"),
            ({"requester_name": "%"}, "has no letters"),
        ]
        for vals, message in cases:
            wizard = Intake.create(dict({"request_type": "access", "requester_name": "Walk In"}, **vals))
            with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                wizard.action_register()
        self.assertEqual(self.Request.search_count([]), before)
        request = self._request()
        with self.assertRaisesRegex(ValidationError, "date received must be between"):
            request.with_user(self.user_officer).write({"date_received": "9999-12-31"})

    def test_nobody_forges_the_workflow(self):
        """Workflow fields are refused through create and write, even to officers; only the actions set them."""
        attachment = self.env["ir.attachment"].create({"name": "secret.txt", "raw": b"secret"})
        forged = [
            {"identity_verified": True}, {"state": "done"}, {"result": "<p>mine</p>"},
            {"export_attachment_id": attachment.id}, {"name": "GDPR/FAKE"}, {"registered_by_id": self.user_rel.id},
            {"identity_verified_by": self.user_officer.id},
        ]
        values = {"request_type": "access", "requester_name": "Forger"}
        for user in (self.user_internal, self.user_rel, self.user_manager, self.user_officer):
            for vals in forged:
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}"), self.env.cr.savepoint():
                    self.Request.with_user(user).create(dict(values, **vals))
        request = self._request()
        for vals in forged + [{"rectification_values": {"name": "X"}}]:
            for user in (self.user_internal, self.user_rel, self.user_manager):
                with self.assertRaises(AccessError, msg=f"{user.login} {vals}"), self.env.cr.savepoint():
                    request.with_user(user).write(vals)
        for vals in forged:
            with self.assertRaises(AccessError, msg=f"officer {vals}"), self.env.cr.savepoint():
                request.with_user(self.user_officer).write(vals)
        request.invalidate_recordset()
        self.assertEqual((request.state, request.identity_verified, request.result), ("new", False, False))
        # The intake wizard passes only its own fields on: it has no workflow field to forge.
        with self.assertRaises(ValueError):
            self.env["gdpr.request.intake"].with_user(self.user_internal).create(
                {"request_type": "access", "requester_name": "Forger", "state": "done"})

    def test_every_action_needs_an_officer(self):
        request = self._verified("restriction")
        request.action_execute()
        actions = ["action_verify_identity", "action_execute", "action_reject", "action_reset_to_new",
                   "action_send_answer", "action_lift_restriction", "action_prepare_plan", "action_download_export"]
        for user in (self.user_internal, self.user_rel, self.user_manager):
            for action in actions:
                with self.assertRaises(AccessError, msg=f"{user.login} {action}"), self.env.cr.savepoint():
                    getattr(request.with_user(user), action)()
        self.assertTrue(self.subject.gdpr_restricted)

    def test_relationship_user_cannot_process(self):
        request = self._request()
        with self.assertRaises(AccessError):
            request.with_user(self.user_rel).write({"identity_method": "in_person"})

    def test_non_officers_read_no_other_gdpr_model(self):
        self.env["gdpr.suppression"]._suppress("someone@example.org")
        for user in (self.user_internal, self.user_rel, self.user_manager):
            for model in ("gdpr.consent", "gdpr.suppression"):
                with self.assertRaises(AccessError, msg=f"{user.login} {model}"):
                    self.env[model].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["gdpr.suppression"].with_user(user).create({"email_hash": "x"})
        self.assertTrue(self.env["gdpr.suppression"].with_user(self.user_officer).search([]))

    def test_menus(self):
        requests = self.env.ref("customer_relationship.menu_gdpr_request")
        intake = self.env.ref("customer_relationship.menu_gdpr_request_intake")
        status = self.env.ref("customer_relationship.menu_gdpr_request_status")
        for user, sees_requests in ((self.user_rel, False), (self.user_officer, True)):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertEqual(requests.id in visible, sees_requests, user.login)
            self.assertIn(intake.id, visible, user.login)
            self.assertIn(status.id, visible, user.login)


class TestGdprIntakeFromContact(GdprCase):
    def test_any_internal_user_finds_intake_on_the_contact(self):
        action = self.env.ref("customer_relationship.action_gdpr_request_intake_from_partner")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        bindings = self.env["ir.actions.actions"].with_user(self.user_internal).get_bindings("res.partner")
        self.assertIn(action.id, [a["id"] for a in bindings["action"]])
        bindings = self.env["ir.actions.actions"].with_user(self.user_portal).get_bindings("res.partner")
        self.assertNotIn(action.id, [a["id"] for a in bindings["action"]])


class TestGdprOtherCompany(GdprCase):
    def test_officer_cannot_search_a_contact_of_another_company(self):
        company_b = self.env["res.company"].create({"name": "GDPR Company B"})
        stranger = self.env["res.partner"].create({"name": "Company B Person", "company_id": company_b.id})
        self.env["relationship.interaction"].create(
            {"partner_id": stranger.id, "subject": "B's call", "channel": "phone", "company_id": company_b.id})
        request = self._verified("erasure", partner_id=stranger.id)
        as_officer = request.with_user(self.user_officer)
        for action in ("action_prepare_plan", "action_execute"):
            with self.assertRaises(AccessError, msg=action), self.env.cr.savepoint():
                getattr(as_officer, action)()
        self.assertEqual((request.state, request.line_ids.ids, stranger.name), ("verified", [], "Company B Person"))
