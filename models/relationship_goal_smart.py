from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import formatLang


class RelationshipGoal(models.Model):
    """The SMART check of a goal, its baseline and its activation.

    Kept apart from relationship_goal.py (the goal, its scope and what nobody may forge); measuring is in
    relationship_goal_measuring.py.
    """

    _inherit = "relationship.goal"

    # ------------------------------------------------------------------
    # SMART
    # ------------------------------------------------------------------
    def _smart_missing(self, baseline=None, best=None):
        """{letter: plain-words reason} for each SMART criterion this goal does not meet yet.

        baseline/best default to the stored ones; activation passes freshly measured values.
        """
        self.ensure_one()
        measured = baseline is not None or bool(self.date_baseline)
        baseline = self.baseline_value if baseline is None else baseline
        best = self.best_value if best is None else best
        missing = {}
        if not (self.name and (self.description or "").strip()):
            missing["s"] = _("Specific: describe what exactly should change, and for whom (Description).")
        measurable = self._smart_measurable_missing(measured, baseline)
        if measurable:
            missing["m"] = measurable
        if (self.kpi_id and measured and self.kpi_id._is_better(self.target_value, best)
                and not (self.achievability_note or "").strip()):
            missing["a"] = _("Achievable: the target (%(target)s) goes beyond the best value reached in an "
                             "equal-length period of the last two years (%(best)s): explain why it is within "
                             "reach in the Achievability Note, or lower the target.",
                             target=self._goal_number(self.target_value), best=self._goal_number(best))
        if not (self.relevance or "").strip():
            missing["r"] = _("Relevant: say why this goal matters to the business (Relevance).")
        if not (self.date_start and self.date_deadline and self.date_deadline > self.date_start):
            missing["t"] = _("Time-bound: set a start date and a deadline after it.")
        return missing

    def _smart_measurable_missing(self, measured, baseline):
        """Why the goal is not Measurable yet (a KPI, and a target that is a change for the better), or None."""
        if not self.kpi_id:
            return _("Measurable: choose the KPI that measures the goal.")
        if measured and self.target_value == baseline:
            return _("Measurable: the target equals the baseline (%(value)s): set a target that asks for "
                     "a change.", value=self._goal_number(baseline))
        if measured and not self.kpi_id._is_better(self.target_value, baseline):
            return _("Measurable: the target (%(target)s) is worse than the baseline (%(baseline)s) for "
                     "“%(kpi)s”, where %(direction)s.", target=self._goal_number(self.target_value),
                     baseline=self._goal_number(baseline), kpi=self.kpi_id.name,
                     direction=dict(self.kpi_id._fields["direction"]._description_selection(self.env))[
                         self.kpi_id.direction].lower())
        return None

    def _goal_number(self, value):
        # in the user's language: "12,50" in Turkish, and "6" rather than "6.00"
        return formatLang(self.env, value, digits=0 if value == round(value) else 2)

    def _measure_baseline(self, cache=None):
        """Baseline (the window just before the start) and best value over the last two years.

        ``cache`` {(kpi, window, scope): value} lets goals activated together share their windows' queries.
        """
        self.ensure_one()
        cache = {} if cache is None else cache
        kpi = self.kpi_id.sudo()
        key, kwargs = self._scope()
        values = []
        for start, end in kpi._history_windows(self.date_start, self._period_days()):
            if (kpi, start, end, key) not in cache:
                cache[(kpi, start, end, key)] = kpi.compute_value(start, end, **kwargs)
            values.append(cache[(kpi, start, end, key)])
        return values[0], kpi._best(values)

    # ------------------------------------------------------------------
    # Activation
    # ------------------------------------------------------------------
    def action_activate(self):
        """Activate SMART goals; one UserError lists every missing criterion of every goal."""
        self.check_access("write")  # the baseline is measured for those who may change the goal only
        self._activate()
        return True

    def _activate(self, today=None):
        """Activate as of ``today`` (default: today), and measure at once.

        The demo replays a past goal by activating it on its start day; callers checked the right to act.
        """
        today = today or fields.Date.context_today(self)
        errors, updates, cache = [], {}, {}
        for goal in self.filtered(lambda g: g.state == "draft"):
            baseline = best = None
            if goal.kpi_id and not goal._smart_missing().get("t"):
                baseline, best = goal._measure_baseline(cache)
            missing = goal._smart_missing(baseline, best)
            if missing:
                errors.append(_("The goal “%(goal)s” cannot be activated yet:", goal=goal.name))
                errors += ["- " + missing[letter] for letter in "smart" if letter in missing]
            else:
                updates[goal] = {"baseline_value": baseline, "best_value": best,
                                 "date_baseline": today, "state": "active"}
        if errors:
            raise UserError("\n".join(errors))
        activated = self.browse()
        for goal, vals in updates.items():
            goal._write_computed(vals)
            activated |= goal
        # measured at once: the current value and status show right after activation (closing a goal past
        # its deadline stays the daily measure's job)
        activated._measure(today, close=False)
