from markupsafe import Markup

from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Command

PLAN_TYPES = ("access", "portability", "erasure")


class GdprRequest(models.Model):
    """Planning and executing a request: the plan of an access, portability or erasure request, the
    checks before execution, the privacy log, and the executors of each type (GDPR art. 15 to 21).

    Kept apart from gdpr_request.py (intake and workflow); access, portability and erasure have their own
    engines (gdpr_data_export.py, gdpr_data_erasure.py).
    """

    _inherit = "gdpr.request"

    # ------------------------------------------------------------------
    # Plan and execution
    # ------------------------------------------------------------------
    def action_prepare_plan(self):
        """Find the person's records and propose what to do with each; the officer reviews the lines."""
        self._check_officer()
        self._check_open()
        self._check_subject()
        for request in self:
            if request.request_type not in PLAN_TYPES:
                raise UserError(_("Only access, portability and erasure requests have a plan."))
            request._prepare_plan()
        return True

    def _prepare_plan(self):
        vals_list = self.env["gdpr.subject.finder"]._plan_lines(self)
        # sudo: the plan lines are a workflow field; callers checked the officer group
        self.sudo().write({"line_ids": [Command.clear()] + [Command.create(vals) for vals in vals_list],
                           "date_plan": fields.Datetime.now()})

    def action_execute(self):
        """Execute the requests; an erasure only opens its confirmation, which names what will go."""
        self._check_executable()
        erasures = self.filtered(lambda r: r.request_type == "erasure")
        if erasures:
            return erasures._open_erasure_confirmation(self - erasures)
        self._execute()
        return True

    def _check_executable(self):
        self._check_officer()
        self._check_open()
        self._check_identity_verified()
        self._check_subject()

    def _open_erasure_confirmation(self, others):
        if others or len(self) > 1:
            raise UserError(_("Execute erasure requests one at a time: each needs its own confirmation."))
        if not self.date_plan:
            raise UserError(_(
                "Click “Find the Person's Data” for %(name)s and review its plan first: the erasure confirmation "
                "names what the plan erases.", name=self.name))
        wizard = self.env["gdpr.erasure.confirm"].create({"request_id": self.id})
        return {
            "type": "ir.actions.act_window", "name": _("Confirm the Erasure"), "res_model": wizard._name,
            "res_id": wizard.id, "view_mode": "form", "target": "new",
        }

    def _execute(self):
        """The execution itself, once every check (and for an erasure its confirmation) passed."""
        for request in self:
            if request.request_type in PLAN_TYPES and not request.date_plan:
                request._prepare_plan()  # before any change: a person that cannot be searched stops here
            # Taken before execution: erasure clears them.
            label = (request.partner_id.name, request.partner_id.email or request.requester_email)
            # sudo: state is a workflow field, set only here once the officer and identity checks passed
            request.sudo().state = "in_progress"
            details = getattr(request, "_execute_" + request.request_type)()
            request._log_privacy(details, *label)
            request.sudo().state = "done"  # sudo: see in_progress above
        return True

    def _log_privacy(self, details, name=None, email=None):
        """privacy.log masks the name and e-mail itself."""
        addresses = self.env["gdpr.suppression"]._addresses(
            email or self.partner_id.email or self.requester_email)
        # sudo: privacy.log is written by the workflow for every officer, whatever their other rights.
        self.env["privacy.log"].sudo().create({
            "anonymized_name": name or self.partner_id.name or "-",
            "anonymized_email": addresses[0] if addresses else "unknown@unknown.invalid",
            "execution_details": _("%(request)s (%(type)s): %(details)s", request=self.name,
                                   type=self.request_type, details=details),
        })

    def _execute_access(self):
        self.env["gdpr.data.export"]._export(self)
        return _("data exported")

    _execute_portability = _execute_access

    def action_download_export(self):
        self._check_officer()
        self.ensure_one()
        if not self.export_attachment_id:
            raise UserError(_("Request %(name)s has no export yet: execute it first.", name=self.name))
        return {"type": "ir.actions.act_url", "target": "download",
                "url": f"/web/content/{self._name}/{self.id}/export_file/{self.export_filename}?download=true"}

    # ------------------------------------------------------------------
    # Erasure, restriction, objection and rectification
    # ------------------------------------------------------------------
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
