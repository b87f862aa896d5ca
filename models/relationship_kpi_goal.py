from datetime import timedelta

from odoo import models


class RelationshipKpi(models.Model):
    """The goals' arithmetic on a KPI's figures: progress, expected progress, status, look-back windows.

    Kept on the KPI so every figure a goal shows has one definition (the figures are in
    relationship_kpi_compute.py and relationship_kpi_stage.py).
    """

    _inherit = "relationship.kpi"

    # A goal is on track while its progress is at most ON_TRACK_MARGIN points behind the share of
    # its period elapsed, at risk up to AT_RISK_MARGIN points behind, and off track beyond that.
    ON_TRACK_MARGIN = 10.0
    AT_RISK_MARGIN = 25.0
    # The achievability check looks back this many days, in windows of the goal's length.
    ACHIEVABILITY_LOOKBACK_DAYS = 730
    ACHIEVABILITY_MAX_WINDOWS = 24

    @staticmethod
    def _progress(baseline, target, current):
        """Share (0-100) of the way from baseline to target; works both for rises and falls."""
        if target == baseline:
            return 100.0 if current == target else 0.0
        return max(0.0, min(100.0, (current - baseline) / (target - baseline) * 100.0))

    @staticmethod
    def _expected_progress(date_start, date_deadline, date_measured):
        """Share (0-100) of the goal's period elapsed at date_measured."""
        total = (date_deadline - date_start).days
        if total <= 0:
            return 100.0
        return max(0.0, min(100.0, (date_measured - date_start).days / total * 100.0))

    @classmethod
    def _status(cls, progress, expected):
        if progress >= 100.0 or progress >= expected - cls.ON_TRACK_MARGIN:
            return "on_track"
        if progress >= expected - cls.AT_RISK_MARGIN:
            return "at_risk"
        return "off_track"

    def _is_better(self, value, reference):
        """True when value beats reference in this KPI's direction."""
        self.ensure_one()
        return value < reference if self.direction == "lower_is_better" else value > reference

    def _best(self, values):
        self.ensure_one()
        return min(values) if self.direction == "lower_is_better" else max(values)

    @staticmethod
    def _window(date_end, length_days):
        """The length_days days ending on date_end (included)."""
        return date_end - timedelta(days=length_days - 1), date_end

    @classmethod
    def _history_windows(cls, date_start, length_days):
        """Consecutive windows of length_days before date_start, newest (the baseline period) first."""
        count = max(1, min(cls.ACHIEVABILITY_LOOKBACK_DAYS // length_days, cls.ACHIEVABILITY_MAX_WINDOWS))
        return [cls._window(date_start - timedelta(days=1 + k * length_days), length_days) for k in range(count)]
