import base64
import io
import zipfile
from datetime import date
from datetime import datetime

from .gdpr_common import GdprCase


class TestGdprProfilingAndStatistics(GdprCase):
    """What the addon derives from the person's interactions.

    RFM scores profile the person (art. 15 and 22): exported and erased. Interaction statistics are
    counts recounted from the interactions: never a record of the person's, and gone with the interactions.
    """

    def setUp(self):
        super().setUp()
        self.env["relationship.interaction"].create([
            {"partner_id": self.subject.id, "subject": f"Order call {n}", "date": datetime(2026, 2, n + 1, 9)}
            for n in range(3)])
        self.env["res.partner"]._rfm_recompute(date(2026, 3, 1))
        self.score = self.env["relationship.rfm.score"].search([("partner_id", "=", self.subject.id)])
        self.stat = self.env["relationship.partner.stat"].search([("partner_id", "=", self.subject.id)])

    def test_access_exports_the_rfm_scores_not_the_statistics(self):
        self.assertTrue(self.score.segment, "fixture: the person is scored")
        self.assertEqual(self.stat.interaction_count, 3, "fixture: the person's interactions are counted")
        request = self._verified("access")
        request.action_execute()
        models = set(request.line_ids.mapped("res_model"))
        self.assertIn("relationship.rfm.score", models)
        self.assertNotIn("relationship.partner.stat", models)
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(request.export_attachment_id.datas)))
        self.assertIn("Customer RFM Score.csv", archive.namelist())
        self.assertNotIn("Partner Interaction Statistics per Company.csv", archive.namelist())

    def test_erasure_removes_the_scores_and_leaves_no_statistics(self):
        request = self._verified("erasure")
        request.action_prepare_plan()
        actions = {(line.res_model, line.action) for line in request.line_ids}
        self.assertIn(("relationship.rfm.score", "delete"), actions)
        self.assertNotIn("relationship.partner.stat", request.line_ids.mapped("res_model"))
        self._execute_erasure(request)
        self.assertFalse(self.score.exists())
        self.assertFalse(self.env["relationship.interaction"].search([("partner_id", "=", self.subject.id)]))
        self.assertFalse(self.stat.exists(), "the recount after deleting the interactions removed the row")
        # the nightly recomputation does not score the erased (archived) person again
        self.env["res.partner"]._rfm_recompute(date(2026, 3, 1))
        self.assertFalse(self.env["relationship.rfm.score"].search([("partner_id", "=", self.subject.id)]))
