"""How often the periodic destruction runs: the Privacy Officer sets it (Configuration > Periodic Destruction),
never beyond KVKK's six months, and editing the scheduled action itself cannot go round the limit."""
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestGdprRetentionInterval(RelationshipCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("customer_relationship.ir_cron_gdpr_retention")
        cls.admin = cls.env.ref("base.user_admin")

    def _interval(self):
        return self.cron.interval_number, self.cron.interval_type

    def _dialog(self, user):
        return self.env["gdpr.retention.interval"].with_user(user).create({})

    # ------------------------------------------------------------------
    # The officer's dialog
    # ------------------------------------------------------------------
    def test_officer_sets_the_interval(self):
        dialog = self._dialog(self.user_officer)
        self.assertEqual((dialog.interval_months, dialog.current_interval, dialog.next_call),
                         (6, "6 months", self.cron.nextcall))
        dialog.interval_months = 3
        self.assertEqual(dialog.action_save(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(self._interval(), (3, "months"))
        self.assertEqual(self._dialog(self.user_officer).interval_months, 3, "the dialog opens on the new value")
        # the officer's interval is the one Settings shows
        self.assertEqual(self.env["res.config.settings"].create({}).gdpr_destruction_interval_months, 3)

    def test_dialog_opens_with_the_schedule(self):
        """What the web client asks when it opens the dialog (the first onchange of a new record)."""
        spec = dict.fromkeys(("interval_months", "current_interval", "next_call", "active_rule_count"), {})
        values = self.env["gdpr.retention.interval"].with_user(self.user_officer).onchange({}, [], spec)["value"]
        self.assertEqual((values["interval_months"], values["current_interval"], values["next_call"]),
                         (6, "6 months", self.cron.nextcall))

    def test_officer_stays_within_one_to_six_months(self):
        for months in (7, 12, 0, -1):
            dialog = self._dialog(self.user_officer)
            dialog.interval_months = months
            with self.assertRaisesRegex(ValidationError, "from 1 to 6"), self.cr.savepoint():
                dialog.action_save()
        self.assertEqual(self._interval(), (6, "months"), "nothing half-saved")

    def test_non_officers_cannot_set_it(self):
        """The attacks a user without the Privacy Officer group could try over RPC."""
        for user in (self.user_internal, self.user_rel, self.user_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError), self.cr.savepoint():
                    self._dialog(user)
                with self.assertRaises(AccessError), self.cr.savepoint():
                    self.env["gdpr.retention.interval"].with_user(user).create({"interval_months": 1}).action_save()
                with self.assertRaises(AccessError), self.cr.savepoint():
                    self.env["res.config.settings"].with_user(user).create({"gdpr_destruction_interval_months": 1})
                with self.assertRaises(AccessError), self.cr.savepoint():
                    self.cron.with_user(user).write({"interval_number": 1})
        # a dialog made by someone else (here the superuser) is not the non-officer's to save
        foreign = self.env["gdpr.retention.interval"].create({"interval_months": 1})
        with self.assertRaises(AccessError), self.cr.savepoint():
            foreign.with_user(self.user_manager).action_save()
        self.assertEqual(self._interval(), (6, "months"))

    def test_officer_cannot_edit_the_scheduled_action(self):
        """The dialog is the officer's only way: the scheduled action itself stays the administrators'."""
        with self.assertRaises(AccessError):
            self.cron.with_user(self.user_officer).write({"interval_number": 1})
        with self.assertRaises(AccessError):
            self.cron.with_user(self.user_officer).write({"active": False})

    # ------------------------------------------------------------------
    # The scheduled action edited in Settings > Technical
    # ------------------------------------------------------------------
    def test_scheduled_action_within_six_months(self):
        cron = self.cron.with_user(self.admin)
        allowed = [(6, "months"), (1, "months"), (25, "weeks"), (181, "days"), (181 * 24, "hours"),
                   (181 * 24 * 60, "minutes"), (1, "days")]
        for number, unit in allowed:
            cron.write({"interval_number": number, "interval_type": unit})
            self.assertEqual(self._interval(), (number, unit))
        refused = [(7, "months"), (12, "months"), (26, "weeks"), (182, "days"), (181 * 24 + 1, "hours"),
                   (181 * 24 * 60 + 1, "minutes")]
        cron.write({"interval_number": 3, "interval_type": "months"})
        for number, unit in refused:
            with self.subTest(interval=(number, unit)), \
                    self.assertRaisesRegex(ValidationError, "every 6 months, 181 days or 25 weeks at most"), \
                    self.cr.savepoint():
                cron.write({"interval_number": number, "interval_type": unit})
        with self.assertRaisesRegex(ValidationError, "not every 26 weeks"), self.cr.savepoint():
            cron.write({"interval_number": 26, "interval_type": "weeks"})
        self.assertEqual(self._interval(), (3, "months"))
        # the unit alone can make it too long: 30 days are fine, 30 weeks are not
        cron.write({"interval_number": 30, "interval_type": "days"})
        with self.assertRaises(ValidationError), self.cr.savepoint():
            cron.write({"interval_type": "weeks"})
        self.assertEqual(self._interval(), (30, "days"))

    def test_scheduled_action_stays_active_and_present(self):
        cron = self.cron.with_user(self.admin)
        with self.assertRaisesRegex(ValidationError, "cannot be deactivated"), self.cr.savepoint():
            cron.write({"active": False})
        with self.assertRaisesRegex(ValidationError, "cannot be deactivated"), self.cr.savepoint():
            cron.action_archive()
        with self.assertRaisesRegex(UserError, "cannot be deleted"), self.cr.savepoint():
            cron.unlink()
        self.assertTrue(self.cron.exists() and self.cron.active)

    def test_other_scheduled_actions_are_free(self):
        other = self.env["ir.cron"].create({
            "name": "Yearly job", "model_id": self.env["ir.model"]._get_id("res.partner"), "state": "code",
            "code": "model.browse()", "interval_number": 1, "interval_type": "months"})
        other.with_user(self.admin).write({"interval_number": 12})
        other.with_user(self.admin).write({"active": False})
        self.assertEqual((other.interval_number, other.active), (12, False))
        other.with_user(self.admin).unlink()
        self.assertFalse(other.exists())

    def test_settings_keep_an_interval_set_in_weeks(self):
        """Saving other settings keeps an interval the administrator set in weeks (shown as 0 months)."""
        self.cron.write({"interval_number": 20, "interval_type": "weeks"})
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertEqual(settings.gdpr_destruction_interval_months, 0)
        settings.gdpr_reminder_days = 4
        settings.execute()
        self.assertEqual(self._interval(), (20, "weeks"))
