import operator as py_operator
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

NEVER_CONTACTED_DAYS = 99999
# Partners reminded per transaction by the contact-cadence cron.
CADENCE_BATCH_SIZE = 200
# Figures summed from relationship.partner.stat over the companies the user acts for.
INTERACTION_STATS = ("interaction_count", "last_interaction_date")
INTERACTION_FIGURES = (*INTERACTION_STATS, "days_since_last_interaction", "needs_attention")
COMPARISONS = {"=": py_operator.eq, "!=": py_operator.ne, "<": py_operator.lt, "<=": py_operator.le,
               ">": py_operator.gt, ">=": py_operator.ge}
# the figures differ per user and per set of active companies: never cached across them
FIGURES_CONTEXT = ("uid", "allowed_company_ids")
RELATIONSHIP_USER = "customer_relationship.group_relationship_user"


class ResPartnerInteractionStats(models.Model):
    """A partner's interaction figures, as seen from the companies the user currently acts for.

    Company A's users never get a figure built from company B's interactions on a shared contact.
    One query reads the figures of a whole page of partners (relationship.partner.stat, indexed);
    ordering, grouping and the filters are SQL on the same rows.
    """

    _inherit = "res.partner"

    interaction_count = fields.Integer(
        compute="_compute_interaction_stats", search="_search_interaction_count", groups=RELATIONSHIP_USER,
        help="Interactions of the companies you are working in (a company's include its contacts').")
    last_interaction_date = fields.Datetime(
        compute="_compute_interaction_stats", search="_search_last_interaction_date", string="Last Contact",
        groups=RELATIONSHIP_USER)
    days_since_last_interaction = fields.Integer(
        compute="_compute_days_since_last_interaction", search="_search_days_since_last_interaction",
        string="Days Since Last Contact", groups=RELATIONSHIP_USER,
        help="Partners never contacted count as not contacted for 99999 days.")
    # no default: nothing is written to every partner at install; empty means the settings' cadence
    contact_cadence_days = fields.Integer(
        string="Contact Cadence (days)", aggregator=None,
        help="Contact this partner at least every this many days; empty (0) means the default cadence of the "
             "settings.")
    needs_attention = fields.Boolean(
        compute="_compute_needs_attention", search="_search_needs_attention", groups=RELATIONSHIP_USER,
        help="The contact cadence is exceeded: nobody of your companies talked to this partner within it.")

    _sql_constraints = [
        ("contact_cadence_days_positive", "CHECK(contact_cadence_days >= 0)",
         "The contact cadence cannot be negative: enter a number of days, or 0 for the default cadence."),
    ]

    @api.depends_context(*FIGURES_CONTEXT)
    def _compute_interaction_stats(self):
        if not self:
            return
        origin_ids = self._origin._ids
        figures = self.env["relationship.partner.stat"]._figures(origin_ids)
        counts, lasts = zip(*(figures.get(origin_id, (0, None)) for origin_id in origin_ids), strict=True)
        # straight into the cache, as the ORM does for fetched columns: a page of 80 partners is set in
        # two calls instead of 160 assignments (make bench P2)
        self.env.cache.update(self, self._fields["interaction_count"], counts)
        self.env.cache.update(self, self._fields["last_interaction_date"], lasts)

    @api.depends("last_interaction_date")
    @api.depends_context(*FIGURES_CONTEXT)
    def _compute_days_since_last_interaction(self):
        now = fields.Datetime.now()
        for partner in self:
            last = partner.last_interaction_date
            partner.days_since_last_interaction = (now - last).days if last else NEVER_CONTACTED_DAYS

    @api.depends("last_interaction_date", "contact_cadence_days")
    @api.depends_context(*FIGURES_CONTEXT)
    def _compute_needs_attention(self):
        now = fields.Datetime.now()
        default = self._default_contact_cadence_days()
        for partner in self:
            cadence = partner.contact_cadence_days or default
            last = partner.last_interaction_date
            partner.needs_attention = bool(cadence) and (not last or last <= now - timedelta(days=cadence))

    @api.model
    def _default_contact_cadence_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("customer_relationship.default_cadence_days", "30")
        try:
            return max(int(value), 0)
        except ValueError:
            return 0

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # ordering the list, grouping by "Last Contact Month" and the pivot read the same rows as the figures
        if fname in INTERACTION_STATS:
            self.check_field_access_rights("read", [fname])
            return self.env["relationship.partner.stat"]._figure_sql(SQL.identifier(alias, "id"), fname)
        return super()._field_to_sql(alias, fname, query, flush)

    # ------------------------------------------------------------------
    # Filters: subqueries on the statistics of the user's companies
    # ------------------------------------------------------------------
    def _search_interaction_count(self, operator, value):
        self.check_field_access_rights("read", ["interaction_count"])
        if operator not in COMPARISONS or not isinstance(value, int):
            raise UserError(_("Filter “Interaction Count” with a whole number and =, !=, <, <=, > or >=."))
        value = int(value)  # “is set” sends False
        having = SQL("SUM(s.interaction_count) %s %s", SQL(operator), value)
        # partners without rows have no interaction: 0
        if COMPARISONS[operator](0, value):
            return [("id", "not in", self._stat_partners(having=SQL("NOT (%s)", having)))]
        return [("id", "in", self._stat_partners(having=having))]

    def _search_last_interaction_date(self, operator, value):
        self.check_field_access_rights("read", ["last_interaction_date"])
        if value in (False, None) and operator in ("=", "!="):
            return [("id", "not in" if operator == "=" else "in", self._stat_partners())]
        try:
            value = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError):
            value = None
        if operator not in COMPARISONS or not value:
            raise UserError(_("Filter “Last Contact” with a date and =, !=, <, <=, > or >=, or “is (not) set”."))
        if operator in (">", ">="):  # the latest is after the date: any row is
            return [("id", "in", self._stat_partners(where=SQL("s.last_interaction_date %s %s", SQL(operator), value)))]
        if operator == "!=":  # never contacted partners too
            return [("id", "not in", self._stat_partners(having=SQL("MAX(s.last_interaction_date) = %s", value)))]
        latest = SQL("MAX(s.last_interaction_date) %s %s", SQL(operator), value)
        return [("id", "in", self._stat_partners(having=latest))]

    def _search_days_since_last_interaction(self, operator, value):
        """“Not contacted for N days”: no row of the user's companies with a contact in the last N days."""
        self.check_field_access_rights("read", ["days_since_last_interaction"])
        if operator not in ("<", "<=", ">", ">=", "=") or not isinstance(value, int):
            raise UserError(_("Filter “Days Since Last Contact” with a whole number of days and <, <=, >, >= or =."))
        now = fields.Datetime.now()

        def contacted_within(days):  # days since < days  <=>  last contact > now - days
            return self._stat_partners(where=SQL("s.last_interaction_date > %s", now - timedelta(days=days)))
        if operator in (">=", ">"):
            return [("id", "not in", contacted_within(value + (operator == ">")))]
        if operator in ("<", "<="):
            return [("id", "in", contacted_within(value + (operator == "<=")))]
        return [("id", "not in", contacted_within(value)), ("id", "in", contacted_within(value + 1))]

    def _search_needs_attention(self, operator, value):
        # Odoo checks the fields' groups when reading, not when searching through a method: a filter
        # would otherwise answer yes/no questions about interactions the user cannot read
        self.check_field_access_rights("read", ["needs_attention"])
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("The “Needs Attention” filter only accepts “is set” or “is not set”."))
        self.flush_model(["contact_cadence_days"])
        cadence = SQL("COALESCE(NULLIF(p.contact_cadence_days, 0), %s)", self._default_contact_cadence_days())
        overdue = SQL(
            """(SELECT p.id FROM res_partner p WHERE %(cadence)s > 0 AND NOT EXISTS (
                   SELECT 1 FROM relationship_partner_stat s
                    WHERE s.partner_id = p.id AND %(companies)s
                      AND s.last_interaction_date > %(now)s - %(cadence)s * INTERVAL '1 day'))""",
            cadence=cadence, now=fields.Datetime.now(),
            companies=self.env["relationship.partner.stat"]._company_condition())
        return [("id", "in" if (operator == "=") == value else "not in", overdue)]

    def _stat_partners(self, where=None, having=None):
        return self.env["relationship.partner.stat"]._partners_sql(where, having)

    # ------------------------------------------------------------------
    # Maintenance when partners change company or go
    # ------------------------------------------------------------------
    def write(self, vals):
        if not {"parent_id", "is_company"} & set(vals):
            return super().write(vals)
        # a contact joining or leaving a company moves its interactions between commercial partners
        before = self.commercial_partner_id
        result = super().write(vals)
        self.env["relationship.partner.stat"]._recount((before | self | self.commercial_partner_id).ids)
        return result

    def unlink(self):
        # the database deletes the contacts' interactions (cascade): their companies are recounted
        commercial = self.commercial_partner_id - self
        result = super().unlink()
        self.env["relationship.partner.stat"]._recount(commercial.exists().ids)
        return result

    # ------------------------------------------------------------------
    # Contact cadence reminders
    # ------------------------------------------------------------------
    @api.model
    def _cadence_reminder_domain(self, activity_type, company=None):
        """Partners owed a reminder: in an open or customer stage of a pipeline, cadence exceeded, none open.

        ``company``'s relationships (its partners, and shared partners in its pipelines), else the shared
        ones (shared partners in shared pipelines); the figures are those of the companies in the
        environment. Never users' partners (archived users such as OdooBot included), the database's own
        companies, archived partners, or contacts of a company (reminded through their company, which
        counts their interactions).
        """
        membership = [("active", "=", True), ("stage_type", "in", ("open", "customer"))]
        shared = [("company_id", "=", False), ("relationship_membership_ids", "any", [
            *membership, ("pipeline_id.company_id", "=", company.id if company else False)])]
        owner = ["|", ("company_id", "=", company.id), "&", *shared] if company else shared
        return [
            *owner,
            ("relationship_membership_ids", "any", membership),
            ("needs_attention", "=", True),
            "|", ("is_company", "=", True), ("parent_id", "=", False),
            # Nobody is reminded to contact a person who objected or whose processing is restricted (GDPR).
            ("gdpr_objected", "=", False), ("gdpr_restricted", "=", False),
            ("id", "not in", SQL("(SELECT partner_id FROM res_users WHERE partner_id IS NOT NULL)")),
            ("id", "not in", SQL("(SELECT partner_id FROM res_company WHERE partner_id IS NOT NULL)")),
            ("id", "not in", SQL(
                "(SELECT res_id FROM mail_activity WHERE res_model = 'res.partner' AND activity_type_id = %s)",
                activity_type.id)),
        ]

    @api.model
    def _cadence_passes(self, activity_type):
        """(partners with the figures of, domain): each company with its own, then shared ones with all."""
        companies = self.env["res.company"].sudo().search([], order="sequence, id")
        for company in [*companies, None]:
            Partner = self.with_context(allowed_company_ids=(company or companies).ids)
            yield Partner, Partner._cadence_reminder_domain(activity_type, company)

    @api.model
    def _cron_contact_cadence(self, batch_size=CADENCE_BATCH_SIZE):
        """One “Contact customer” activity per partner owed a reminder, one batch per transaction.

        Each company's relationships are judged on its own interactions: another company's call does not
        hide that this one has not called. A contact shared by every company, in a shared pipeline, is
        judged on every company's. The cron commits after each batch and runs again at once while
        partners remain (Odoo's cron progress), so row locks (SKIP LOCKED: two workers never handle the
        same partner) stay short.
        """
        activity_type = self.env.ref("customer_relationship.mail_activity_type_contact_customer")
        done, remaining = self.browse(), 0
        for Partner, domain in self._cadence_passes(activity_type):
            if len(done) < batch_size:
                done |= Partner._cadence_remind(domain, batch_size - len(done), activity_type)
            if len(done) >= batch_size:
                remaining += Partner.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(done), remaining=remaining)
        return done.with_env(self.env)

    @api.model
    def _cadence_remind(self, domain, limit, activity_type):
        batch = self.search(domain, limit=limit, order="id")
        if not batch:
            return batch
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id IN %s FOR UPDATE SKIP LOCKED", tuple(batch.ids)))
        locked = self.browse(sorted(row[0] for row in self.env.cr.fetchall()))
        admin = self.env.ref("base.user_admin")
        model_id = self.env["ir.model"]._get_id("res.partner")
        today = fields.Date.context_today(self)
        vals_list = []
        for partner in locked:
            user = partner.user_id or admin
            # the summary is read by the assignee: in their language (env._, not _: no frame to guess it from)
            env = self.with_context(lang=user.lang or self.env.lang).env
            vals_list.append({
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "summary": env._("Not contacted for %(days)s days", days=partner.days_since_last_interaction)
                if partner.last_interaction_date else env._("Never contacted"),
                "user_id": user.id,
                "date_deadline": today,
            })
        # sudo: the reminder is assigned to the partner's salesperson, whoever runs the cron
        self.env["mail.activity"].sudo().create(vals_list)
        return locked
