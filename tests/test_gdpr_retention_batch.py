"""Retention runs: one run of a rule at a time, and no query per record destroyed."""
from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.gdpr_retention_rule import LOCK_CLASS
from .gdpr_retention_common import LONG_AGO
from .gdpr_retention_common import NOW
from .gdpr_retention_common import RetentionCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestGdprRetentionBatch(RetentionCase):

    # ------------------------------------------------------------------
    # Concurrency: one run of a rule at a time
    # ------------------------------------------------------------------
    def test_concurrent_run_is_skipped(self):
        rule = self._rule("interaction", "erase")
        with self.registry.cursor() as other:
            other.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", LOCK_CLASS, rule.id))
            with self.assertRaises(UserError):
                rule.with_user(self.user_officer).action_run()
            self.assertFalse(rule._run("cron"), "the cron skips a rule another worker is running")
            self.assertTrue(self.i_old.exists())
            other.rollback()
        self.assertEqual(rule._run("cron").destroyed_count, 4)

    # ------------------------------------------------------------------
    # Batches: no query per record
    # ------------------------------------------------------------------
    def _measured_runs(self, rule, make_old, sizes):
        """The queries of a run for each size (after a first run that warms the caches up)."""
        rule._run("cron")
        counts = []
        for size in sizes:
            make_old(size)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            record = rule._run("cron")
            self.env.flush_all()  # as assertQueryCount does
            counts.append((self.cr.sql_log_count - before, record.destroyed_count))
        return counts

    def test_interaction_run_queries_do_not_grow_with_the_records(self):
        def make_old(size):
            self.env["relationship.interaction"].create([
                {"partner_id": self.recent.id, "subject": f"Old call {n}", "date": datetime(2020, 1, 1, 9, n)}
                for n in range(size)])
        rule = self._rule("interaction", "erase")
        (queries, destroyed), = self._measured_runs(rule, make_old, [2])
        self.assertEqual(destroyed, 2)
        make_old(20)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self.assertEqual(rule._run("cron").destroyed_count, 20)

    def test_partner_run_queries_do_not_grow_with_the_persons(self):
        """The erasure engine in batches: anonymising 20 persons costs what anonymising 4 does."""
        def make_old(size):
            partners = self.env["res.partner"].create([
                {"name": f"Dormant Person {size}-{n}", "email": f"dormant.{size}.{n}@example.org",
                 "phone": "+90 532 000 00 00"} for n in range(size)])
            self.env["relationship.interaction"].create([
                {"partner_id": partner.id, "subject": "Old call", "date": datetime(2019, 1, 1)}
                for partner in partners])
            for partner in partners:
                partner.message_post(body="Old note")
            self.env.flush_all()
            self.env.cr.execute(SQL("UPDATE res_partner SET create_date = %s WHERE id IN %s",
                                    LONG_AGO, tuple(partners.ids)))
            self.env.cr.execute(SQL("UPDATE mail_message SET date = %s WHERE model = 'res.partner' AND res_id IN %s",
                                    LONG_AGO, tuple(partners.ids)))
        rule = self._rule("partner", "anonymise")
        (small, small_destroyed), (large, large_destroyed) = self._measured_runs(rule, make_old, [4, 20])
        # Each person: the contact anonymised, its interaction and its note deleted.
        self.assertEqual((small_destroyed, large_destroyed), (12, 60))
        self.assertEqual(small, large, "queries of a run must not grow with the persons erased")

