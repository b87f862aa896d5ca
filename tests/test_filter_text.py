"""The filter text of a KPI and of a record source (RFM source, stage rule) is read by one function.

Each caller keeps its own messages, word for word: they are the msgids translated in i18n/tr.po.
"""
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models.filter_text import parse_filter
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestFilterText(RelationshipCase):

    def refusal(self, read):
        with self.assertRaises(ValidationError) as caught:
            read()
        return str(caught.exception)

    def test_a_readable_list_is_the_domain(self):
        def never(*_args):
            raise AssertionError("no message on success")

        self.assertEqual(parse_filter("[('channel', '=', 'phone')]", never, never), [("channel", "=", "phone")])
        self.assertEqual(parse_filter("(('channel', '=', 'phone'),)", never, never), [("channel", "=", "phone")])
        self.assertEqual(parse_filter(False, never, never), [])
        self.assertEqual(parse_filter("", never, never), [])

    def refusal_of(self, model, method, domain):
        # a new record each time: the refusal's savepoint rollback clears the cache, where a new record lives
        record = self.env[model].new({"name": "Phone hours", "domain": domain})
        return self.refusal(getattr(record, method))

    def test_kpi_messages(self):
        self.assertRegex(self.refusal_of("relationship.kpi", "_custom_domain", "[('channel', '=', "),
                         r"^The filter of the KPI “Phone hours” cannot be read: .+\.$")
        self.assertEqual(self.refusal_of("relationship.kpi", "_custom_domain", "{}"),
                         "The filter of the KPI “Phone hours” must be a list of conditions.")

    def test_record_source_messages(self):
        self.assertRegex(self.refusal_of("relationship.rfm.source", "_source_domain", "[('channel', '=', "),
                         r"^The filter of “Phone hours” cannot be read: .+\.$")
        self.assertEqual(self.refusal_of("relationship.rfm.source", "_source_domain", "42"),
                         "The filter of “Phone hours” must be a list of conditions.")
