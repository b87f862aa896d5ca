from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The usual rules over Odoo's own apps, proposed only when the app is installed (never a dependency):
# (name, model, filter, date field, kind, which stage of the pipeline).
SUGGESTIONS = [
    (_lt("Open opportunity"), "crm.lead",
     "[('type', '=', 'opportunity'), ('active', '=', True), ('probability', '<', 100)]",
     "create_date", "enter", "opportunity"),
    (_lt("Won opportunity"), "crm.lead", "[('type', '=', 'opportunity'), ('probability', '=', 100)]",
     "date_closed", "enter", "customer"),
    (_lt("Confirmed sale"), "sale.order", "[('state', '=', 'sale')]", "date_order", "enter", "customer"),
    (_lt("Posted customer invoice"), "account.move", "[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
     "invoice_date", "enter", "customer"),
    (_lt("No sale for 365 days"), "sale.order", "[('state', '=', 'sale')]", "date_order", "inactivity", "lost"),
    (_lt("No invoice for 365 days"), "account.move", "[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
     "invoice_date", "inactivity", "lost"),
]


class RelationshipStageRuleSuggestion(models.TransientModel):
    """Proposes the usual stage rules over CRM, Sales and Invoicing when installed, ready to accept."""

    _name = "relationship.stage.rule.suggestion"
    _description = "Suggested Stage Rules"

    pipeline_id = fields.Many2one(
        "relationship.pipeline", required=True, readonly=True,
        default=lambda self: self.env["relationship.pipeline"]._get_lifecycle())
    line_ids = fields.One2many("relationship.stage.rule.suggestion.line", "suggestion_id", string="Rules")

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.is_system():
            raise AccessError(_("Only administrators define stage rules: they read records of other applications."))
        suggestions = super().create(vals_list)
        for suggestion in suggestions.filtered(lambda s: not s.line_ids):
            suggestion.line_ids = [fields.Command.create(vals) for vals in suggestion._suggested_lines()]
        return suggestions

    def _suggested_lines(self):
        """One line per usual rule whose app is installed and that the pipeline does not have yet."""
        existing = self.env["relationship.stage.rule"].with_context(active_test=False).search(
            [("pipeline_id", "=", self.pipeline_id.id)])
        have = {(rule.model_name, rule.kind, rule.domain) for rule in existing}
        lines = []
        for name, model, domain, date_name, kind, which in SUGGESTIONS:
            stage = self._stage_for(which)
            if model not in self.env or not stage or (model, kind, domain) in have:
                continue
            lines.append({
                "name": str(name), "model_id": self.env["ir.model"]._get_id(model), "domain": domain, "kind": kind,
                "partner_field_id": self.env["ir.model.fields"]._get(model, "partner_id").id,
                "date_field_id": self.env["ir.model.fields"]._get(model, date_name).id, "stage_id": stage.id,
                "from_stage_ids": [fields.Command.set(self._stage_for("customers").ids)] if kind == "inactivity"
                else [], "inactivity_days": 365,
            })
        return lines

    def _stage_for(self, which):
        """The pipeline's stage for an opportunity (the last open stage before the customers), its first
        customer stage, its customer stages, or its first lost stage."""
        stages = self.pipeline_id.stage_ids.sorted(lambda s: (s.sequence, s.id))
        customers = stages.filtered(lambda s: s.stage_type == "customer")
        if which == "customers":
            return customers
        if which == "customer":
            return customers[:1]
        if which == "lost":
            return stages.filtered(lambda s: s.stage_type == "lost")[:1]
        first_customer = customers[:1]
        before = stages.filtered(lambda s: s.stage_type == "open" and (
            not first_customer or (s.sequence, s.id) < (first_customer.sequence, first_customer.id)))
        return before[-1:]

    def action_accept(self):
        """Create the accepted rules, then show them."""
        self.ensure_one()
        accepted = self.line_ids.filtered("accept")
        if not accepted:
            raise UserError(_("Tick at least one suggested rule to accept, or close this window."))
        rules = self.env["relationship.stage.rule"].create([line._rule_values() for line in accepted])
        return {"type": "ir.actions.act_window", "res_model": rules._name, "name": _("Stage Rules"),
                "views": [(False, "list"), (False, "form")], "domain": [("id", "in", rules.ids)]}
