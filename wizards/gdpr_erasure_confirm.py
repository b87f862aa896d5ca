import hashlib
from collections import defaultdict

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

ERASING_ACTIONS = ("anonymise", "delete", "keep")


class GdprErasureConfirm(models.TransientModel):
    """The last step before an erasure: names what the reviewed plan erases, and only its confirmation
    executes it. The plan it names is fingerprinted: a plan changed after the dialog opened is refused."""

    _name = "gdpr.erasure.confirm"
    _description = "Confirm a GDPR Erasure"

    request_id = fields.Many2one("gdpr.request", required=True, readonly=True, ondelete="cascade")
    request_name = fields.Char(related="request_id.name", string="Reference")
    partner_id = fields.Many2one(related="request_id.partner_id", string="Data Subject")
    plan_signature = fields.Char(readonly=True)
    anonymise_count = fields.Integer(compute="_compute_counts", string="Anonymised")
    delete_count = fields.Integer(compute="_compute_counts", string="Deleted")
    keep_count = fields.Integer(compute="_compute_counts", string="Kept under a Legal Hold")
    summary = fields.Html(compute="_compute_counts", sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard.request_id._check_executable()
            if wizard.request_id.request_type != "erasure":
                raise UserError(_("Request %(name)s is not an erasure.", name=wizard.request_id.name))
            # su: the fingerprint is the wizard's own, set here only (readonly for users)
            wizard.sudo().plan_signature = wizard._signature()
        return wizards

    def write(self, vals):
        if not self.env.su and {"request_id", "plan_signature"} & set(vals):
            raise AccessError(_("An erasure confirmation names one request and its plan; open a new one instead."))
        return super().write(vals)

    def _included_lines(self):
        return self.request_id.line_ids.filtered(lambda line: line.included and line.action in ERASING_ACTIONS)

    def _signature(self):
        plan = sorted((line.id, line.res_model, line.res_id, line.action) for line in self._included_lines())
        return hashlib.sha256(repr((str(self.request_id.date_plan), plan)).encode()).hexdigest()

    @api.depends("request_id.line_ids.included", "request_id.line_ids.action")
    def _compute_counts(self):
        for wizard in self:
            counts = defaultdict(lambda: dict.fromkeys(ERASING_ACTIONS, 0))
            for line in wizard._included_lines():
                counts[line.res_model][line.action] += 1
            totals = {action: sum(row[action] for row in counts.values()) for action in ERASING_ACTIONS}
            wizard.anonymise_count, wizard.delete_count, wizard.keep_count = (
                totals["anonymise"], totals["delete"], totals["keep"])
            wizard.summary = wizard._summary_table(counts)

    def _summary_table(self, counts):
        """One row per kind of record, named in the user's language (the model's description)."""
        names = {model: self.env["ir.model"]._get(model).name or model for model in counts}
        head = Markup("<tr><th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
                      "<th class='text-end'>%s</th></tr>") % (
            _("Records"), _("Anonymised"), _("Deleted"), _("Kept under a legal hold"))
        rows = Markup("").join(
            Markup("<tr data-model='%s'><td>%s</td><td class='text-end'>%s</td><td class='text-end'>%s</td>"
                   "<td class='text-end'>%s</td></tr>") % (
                model, names[model], row["anonymise"], row["delete"], row["keep"])
            for model, row in sorted(counts.items(), key=lambda item: names[item[0]]))
        if not rows:
            rows = Markup("<tr><td colspan='4'>%s</td></tr>") % _("No record of the person is included in the plan.")
        return Markup("<table class='table table-sm o_gdpr_erasure_summary'>%s%s</table>") % (head, rows)

    def action_confirm(self):
        """The only way to run an erasure: the officer confirmed what this dialog named."""
        self.ensure_one()
        request = self.request_id
        request._check_officer()
        if self.create_uid != self.env.user:
            raise AccessError(_("Confirm the erasure from the dialog you opened yourself."))
        request._check_executable()
        if not request.date_plan:
            raise UserError(_("Request %(name)s has no plan: find the person's data first.", name=request.name))
        if self.plan_signature != self._signature():
            raise UserError(_(
                "The plan of %(name)s changed after this confirmation opened: execute it again to confirm the "
                "current plan.", name=request.name))
        request._execute()
        return {"type": "ir.actions.act_window_close"}
