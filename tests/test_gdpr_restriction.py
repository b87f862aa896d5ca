from odoo.exceptions import AccessError

from .gdpr_common import GdprCase


class TestGdprRestrictionMail(GdprCase):
    """A restricted person receives no e-mail from any path; the flags change only through requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.partner"].create({"name": "Unrestricted Person", "email": "free@example.org"})
        cls.record = cls.env["res.partner"].create({"name": "Shared Record"})
        request = cls.env["gdpr.request"].create({
            "request_type": "restriction", "requester_name": cls.subject.name, "partner_id": cls.subject.id,
            "identity_method": "id_document"})
        request.action_verify_identity()
        request.action_execute()

    def _mails_of(self, message):
        return self.env["mail.mail"].search([("mail_message_id", "=", message.id)])

    def test_flags_are_not_writable_by_users(self):
        for user in (self.user_internal, self.user_rel, self.user_manager, self.user_officer):
            for field in ("gdpr_restricted", "gdpr_objected"):
                with self.assertRaises(AccessError, msg=f"{user.login} {field}"), self.env.cr.savepoint():
                    self.other.with_user(user).write({field: True})
                with self.assertRaises(AccessError, msg=f"{user.login} {field}"), self.env.cr.savepoint():
                    self.env["res.partner"].with_user(user).create({"name": "Flagged", field: True})
        self.assertFalse(self.other.gdpr_restricted or self.other.gdpr_objected)
        with self.assertRaises(AccessError):
            self.subject.with_user(self.user_rel).write({"gdpr_restricted": False})
        self.assertTrue(self.subject.gdpr_restricted)
        self.other.with_user(self.user_rel).write({"gdpr_restricted": False, "city": "Gent"})  # no change: allowed
        logs = self.env["privacy.log"].search([("execution_details", "like", "processing restricted")])
        self.assertEqual(len(logs), 1)

    def test_follower_notification(self):
        self.record.message_subscribe(partner_ids=(self.subject | self.other).ids)
        message = self.record.message_post(body="News for followers", message_type="comment",
                                           subtype_xmlid="mail.mt_comment")
        # Notification e-mails are sent at once (force_send): the restricted follower is already off them.
        mails = self._mails_of(message)
        self.assertEqual(mails.recipient_ids, self.other)
        self.assertNotIn("cancel", mails.mapped("state"), "the others' e-mail still goes")
        notification = message.notification_ids.filtered(lambda n: n.res_partner_id == self.subject)
        self.assertEqual(notification.notification_status, "canceled")

    def test_template(self):
        template = self.env["mail.template"].create({
            "name": "Partner news", "model_id": self.env["ir.model"]._get_id("res.partner"),
            "subject": "News", "body_html": "<p>Hello</p>", "email_to": "{{ object.email }}"})
        mail = self.env["mail.mail"].browse(template.send_mail(self.subject.id))
        self.assertEqual(mail.email_to, "zebulon.quixotewright@example.org")
        mail.send()
        self.assertEqual((mail.state, mail.email_to), ("cancel", ""))

    def test_composer_mass_mode(self):
        composer = self.env["mail.compose.message"].with_context(
            default_model="res.partner", default_res_ids=(self.subject | self.other).ids,
            default_composition_mode="mass_mail").create({"subject": "Mass", "body": "<p>Offer</p>"})
        composer.action_send_mail()
        mails = self.env["mail.mail"].search([("subject", "=", "Mass")])
        self.assertEqual(len(mails), 2)
        mails.send()
        self.assertEqual(mails.filtered(lambda m: m.res_id == self.subject.id).state, "cancel")
        self.assertNotEqual(mails.filtered(lambda m: m.res_id == self.other.id).state, "cancel")

    def test_queued_mail(self):
        alone = self.env["mail.mail"].create({"email_to": "Zebulon <ZEBULON.quixotewright@example.org>",
                                              "subject": "Queued", "body_html": "<p>x</p>"})
        shared = self.env["mail.mail"].create({
            "email_to": "zebulon.quixotewright@example.org, free@example.org", "subject": "Queued 2",
            "body_html": "<p>x</p>"})
        by_partner = self.env["mail.mail"].create({"recipient_ids": self.subject.ids, "subject": "Queued 3",
                                                   "body_html": "<p>x</p>"})
        self.env["mail.mail"].process_email_queue((alone | shared | by_partner).ids)
        self.assertEqual([mail.state == "cancel" for mail in alone | shared | by_partner], [True, False, True])
        self.assertEqual(shared.email_to, "free@example.org")


class TestGdprObjection(GdprCase):
    def test_objection_stops_capture_and_mass_mailing(self):
        request = self._verified("objection")
        request.with_user(self.user_officer).action_execute()
        self.assertTrue(self.subject.gdpr_objected)
        self.assertTrue(self.env["privacy.log"].search([("execution_details", "like", request.name)]))
        self.env["ir.config_parameter"].set_param("customer_relationship.auto_capture", "True")
        record = self.env["res.partner"].create({"name": "Thread of the objection"})
        record.message_post(body="Incoming", message_type="email", author_id=self.subject.id)
        self.assertFalse(self.subject.interaction_ids)
        other = self.env["res.partner"].create({"name": "Free Person", "email": "free@example.org"})
        composer = self.env["mail.compose.message"].with_context(
            default_model="res.partner", default_res_ids=(self.subject | other).ids,
            default_composition_mode="mass_mail").create({"subject": "Mass offer", "body": "<p>Offer</p>"})
        composer.action_send_mail()
        mails = self.env["mail.mail"].search([("subject", "=", "Mass offer")])
        self.assertEqual(mails.filtered(lambda m: m.res_id == self.subject.id).state, "cancel")
        self.assertNotEqual(mails.filtered(lambda m: m.res_id == other.id).state, "cancel")

    def test_no_cadence_reminder_for_objecting_or_restricted_people(self):
        restricted = self.env["res.partner"].create({"name": "Restricted Person", "contact_cadence_days": 7})
        self.subject.contact_cadence_days = 7
        keen = self.env["res.partner"].create({"name": "Keen Customer", "contact_cadence_days": 7})
        # Reminders are only for partners in an open or customer stage of a pipeline (issue 15); they join
        # before the restriction, which bars joining.
        lifecycle = self.env["relationship.pipeline"]._get_lifecycle()
        self.env["relationship.pipeline.membership"].sudo().create([
            {"partner_id": partner.id, "pipeline_id": lifecycle.id} for partner in (self.subject | restricted | keen)
            if not partner.relationship_membership_ids.filtered(lambda m: m.pipeline_id == lifecycle)])
        self._verified("objection").action_execute()
        request = self._verified("restriction", partner_id=restricted.id, requester_name="Restricted Person",
                                 requester_email=False)
        request.action_execute()
        self.env["res.partner"]._cron_contact_cadence()
        activity_type = self.env.ref("customer_relationship.mail_activity_type_contact_customer")
        reminded = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("activity_type_id", "=", activity_type.id),
            ("res_id", "in", (self.subject | restricted | keen).ids)]).mapped("res_id")
        self.assertEqual(reminded, keen.ids)
