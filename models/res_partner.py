from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from .res_partner_interaction_stats import INTERACTION_FIGURES

# Kept up to date by the addon only (interaction statistics): users never write them.
COMPUTED_BY_ADDON = INTERACTION_FIGURES

# Cleared when a person's data is erased (bank accounts are unlinked).
PARTNER_ERASED_FIELDS = [
    "email", "phone", "mobile", "street", "street2", "zip", "city", "state_id", "country_id", "vat", "website",
    "comment", "image_1920", "function", "title", "ref", "company_name", "barcode",
    "company_registry",
]
GDPR_FLAGS = {"gdpr_restricted", "gdpr_objected"}
# Written by an executed erasure only (see gdpr.request._mark_erased).
GDPR_ERASURE_MARKS = {"gdpr_erasure_request_id", "gdpr_erasure_reference", "gdpr_erased_on"}


class ResPartnerComputedGuard(models.Model):
    """Drops the addon's interaction figures from users' create and write (last in MRO but the figures').

    Readonly in the views is no protection: an RPC call could send them. They are computed from
    relationship.partner.stat, which only the addon writes; dropped rather than refused, as before they
    were stored, because imports and Odoo's contact merge may send them back unchanged.
    """

    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._without_computed(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._without_computed(vals))

    @api.model
    def _without_computed(self, vals):
        if self.env.su:
            return vals
        return {name: value for name, value in vals.items() if name not in COMPUTED_BY_ADDON}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # Interaction log
    # ------------------------------------------------------------------
    interaction_ids = fields.One2many("relationship.interaction", "partner_id", string="Interactions")
    commercial_interaction_ids = fields.One2many(
        "relationship.interaction", "commercial_partner_id", string="Company Interactions")

    def action_log_interaction(self):
        """Quick form to log an interaction with this partner."""
        self._check_one_contact()
        return {
            "type": "ir.actions.act_window",
            "name": _("Log Interaction"),
            "res_model": "relationship.interaction",
            "view_mode": "form",
            "views": [(self.env.ref("customer_relationship.relationship_interaction_view_form_quick").id, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_view_interactions(self):
        self._check_one_contact()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relationship.action_relationship_interaction")
        field = "commercial_partner_id" if self.commercial_partner_id == self else "partner_id"
        action["domain"] = [(field, "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def _check_one_contact(self):
        # public buttons: an RPC call on several contacts gets a sentence, not "Expected singleton"
        if len(self) != 1:
            raise UserError(_("Open the interactions of one contact at a time."))

    # ------------------------------------------------------------------
    # Pipelines and stages
    # ------------------------------------------------------------------
    relationship_membership_ids = fields.One2many(
        "relationship.pipeline.membership", "partner_id", string="Pipelines", copy=False)
    relationship_stage_history_ids = fields.One2many(
        "relationship.stage.history", "partner_id", string="Stage History")

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._relationship_join_lifecycle()
        return partners

    def _relationship_join_lifecycle(self):
        """Put new partners in the first stage of their company's lifecycle pipeline, as the settings ask."""
        params = self.env["ir.config_parameter"].sudo()
        for_companies = params.get_param("customer_relationship.pipeline_new_companies", "True") == "True"
        for_contacts = params.get_param("customer_relationship.pipeline_new_contacts", "False") == "True"
        if not (for_companies or for_contacts) or self.env.context.get("relationship_no_pipeline"):
            return
        joining = self.filtered(lambda p: (for_companies if p.is_company else for_contacts)
                                and not p.relationship_membership_ids)
        pipelines = {}
        vals_list = []
        for partner in joining:
            company = partner.company_id
            if company not in pipelines:
                # sudo: users creating contacts need not read pipelines; the company filter is explicit
                pipelines[company] = self.env["relationship.pipeline"].sudo()._get_lifecycle(company or None)
            pipeline = pipelines[company]
            if pipeline and pipeline._first_stage():
                vals_list.append({"partner_id": partner.id, "pipeline_id": pipeline.id})
        # sudo: joining the lifecycle is part of creating a partner, which users without pipeline rights do
        self.env["relationship.pipeline.membership"].sudo().create(vals_list)

    # ------------------------------------------------------------------
    # GDPR
    # ------------------------------------------------------------------
    gdpr_restricted = fields.Boolean(
        string="Processing Restricted", copy=False, tracking=True, readonly=True,
        help="GDPR art. 18: while set, no new interactions, stage moves or outgoing e-mail for this partner.")

    def _check_gdpr_not_restricted(self, action):
        restricted = self.filtered("gdpr_restricted")
        if restricted:
            raise UserError(_(
                "Processing of %(partners)s is restricted under GDPR art. 18, so you cannot %(action)s. "
                "A Privacy Officer must lift the restriction first.",
                partners=", ".join(restricted.mapped("display_name")), action=action,
            ))


class ResPartnerGdpr(models.Model):
    """GDPR additions kept in their own class so the create/write checks stay apart from the pipeline code."""

    _inherit = "res.partner"

    gdpr_objected = fields.Boolean(
        string="Objected to Processing", copy=False, tracking=True, readonly=True,
        help="GDPR art. 21: the person objected; their e-mail is on the mail blacklist.")
    gdpr_consent_ids = fields.One2many("gdpr.consent", "partner_id", string="Consents")
    # Set by an executed erasure: the request's reference and date only, nothing about the person.
    gdpr_erasure_request_id = fields.Many2one(
        "gdpr.request", string="Erased under Request", readonly=True, copy=False, ondelete="set null",
        groups="customer_relationship.group_privacy_officer")
    gdpr_erasure_reference = fields.Char(string="Erasure Request", readonly=True, copy=False)
    gdpr_erased_on = fields.Date(string="Erased On", readonly=True, copy=False)
    gdpr_consent_count = fields.Integer(
        compute="_compute_gdpr_consent_count", groups="customer_relationship.group_privacy_officer")

    def _compute_gdpr_consent_count(self):
        counts = dict(self.env["gdpr.consent"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.gdpr_consent_count = counts.get(partner, 0)

    def action_view_gdpr_consents(self):
        self.ensure_one()
        self.env["gdpr.consent"].check_access("read")
        return {
            "type": "ir.actions.act_window", "name": _("Consents"), "res_model": "gdpr.consent",
            "view_mode": "list,form", "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }

    @api.model
    def _gdpr_check_suppression(self, emails):
        if self.env.context.get("gdpr_suppression_confirmed") and self.env.user.has_group(
                "customer_relationship.group_privacy_officer"):
            return
        suppressed = self.env["gdpr.suppression"]._suppressed_emails(emails)
        if suppressed:
            raise UserError(_(
                "%(emails)s belongs to a person who asked for their data to be erased (GDPR suppression list), "
                "so it cannot be saved on a contact. Remove the e-mail, or ask a Privacy Officer to confirm "
                "a new, lawful basis for processing it.", emails=", ".join(suppressed)))

    def _gdpr_check_flags(self, vals_list):
        """Restriction and objection change only through a request an officer executes (logged in privacy.log).

        On create a flag may only be left unset; on write only its current value may be repeated.
        """
        if self.env.su:
            return
        for vals in vals_list:
            flags = GDPR_FLAGS & set(vals)
            changed = any(vals[flag] for flag in flags) if not self else any(
                partner[flag] != bool(vals[flag]) for partner in self for flag in flags)
            if changed:
                raise AccessError(_(
                    "“Processing Restricted” and “Objected to Processing” change only when a Privacy Officer "
                    "executes a restriction or objection request."))

    def _gdpr_check_erasure_marks(self, vals_list):
        """Only an executed erasure says a contact was erased (a forged banner would hide a live person)."""
        if self.env.su:
            return
        for vals in vals_list:
            marks = GDPR_ERASURE_MARKS & set(vals)
            changed = any(vals[mark] for mark in marks) if not self else any(
                partner[mark] != partner._fields[mark].convert_to_record(
                    partner._fields[mark].convert_to_cache(vals[mark], partner), partner)
                for partner in self for mark in marks)
            if changed:
                raise AccessError(_("Only an executed erasure request marks a contact as erased."))

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._gdpr_check_flags(vals_list)
        self.browse()._gdpr_check_erasure_marks(vals_list)
        self._gdpr_check_suppression([vals.get("email") for vals in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        self._gdpr_check_flags([vals])
        self._gdpr_check_erasure_marks([vals])
        if vals.get("email"):
            self._gdpr_check_suppression([vals["email"]])
        return super().write(vals)

    def _gdpr_anonymous_name(self):
        return _("Anonymized %(id)s", id=self.id)

    def _gdpr_unlink_bank_accounts(self):
        """Delete the bank accounts, and the notes Invoicing logs on the partner about it (they hold the number)."""
        if not self.bank_ids:
            return
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        before = self.env.cr.fetchone()[0]
        self.bank_ids.unlink()
        # sudo: the erasure removes every trace of the person, whoever may read these notes
        self.env["mail.message"].sudo().search(
            [("model", "=", "res.partner"), ("res_id", "in", self.ids), ("id", ">", before)]).unlink()

    def _gdpr_anonymise(self):
        """GDPR art. 17: keep the row (other records may point to it) but nothing that identifies the person.

        In batches (a retention run anonymises many persons): one write clears and archives them all; the names,
        which hold each row's id, go in one UPDATE, and the ORM then recomputes what depends on them."""
        if not self:
            return
        self._gdpr_unlink_bank_accounts()
        vals = dict.fromkeys([name for name in PARTNER_ERASED_FIELDS if name in self._fields], False)
        partners = self.with_context(tracking_disable=True, bin_size=True)
        # Clearing a picture costs queries per row: only where there is one.
        with_image = partners.filtered("image_1920") if "image_1920" in vals else partners.browse()
        vals.pop("image_1920", None)
        partners.write({**vals, "active": False})
        with_image.write({"image_1920": False})
        names = SQL(", ").join(SQL("(%s, %s)", partner.id, partner._gdpr_anonymous_name()) for partner in self)
        self.flush_recordset()
        self.env.cr.execute(SQL(
            "UPDATE res_partner AS p SET name = v.name FROM (VALUES %s) AS v(id, name) WHERE p.id = v.id", names))
        self.invalidate_recordset(["name"])
        self.modified(["name"])
