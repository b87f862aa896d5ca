from odoo import _
from odoo import models
from odoo.fields import Command


class MailMail(models.Model):
    _inherit = "mail.mail"

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        # GDPR art. 18: every path (followers, templates, mass mailing, the queue) ends here, so a person
        # whose processing is restricted is taken off every e-mail at the last moment.
        self._gdpr_drop_restricted()
        # _send skips cancelled mails, but a failed SMTP connection would mark the whole batch as failed.
        outgoing = self.filtered(lambda mail: mail.state != "cancel")
        return super(MailMail, outgoing).send(auto_commit=auto_commit, raise_exception=raise_exception,
                                              post_send_callback=post_send_callback)

    def _gdpr_drop_restricted(self):
        """Remove restricted people from outgoing mails; a mail left with nobody is cancelled."""
        # sudo: the restriction flag and the recipients are checked whoever triggers the queue.
        mails = self.sudo().filtered(lambda m: m.state == "outgoing")
        Suppression = self.env["gdpr.suppression"]
        addresses = {mail: Suppression._addresses(mail.email_to) for mail in mails}
        every_address = {address for found in addresses.values() for address in found}
        # sudo: restricted recipients are dropped whoever sends, archived contacts included
        restricted = self.env["res.partner"].sudo().with_context(active_test=False).search([
            ("gdpr_restricted", "=", True), "|", ("id", "in", mails.recipient_ids.ids),
            ("email_normalized", "in", list(every_address))])
        if not restricted:
            return
        blocked_addresses = set(restricted.mapped("email_normalized"))
        for mail in mails:
            blocked = mail.recipient_ids & restricted
            kept_addresses = [a for a in addresses[mail] if a not in blocked_addresses]
            if not blocked and len(kept_addresses) == len(addresses[mail]):
                continue
            self.env["mail.notification"].sudo().search([
                ("mail_mail_id", "=", mail.id), ("res_partner_id", "in", restricted.ids)]).write({
                    "notification_status": "canceled", "failure_reason": _("Processing restricted (GDPR art. 18)")})
            vals = {"recipient_ids": [Command.unlink(partner.id) for partner in blocked],
                    "email_to": ", ".join(kept_addresses)}
            if not (mail.recipient_ids - blocked or kept_addresses or mail.email_cc):
                vals.update(state="cancel", failure_reason=_("Processing of the recipient is restricted "
                                                             "(GDPR art. 18)."))
            mail.write(vals)
