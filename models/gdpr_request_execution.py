from markupsafe import Markup

from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class GdprRequest(models.Model):
    """Executing restriction, objection and rectification requests (GDPR art. 16, 18 and 21), and marking
    what an erasure anonymised.

    Kept apart from gdpr_request.py (intake and workflow); access, portability and erasure have their own
    engines (gdpr_data_export.py, gdpr_data_erasure.py).
    """

    _inherit = "gdpr.request"

    def _execute_erasure(self):
        subject = self.partner_id
        details = self.env["gdpr.data.erasure"]._erase(self)
        self._mark_erased(subject)
        return details

    def _mark_erased(self, subject):
        """The contacts anonymised under this request say so (its reference and the date, nothing personal);
        the request keeps whether the person's contact was anonymised or deleted."""
        env = self.env(su=True, context=dict(self.env.context, active_test=False))  # su: workflow-only fields
        partner_ids = {line.res_id for line in self.line_ids
                       if line.included and line.res_model == "res.partner" and line.action == "anonymise"}
        env["res.partner"].browse(partner_ids).exists().write({
            "gdpr_erasure_request_id": self.id, "gdpr_erasure_reference": self.name,
            "gdpr_erased_on": fields.Date.context_today(self)})
        if not subject.exists():
            self.with_env(env).subject_erasure = "deleted"
        elif subject.id in partner_ids:
            self.with_env(env).subject_erasure = "anonymised"

    def _execute_restriction(self):
        # sudo: the flags are written by executed requests only (see res.partner._gdpr_check_flags).
        self.partner_id.sudo().gdpr_restricted = True
        self.sudo().result = Markup("<p>%s</p>") % _("Processing of %(partner)s is restricted.",
                                                     partner=self.partner_id.display_name)
        return _("processing restricted")

    def action_lift_restriction(self):
        self._check_officer()
        for request in self:
            if request.request_type != "restriction" or request.state != "done":
                raise UserError(_("Only an executed restriction request can lift a restriction; %(name)s is not "
                                  "one.", name=request.name))
            if not request.partner_id.gdpr_restricted:
                raise UserError(_("Processing of %(partner)s is not restricted.",
                                  partner=request.partner_id.display_name))
            request.partner_id.sudo().gdpr_restricted = False  # sudo: see _execute_restriction
            request.message_post(body=_("Restriction of processing lifted by %(user)s.", user=self.env.user.name))
            request._log_privacy(_("restriction lifted"))
        return True

    def _execute_objection(self):
        partner = self.partner_id.sudo()  # sudo: the flag and the blacklist are the workflow's to set
        for address in self.env["gdpr.suppression"]._addresses(partner.email):
            self.env["mail.blacklist"].sudo()._add(address, message=_("GDPR objection %(name)s", name=self.name))
        partner.gdpr_objected = True
        # sudo: the result is a workflow field
        self.sudo().result = Markup("<p>%s</p>") % _(
            "%(partner)s objected to processing; the e-mail is on the blacklist.", partner=partner.display_name)
        return _("objection recorded, e-mail blacklisted")

    def _execute_rectification(self):
        changes = self.rectification_values or {}
        if not isinstance(changes, dict) or not changes:
            raise UserError(_("Enter the corrections of %(name)s as field: new value pairs first.", name=self.name))
        # sudo: the officer corrects the contact whatever their own rights on contacts
        partner = self.partner_id.sudo()
        unknown = [name for name in changes if name not in partner._fields or partner._fields[name].readonly
                   or name in ("gdpr_restricted", "gdpr_objected")]
        if unknown:
            raise UserError(_("These contact fields cannot be corrected: %(fields)s.", fields=", ".join(unknown)))
        before = partner.read(list(changes))[0]
        partner.write(changes)
        rows = Markup("").join(
            Markup("<li>%s: %s &#8594; %s</li>") % (partner._fields[name].string, before[name], value)
            for name, value in changes.items())
        self.sudo().result = Markup("<p>%s</p><ul>%s</ul>") % (_("Corrected fields:"), rows)
        return _("%(count)s field(s) rectified", count=len(changes))
