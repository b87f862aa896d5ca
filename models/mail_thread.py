from odoo import _
from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_post(self, **kwargs):
        # GDPR art. 18: no e-mail to a person whose processing is restricted; system notifications still pass.
        if kwargs.get("message_type", "notification") != "notification" and kwargs.get("partner_ids"):
            recipients = self.env["res.partner"].sudo().browse(kwargs["partner_ids"]).exists()
            recipients._check_gdpr_not_restricted(_("send them an e-mail"))
        return super().message_post(**kwargs)
