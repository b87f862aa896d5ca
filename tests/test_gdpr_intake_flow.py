from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import new_test_user

from .gdpr_common import GdprCase


class TestGdprIntakeFlow(GdprCase):
    """Issue 16, item 6: intake from a contact, the reference shown, the company's default officer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Intake = cls.env["gdpr.request.intake"]
        cls.company = cls.env.company
        cls.company.gdpr_officer_id = cls.user_officer
        cls.officer_2 = new_test_user(
            cls.env, "cr_officer_2", groups="base.group_user,customer_relationship.group_privacy_officer")

    def _from_contact(self, user, partner):
        """The wizard as the contact's Action menu opens it (the binding's context), as that user."""
        action = self.env.ref("customer_relationship.action_gdpr_request_intake_from_partner")
        self.assertEqual(action.context, "{'default_partner_id': active_id}")
        return self.Intake.with_user(user).with_context(
            active_model="res.partner", active_id=partner.id, active_ids=partner.ids,
            default_partner_id=partner.id).create({})

    def test_contact_prefills_requester_and_proposes_access(self):
        wizard = self._from_contact(self.user_internal, self.subject)
        self.assertEqual(
            (wizard.partner_id, wizard.requester_name, wizard.requester_email, wizard.request_type, wizard.channel),
            (self.subject, "Zebulon Quixotewright", "zebulon.quixotewright@example.org", "access", "email"))
        # Only the contact in context: active_id alone (another screen of the contact) is enough too.
        wizard = self.Intake.with_user(self.user_internal).with_context(
            active_model="res.partner", active_id=self.subject.id).create({})
        self.assertEqual(wizard.partner_id, self.subject)
        # Another model's active_id is not a contact.
        wizard = self.Intake.with_user(self.user_internal).with_context(
            active_model="relationship.interaction", active_id=self.subject.id).create({"requester_name": "X"})
        self.assertFalse(wizard.partner_id)

    def test_contact_with_two_addresses_proposes_the_first(self):
        couple = self.env["res.partner"].create({"name": "Ann Two", "email": "ann@example.org, ann.two@example.org"})
        wizard = self._from_contact(self.user_internal, couple)
        self.assertEqual(wizard.requester_email, "ann@example.org")
        action = wizard.action_register()
        self.assertEqual(self.Request.browse(action["res_id"]).requester_email, "ann@example.org")

    def test_requester_typed_over_the_proposal_is_kept(self):
        wizard = self.Intake.with_user(self.user_internal).with_context(default_partner_id=self.subject.id).create({
            "requester_name": "Mara Quixotewright (mother)", "requester_email": "mara@example.org",
            "request_type": "erasure"})
        action = wizard.action_register()
        request = self.Request.browse(action["res_id"])
        self.assertEqual((request.requester_name, request.requester_email, request.request_type, request.partner_id),
                         ("Mara Quixotewright (mother)", "mara@example.org", "erasure", self.subject))

    def test_registrant_sees_the_reference_only(self):
        wizard = self._from_contact(self.user_internal, self.subject)
        action = wizard.action_register()
        request = self.Request.search([("registered_by_id", "=", self.user_internal.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual((action["res_model"], action["res_id"], action["target"]),
                         ("gdpr.request.status", request.id, "new"))
        self.assertEqual(action["name"], f"Request {request.name} Registered")
        view = self.env["ir.ui.view"].browse(action["views"][0][0])
        self.assertEqual(view, self.env.ref("customer_relationship.gdpr_request_status_view_form_registered"))
        status = self.env["gdpr.request.status"].with_user(self.user_internal).browse(request.id)
        self.assertEqual(status.read(["name", "request_type", "state"]),
                         [{"id": request.id, "name": request.name, "request_type": "access", "state": "new"}])
        # what the dialog shows is all the registrant reads
        fields_shown = self.env["gdpr.request.status"].with_user(self.user_internal).get_views(
            [(view.id, "form")])["models"]["gdpr.request.status"]["fields"]
        self.assertEqual(sorted(fields_shown), ["id", "name", "request_type", "state"])

    def test_officer_goes_on_with_the_request(self):
        wizard = self._from_contact(self.user_officer, self.subject)
        action = wizard.action_register()
        request = self.Request.search([("registered_by_id", "=", self.user_officer.id)])
        self.assertEqual((action["res_model"], action["res_id"], action["target"]),
                         ("gdpr.request", request.id, "current"))

    def test_new_requests_get_the_company_officer(self):
        wizard = self._from_contact(self.user_internal, self.subject)
        request = self.Request.browse(wizard.action_register()["res_id"])
        self.assertEqual(request.user_id, self.user_officer)
        # an officer chosen on the request wins; another company's default is its own
        other_officer = self.officer_2
        chosen = self._request(user_id=other_officer.id)
        self.assertEqual(chosen.user_id, other_officer)
        company_b = self.env["res.company"].create({"name": "Officer Company B"})
        other_officer.company_ids |= company_b
        company_b.gdpr_officer_id = other_officer
        in_b = self._request(user_id=False, company_id=company_b.id)
        self.assertEqual(in_b.user_id, other_officer)
        self.company.gdpr_officer_id = False
        self.assertFalse(self._request(user_id=False).user_id)

    def test_default_officer_must_be_an_officer(self):
        message = f"{self.user_internal.name} is not a Privacy Officer: choose a user of the Privacy Officer group"
        with self.assertRaisesRegex(ValidationError, message.replace("(", r"\(").replace(")", r"\)")):
            self.company.gdpr_officer_id = self.user_internal
        company_b = self.env["res.company"].create({"name": "Officer Company C"})
        with self.assertRaisesRegex(ValidationError, "does not work for Officer Company C"):
            company_b.gdpr_officer_id = self.officer_2
        field = self.env["res.company"]._fields["gdpr_officer_id"]
        domain = field.get_domain_list(self.env["res.company"])
        officers = self.env["res.users"].search(domain)
        self.assertIn(self.user_officer, officers)
        self.assertNotIn(self.user_internal, officers)

    def test_settings_set_the_default_officer(self):
        self.company.gdpr_officer_id = False
        settings = self.env["res.config.settings"].create({"gdpr_officer_id": self.user_officer.id})
        settings.execute()
        self.assertEqual(self.company.gdpr_officer_id, self.user_officer)
        self.assertEqual(self.env["res.config.settings"].create({}).gdpr_officer_id, self.user_officer)

    def test_reminders_reach_the_company_officer(self):
        """A request without officer reminds the company's default officer: an activity, notified by e-mail."""
        self.company.gdpr_officer_id = False
        unassigned = self._request(date_received=date(2026, 2, 10), user_id=False)  # deadline 10 March 2026
        assigned = self._request(date_received=date(2026, 2, 10), user_id=self.officer_2.id)
        self.assertFalse(unassigned.user_id)
        self.company.gdpr_officer_id = self.user_officer  # chosen in Settings after the request came in
        with freeze_time("2026-03-05"):
            self.Request._cron_deadline_reminders()
        self.assertEqual(unassigned.activity_ids.user_id, self.user_officer)
        self.assertEqual(unassigned.activity_ids.summary, f"GDPR request {unassigned.name} is due on 2026-03-10")
        self.assertEqual(assigned.activity_ids.user_id, self.officer_2)
        for request, officer in ((unassigned, self.user_officer), (assigned, self.officer_2)):
            notice = self.env["mail.message"].search([
                ("model", "=", "gdpr.request"), ("res_id", "=", request.id),
                ("partner_ids", "in", officer.partner_id.ids), ("subject", "like", "assigned to you")])
            self.assertEqual(len(notice), 1, request.name)
            self.assertEqual(notice.notification_ids.mapped(lambda n: (n.res_partner_id, n.notification_type)),
                             [(officer.partner_id, "email")], "the officer is e-mailed the reminder")
        self.assertTrue(unassigned.reminder_sent and assigned.reminder_sent)

    def test_overdue_reminder_goes_to_the_company_officer(self):
        late = self._request(date_received=date(2026, 1, 20), user_id=False)  # deadline 20 February 2026
        with freeze_time("2026-03-05"):
            self.Request._cron_deadline_reminders()
        self.assertEqual(late.activity_ids.user_id, self.user_officer)
        self.assertEqual(late.activity_ids.summary, f"GDPR request {late.name} is overdue since 2026-02-20")
