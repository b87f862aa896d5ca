from collections import defaultdict
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.osv.expression import AND
from odoo.osv.expression import OR
from odoo.tools import SQL

NEVER_CONTACTED_DAYS = 99999
# Partners reminded per transaction by the contact-cadence cron.
CADENCE_BATCH_SIZE = 200
INTERACTION_STATS = ("interaction_count", "last_interaction_date")
# Kept up to date by the addon only (interaction statistics): users never write them.
COMPUTED_BY_ADDON = INTERACTION_STATS

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
    """Drops the addon's counters and stage date from users' create and write (first in file, last in MRO).

    Readonly in the views is no protection: an RPC call could set them. They are dropped rather than
    refused because Odoo's contact merge writes every stored field of the merged contacts back, these
    included. The addon itself writes them as superuser.
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
    # stored with the last contact date (one grouped query computes both): the partner list shows
    # them at no extra query (make bench, P2)
    interaction_count = fields.Integer(compute="_compute_interaction_stats", store=True)
    last_interaction_date = fields.Datetime(
        compute="_compute_interaction_stats", store=True, index=True, string="Last Contact")

    days_since_last_interaction = fields.Integer(
        compute="_compute_days_since_last_interaction", search="_search_days_since_last_interaction",
        string="Days Since Last Contact", help="Partners never contacted count as not contacted for 99999 days.")
    # no default: nothing is written to every partner at install; empty means the settings' cadence
    contact_cadence_days = fields.Integer(
        string="Contact Cadence (days)", aggregator=None,
        help="Contact this partner at least every this many days; empty (0) means the default cadence of the "
             "settings.")
    needs_attention = fields.Boolean(
        compute="_compute_needs_attention", search="_search_needs_attention",
        help="The contact cadence is exceeded: nobody talked to this partner within the cadence.")

    _sql_constraints = [
        ("contact_cadence_days_positive", "CHECK(contact_cadence_days >= 0)",
         "The contact cadence cannot be negative: enter a number of days, or 0 for the default cadence."),
    ]

    @api.model
    def _default_contact_cadence_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("customer_relationship.default_cadence_days", "30")
        try:
            return max(int(value), 0)
        except ValueError:
            return 0

    @api.depends("last_interaction_date")
    def _compute_days_since_last_interaction(self):
        now = fields.Datetime.now()
        for partner in self:
            last = partner.last_interaction_date
            partner.days_since_last_interaction = (now - last).days if last else NEVER_CONTACTED_DAYS

    def _search_days_since_last_interaction(self, operator, value):
        """Turn “not contacted for N days” into a range on the stored, indexed last contact date."""
        if operator not in ("<", "<=", ">", ">=", "=") or not isinstance(value, int):
            raise UserError(_("Filter “Days Since Last Contact” with a whole number of days and <, <=, >, >= or =."))
        now = fields.Datetime.now()
        # days = floor((now - last) / 1 day): days >= N  <=>  last <= now - N days
        def at_least(days):
            return [("last_interaction_date", "<=", now - timedelta(days=days))]

        def below(days):
            return [("last_interaction_date", ">", now - timedelta(days=days))]
        never = [("last_interaction_date", "=", False)]
        if operator == ">=":
            return OR([at_least(value), never])
        if operator == ">":
            return OR([at_least(value + 1), never])
        if operator == "<":
            return below(value)
        if operator == "<=":
            return below(value + 1)
        return AND([at_least(value), below(value + 1)])

    @api.depends("last_interaction_date", "contact_cadence_days")
    def _compute_needs_attention(self):
        now = fields.Datetime.now()
        default = self._default_contact_cadence_days()
        for partner in self:
            cadence = partner.contact_cadence_days or default
            last = partner.last_interaction_date
            partner.needs_attention = bool(cadence) and (not last or last <= now - timedelta(days=cadence))

    def _search_needs_attention(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("The “Needs Attention” filter only accepts “is set” or “is not set”."))
        self.flush_model(["last_interaction_date", "contact_cadence_days"])
        cadence = SQL("COALESCE(NULLIF(contact_cadence_days, 0), %s)", self._default_contact_cadence_days())
        overdue = SQL(
            """(SELECT id FROM res_partner WHERE %(cadence)s > 0 AND (last_interaction_date IS NULL
                OR last_interaction_date <= %(now)s - %(cadence)s * INTERVAL '1 day'))""",
            cadence=cadence, now=fields.Datetime.now())
        return [("id", "in" if (operator == "=") == value else "not in", overdue)]

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

    @api.model
    def _cadence_reminder_domain(self, activity_type):
        """Partners owed a reminder: in an open or customer stage of a pipeline, cadence exceeded, none open.

        Never users' partners (archived users such as OdooBot included), the database's own companies,
        archived partners, or contacts of a company (reminded through their company, which counts their
        interactions).
        """
        return [
            ("needs_attention", "=", True),
            "|", ("is_company", "=", True), ("parent_id", "=", False),
            # Nobody is reminded to contact a person who objected or whose processing is restricted (GDPR).
            ("gdpr_objected", "=", False), ("gdpr_restricted", "=", False),
            ("relationship_membership_ids", "any", [("active", "=", True), ("stage_type", "in", ("open", "customer"))]),
            ("id", "not in", SQL("(SELECT partner_id FROM res_users WHERE partner_id IS NOT NULL)")),
            ("id", "not in", SQL("(SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)")),
            ("id", "not in", SQL(
                "(SELECT res_id FROM mail_activity WHERE res_model = 'res.partner' AND activity_type_id = %s)",
                activity_type.id)),
        ]

    @api.model
    def _cron_contact_cadence(self, batch_size=CADENCE_BATCH_SIZE):
        """One “Contact customer” activity per partner owed a reminder, one batch per transaction.

        The cron commits after each batch and runs again at once while partners remain (Odoo's cron
        progress), so row locks (SKIP LOCKED: two workers never handle the same partner) stay short.
        """
        activity_type = self.env.ref("customer_relationship.mail_activity_type_contact_customer")
        domain = self._cadence_reminder_domain(activity_type)
        batch = self.search(domain, limit=batch_size, order="id")
        locked = self.browse()
        if batch:
            self.env.cr.execute(SQL(
                "SELECT id FROM res_partner WHERE id IN %s FOR UPDATE SKIP LOCKED", tuple(batch.ids)))
            locked = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        admin = self.env.ref("base.user_admin")
        self.env["mail.activity"].sudo().create([{
            "res_model_id": model_id,
            "res_id": partner.id,
            "activity_type_id": activity_type.id,
            "summary": _("Not contacted for %(days)s days", days=partner.days_since_last_interaction)
            if partner.last_interaction_date else _("Never contacted"),
            "user_id": (partner.user_id or admin).id,
            "date_deadline": today,
        } for partner in locked])
        remaining = self.search_count(domain) if len(batch) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(locked), remaining=remaining)
        return locked

    def _interaction_owner_domain(self):
        """Companies (commercial partners) count their contacts' interactions too."""
        commercial = self.filtered(lambda p: p.commercial_partner_id == p)
        return commercial, self - commercial

    @api.depends("interaction_ids.date", "commercial_interaction_ids.date", "commercial_partner_id")
    def _compute_interaction_stats(self):
        stats = self._interaction_stats()
        for partner in self:
            partner.last_interaction_date, partner.interaction_count = stats.get(partner.id, (False, 0))

    @api.model
    def _interaction_stats_pending(self):
        """Partners whose interaction statistics are already due for a full recount."""
        return self.union(*(self.env.records_to_compute(self._fields[name]) for name in INTERACTION_STATS))

    @api.model
    def _interaction_stats_add(self, interactions, pending):
        """Add new interactions to their partners' statistics in one UPDATE.

        The stored compute would recount every interaction of the partner (10,000 for a busy customer,
        make bench P4). Partners already due for a recount (``pending``, e.g. re-parented) keep it.
        """
        added = defaultdict(lambda: [0, None])
        for interaction in interactions:
            for partner_id in {interaction.partner_id.id, interaction.commercial_partner_id.id} - {False}:
                count, last = added[partner_id]
                added[partner_id] = [count + 1, max(last, interaction.date) if last else interaction.date]
        partners = self.browse(added) - pending
        if not partners:
            return
        for name in INTERACTION_STATS:
            self.env.remove_to_compute(self._fields[name], partners)
        self.flush_model(INTERACTION_STATS)
        self.env.cr.execute(self._interaction_stats_update_sql(SQL(
            "(VALUES %s) AS v(id, added, last)",
            SQL(", ").join(SQL("(%s, %s, %s::timestamp)", pid, *added[pid]) for pid in partners.ids))))
        partners.invalidate_recordset(INTERACTION_STATS)

    @api.model
    def _interaction_stats_update_sql(self, added):
        """UPDATE adding ``added`` (a relation of partner id, number of new interactions, latest date)."""
        return SQL(
            """UPDATE res_partner p
                  SET interaction_count = COALESCE(p.interaction_count, 0) + v.added,
                      last_interaction_date = GREATEST(p.last_interaction_date, v.last)
                 FROM %s
                WHERE p.id = v.id""", added)

    def _interaction_stats(self):
        """{partner id: (last date, count)}: one grouped query per kind of partner, whatever their number."""
        result = {}
        Interaction = self.env["relationship.interaction"].sudo()
        commercial, contacts = self._interaction_owner_domain()
        for records, field in ((commercial, "commercial_partner_id"), (contacts, "partner_id")):
            ids = [pid for pid in records.ids if pid]
            if not ids:
                continue
            for partner, last, count in Interaction._read_group(
                    [(field, "in", ids)], [field], ["date:max", "__count"]):
                result[partner.id] = (last, count)
        return result

    # ------------------------------------------------------------------
    # Pipelines and stages
    # ------------------------------------------------------------------
    relationship_membership_ids = fields.One2many(
        "relationship.pipeline.membership", "partner_id", string="Pipelines", copy=False)
    relationship_stage_id = fields.Many2one(
        "relationship.stage", string="Lifecycle Stage", index=True, readonly=True, copy=False,
        compute="_compute_relationship_stage_id", store=True,
        help="The partner's stage in its company's lifecycle pipeline; other pipelines do not change it.")
    relationship_stage_history_ids = fields.One2many(
        "relationship.stage.history", "partner_id", string="Stage History")
    relationship_stage_type = fields.Selection(related="relationship_stage_id.stage_type", string="Stage Type")

    @api.depends("relationship_membership_ids.stage_id", "relationship_membership_ids.active",
                 "relationship_membership_ids.is_lifecycle", "company_id")
    def _compute_relationship_stage_id(self):
        for partner in self:
            lifecycle = partner.relationship_membership_ids.filtered(lambda m: m.active and m.is_lifecycle)
            # the partner's own company's lifecycle first, then the shared one
            ranked = lifecycle.sorted(lambda m, company=partner.company_id: m.pipeline_id.company_id != company)
            partner.relationship_stage_id = ranked[:1].stage_id

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._relationship_join_lifecycle()
        return partners

    def write(self, vals):
        if "relationship_stage_id" in vals:
            # an import that writes the current lifecycle stage again changes nothing
            if any(partner.relationship_stage_id.id != (vals["relationship_stage_id"] or False) for partner in self):
                raise UserError(_(
                    "The lifecycle stage follows the partner's place in the lifecycle pipeline: move the "
                    "partner on the pipeline board, or in the Pipelines tab of the contact."))
            vals = {key: value for key, value in vals.items() if key != "relationship_stage_id"}
        return super().write(vals)

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

    def _gdpr_anonymise(self):
        """GDPR art. 17: keep the row (other records may point to it) but nothing that identifies the person.

        In batches (a retention run anonymises many persons): one write clears and archives them all; the names,
        which hold each row's id, go in one UPDATE, and the ORM then recomputes what depends on them."""
        if not self:
            return
        self.bank_ids.unlink()
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
