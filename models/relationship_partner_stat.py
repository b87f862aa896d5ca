import functools

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from .res_partner_interaction_stats import INTERACTION_FIGURES
from .res_partner_interaction_stats import INTERACTION_STATS

# One row per (partner, company of the interactions): NULL companies (interactions shared by every
# company) are one key too, hence an index on an expression rather than a UNIQUE constraint.
UNIQUE_KEY = SQL("(partner_id, (COALESCE(company_id, 0)))")

# Adds interactions to the rows: {rows} gives (partner_id, company_id, number added, latest date)
ADD_STATEMENT = """INSERT INTO relationship_partner_stat AS s
       (partner_id, company_id, interaction_count, last_interaction_date)
{rows}
    ON CONFLICT {key} DO UPDATE
   SET interaction_count = s.interaction_count + EXCLUDED.interaction_count,
       last_interaction_date = GREATEST(s.last_interaction_date, EXCLUDED.last_interaction_date)"""


@functools.lru_cache(maxsize=64)
def add_statement(count=None):
    """The text of ADD_STATEMENT for ``count`` rows given as parameters (RelationshipPartnerStat._added_values),
    or, without ``count``, for the relation "added" of the statement it is part of (the capture of e-mails
    that may be logged already). Composed once per number of rows, as plain VALUES: the capture runs it for
    every e-mail, and a SELECT from VALUES took PostgreSQL a third longer to parse and plan (make bench P4)."""
    rows = "SELECT v.partner_id, v.company_id, v.added, v.last FROM added AS v" if count is None \
        else "VALUES " + ", ".join(["(%s, %s, %s, %s)"] * count)
    return ADD_STATEMENT.format(rows=rows, key=UNIQUE_KEY.code)


class RelationshipPartnerStat(models.Model):
    """A partner's interaction count and last contact, per company of the interactions.

    Written only by the addon (SQL increments on create, recounts on write, unlink and re-parenting);
    res.partner sums the rows of the companies the user acts for, so a company never sees figures built
    from another company's interactions. A company's row includes its contacts' interactions.
    """

    _name = "relationship.partner.stat"
    _description = "Partner Interaction Statistics per Company"
    _order = "last_interaction_date desc, id desc"
    _rec_name = "partner_id"
    # counters rewritten by every interaction: who and when last wrote one says nothing, and the two
    # foreign keys to the users were checked on every e-mail captured (make bench P4)
    _log_access = False

    # indexed by the unique index below, which starts with it
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="cascade",
                                 help="The company of the interactions counted; empty: interactions shared "
                                      "by every company.")
    interaction_count = fields.Integer(readonly=True)
    last_interaction_date = fields.Datetime(readonly=True, index=True, string="Last Contact")

    def init(self):
        create_unique_index(self.env.cr, "relationship_partner_stat_partner_company_uniq", self._table,
                            ["partner_id", "COALESCE(company_id, 0)"])

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_addon()
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_addon()
        return super().write(vals)

    def _check_written_by_addon(self):
        # the access rules give users read only; this also stops a group granted more by mistake
        if not self.env.su:
            raise AccessError(_("Interaction statistics are counted by the application from the interactions: "
                                "log, edit or delete interactions instead."))

    # ------------------------------------------------------------------
    # Maintenance (superuser SQL, batched)
    # ------------------------------------------------------------------
    @api.model
    def _add_interactions(self, interactions):
        """Add new interactions to their partner's and commercial partner's rows, in one statement.

        Increments rather than recounts: a busy customer's 10,000 interactions are not read again
        (make bench P3), and two workers adding to the same partner both count.
        """
        params, partner_ids = self._added_values(
            (interaction.partner_id.id, interaction.commercial_partner_id.id, interaction.company_id.id,
             interaction.date) for interaction in interactions)
        if params:
            self.env.cr.execute(SQL(add_statement(len(params) // 4), *params))
            self._invalidate_partners(partner_ids)

    @api.model
    def _added_values(self, interactions):
        """(parameters of add_statement, partner ids) of new interactions given as (partner, commercial
        partner, company, date): per partner and company, the number of interactions and the latest date."""
        added = {}
        for partner_id, commercial_partner_id, company_id, date in interactions:
            for owner in {partner_id, commercial_partner_id} - {False, None}:
                key = (owner, company_id or None)
                count, last = added.get(key, (0, None))
                added[key] = (count + 1, max(last, date) if last else date)
        return [value for key, (count, last) in added.items() for value in (*key, count, last)], \
            {partner_id for partner_id, _company in added}

    @api.model
    def _recount(self, partner_ids):
        """Recount the rows of these partners from their interactions (one statement).

        A commercial partner (company, or individual) counts the interactions of its contacts too.
        """
        partner_ids = sorted(set(partner_ids) - {False, None})
        if not partner_ids:
            return
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["relationship.interaction"].flush_model(["partner_id", "commercial_partner_id", "company_id", "date"])
        self.env.cr.execute(SQL(
            """WITH fresh AS (%(counts)s),
                    kept AS (%(upsert)s RETURNING s.id)
               DELETE FROM relationship_partner_stat
                WHERE partner_id = ANY(%(ids)s) AND id NOT IN (SELECT id FROM kept)""",
            counts=self._counts_sql(SQL("= ANY(%s)", partner_ids)),
            upsert=self._upsert_sql(SQL("fresh")), ids=partner_ids))
        self._invalidate_partners(partner_ids)

    @api.model
    def _counts_sql(self, partner_condition=None):
        """(partner_id, company_id, added, last) of every partner matching ``partner_condition`` (all)."""
        partner_condition = partner_condition or SQL("IS NOT NULL")
        return SQL(
            """SELECT i.commercial_partner_id AS partner_id, i.company_id, count(*) AS added, max(i.date) AS last
                 FROM relationship_interaction i
                WHERE i.commercial_partner_id %(condition)s
                GROUP BY i.commercial_partner_id, i.company_id
               UNION ALL
               SELECT i.partner_id, i.company_id, count(*), max(i.date)
                 FROM relationship_interaction i
                WHERE i.partner_id %(condition)s AND i.partner_id != i.commercial_partner_id
                GROUP BY i.partner_id, i.company_id""", condition=partner_condition)

    @api.model
    def _upsert_sql(self, fresh):
        return SQL(
            """INSERT INTO relationship_partner_stat AS s
                      (partner_id, company_id, interaction_count, last_interaction_date)
               SELECT v.partner_id, v.company_id, v.added, v.last FROM %(fresh)s v
               ON CONFLICT %(key)s DO UPDATE
                  SET interaction_count = EXCLUDED.interaction_count,
                      last_interaction_date = EXCLUDED.last_interaction_date""",
            fresh=fresh, key=UNIQUE_KEY)

    @api.model
    def _invalidate_partners(self, partner_ids):
        """Forget the partners' figures and what res.partner derives from them in memory (days since the last
        contact, the card's "Last Contacted"...): invalidating a field does not invalidate its dependents."""
        Partner = self.env["res.partner"]
        fnames = set(INTERACTION_FIGURES)
        for fname in INTERACTION_STATS:
            fnames.update(field.name for field in self.env.registry.get_dependent_fields(Partner._fields[fname])
                          if field.model_name == "res.partner")
        Partner.browse(partner_ids).invalidate_recordset(sorted(fnames))
        self.invalidate_model()

    # ------------------------------------------------------------------
    # Reading: the companies the user acts for
    # ------------------------------------------------------------------
    @api.model
    def _company_condition(self, alias="s"):
        """The rows of the companies the user currently acts for, and of interactions of no company."""
        return SQL("(%(company)s IS NULL OR %(company)s = ANY(%(ids)s))",
                   company=SQL.identifier(alias, "company_id"), ids=self.env.companies.ids)

    @api.model
    def _figures(self, partner_ids):
        """{partner id: (count, last contact)} over the user's companies, in one query."""
        partner_ids = [partner_id for partner_id in partner_ids if partner_id]  # new records have none
        if not partner_ids:
            return {}
        self.env.cr.execute(SQL(
            """SELECT s.partner_id, SUM(s.interaction_count), MAX(s.last_interaction_date)
                 FROM relationship_partner_stat s
                WHERE s.partner_id = ANY(%s) AND %s
                GROUP BY s.partner_id""", partner_ids, self._company_condition()))
        return {partner_id: (count, last) for partner_id, count, last in self.env.cr.fetchall()}

    @api.model
    def _figure_sql(self, partner_column, fname):
        """The figure of the partner in ``partner_column``, as an SQL expression (ordering, grouping)."""
        aggregate = SQL("MAX(s.last_interaction_date)") if fname == "last_interaction_date" \
            else SQL("SUM(s.interaction_count)")
        figure = SQL("(SELECT %s FROM relationship_partner_stat s WHERE s.partner_id = %s AND %s)",
                     aggregate, partner_column, self._company_condition())
        return figure if fname == "last_interaction_date" else SQL("COALESCE(%s, 0)", figure)

    @api.model
    def _partners_sql(self, where=None, having=None):
        """SELECT of the partners having rows over the user's companies (matching ``where`` / ``having``)."""
        return SQL(
            "(SELECT s.partner_id FROM relationship_partner_stat s WHERE %s AND %s GROUP BY s.partner_id %s)",
            self._company_condition(), where or SQL("TRUE"), SQL("HAVING %s", having) if having else SQL())
