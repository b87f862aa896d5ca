from datetime import timedelta

from odoo import _
from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

RETENTION_CRON = "customer_relationship.ir_cron_gdpr_retention"
# KVKK's Regulation on the Erasure, Destruction or Anonymisation of Personal Data, art. 11: periodic
# destruction at intervals of at most six months.
MAX_DESTRUCTION_MONTHS = 6
# Six months in days, weeks, hours or minutes: the shortest six calendar months (January to June of a common
# year) have 181 days, so a fixed interval of 181 days never waits longer than six months, from any date.
MAX_DESTRUCTION_DAYS = 181
UNIT_DELTAS = {
    "minutes": lambda number: timedelta(minutes=number),
    "hours": lambda number: timedelta(hours=number),
    "days": lambda number: timedelta(days=number),
    "weeks": lambda number: timedelta(weeks=number),
}


class IrCron(models.Model):
    """The periodic destruction's scheduled action keeps KVKK's six months however it is edited.

    Privacy > Destruction Interval and Settings check the interval; Settings > Technical > Scheduled Actions
    edits the cron itself, so the limit is checked on ir.cron. Deactivating or deleting it is refused too:
    KVKK requires the periodic destruction itself, and what it destroys is chosen by the retention rules (an
    officer archives a rule to stop it, and that change is tracked on the rule). Odoo's own safeguards stay:
    a cron failing for days, or a neutralised copy of the database, is deactivated in SQL, not through this.
    """

    _inherit = "ir.cron"

    @api.model
    def _gdpr_retention_cron(self):
        """The periodic destruction's scheduled action (an empty recordset if it was removed)."""
        return self.env.ref(RETENTION_CRON, raise_if_not_found=False) or self.browse()

    def _gdpr_is_retention_cron(self):
        cron = self._gdpr_retention_cron()
        return bool(cron) and cron.id in self.ids

    @api.constrains("interval_number", "interval_type", "active")
    def _check_gdpr_destruction_interval(self):
        cron = self._gdpr_retention_cron()
        if not cron or cron.id not in self.ids:
            return
        if not cron.active:
            raise ValidationError(_(
                "“%(cron)s” carries out the periodic destruction that KVKK requires at least every six months: "
                "it cannot be deactivated. To stop destroying a kind of data, archive its retention rule.",
                cron=cron.name))
        if self._gdpr_interval_too_long(cron.interval_number, cron.interval_type):
            raise ValidationError(_(
                "“%(cron)s” carries out the periodic destruction that KVKK requires at least every six months: "
                "run it every %(months)s months, %(days)s days or %(weeks)s weeks at most, not every "
                "%(interval)s.", cron=cron.name, months=MAX_DESTRUCTION_MONTHS, days=MAX_DESTRUCTION_DAYS,
                weeks=MAX_DESTRUCTION_DAYS // 7, interval=cron._gdpr_interval_text()))

    def _gdpr_interval_text(self):
        """"3 months", "25 weeks": a sentence per unit, since languages inflect the unit after a number (the
        selection's labels are plural nouns: Turkish says "3 ay", not "3 aylar")."""
        self.ensure_one()
        texts = {
            "minutes": _("%(number)s minutes", number=self.interval_number),
            "hours": _("%(number)s hours", number=self.interval_number),
            "days": _("%(number)s days", number=self.interval_number),
            "weeks": _("%(number)s weeks", number=self.interval_number),
            "months": _("%(number)s months", number=self.interval_number),
        }
        return texts[self.interval_type]

    @api.model
    def _gdpr_interval_too_long(self, number, unit):
        if unit == "months":
            return number > MAX_DESTRUCTION_MONTHS
        return UNIT_DELTAS[unit](number) > timedelta(days=MAX_DESTRUCTION_DAYS)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_gdpr_retention(self):
        if self._gdpr_is_retention_cron():
            raise UserError(_(
                "“%(cron)s” carries out the periodic destruction that KVKK requires at least every six months: "
                "it cannot be deleted.", cron=self._gdpr_retention_cron().name))

    @api.model
    def _gdpr_set_destruction_months(self, months):
        """Run the periodic destruction every ``months`` months (1 to 6); callers check who may."""
        if not isinstance(months, int) or not 1 <= months <= MAX_DESTRUCTION_MONTHS:
            raise ValidationError(_(
                "Periodic destruction must run at least every %(max)s months (KVKK's regulation on erasure, "
                "destruction and anonymisation): enter a number of months from 1 to %(max)s, not %(months)s.",
                max=MAX_DESTRUCTION_MONTHS, months=months))
        cron = self._gdpr_retention_cron()
        if cron and (cron.interval_number, cron.interval_type) != (months, "months"):
            cron.write({"interval_number": months, "interval_type": "months"})
