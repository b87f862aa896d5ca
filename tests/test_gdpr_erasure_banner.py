from unittest.mock import patch

from odoo.tests import freeze_time
from odoo.tools.translate import code_translations

from .gdpr_common import GdprCase

SOURCE = "Erased under privacy request %(reference)s on %(date)s."
# A translator's order: the reference first, the date in the middle (what Turkish wants).
TURKISH = "%(reference)s sayılı gizlilik talebiyle %(date)s tarihinde silindi."


@freeze_time("2026-11-23 10:00:00")
class TestGdprErasureBanner(GdprCase):
    """The erased contact's banner is one translatable sentence: the reference and the date, nothing else."""

    def setUp(self):
        super().setUp()
        self.request = self._verified("erasure")
        self._execute_erasure(self.request, self.user_officer)
        self.erased = self.subject.with_context(active_test=False)

    def _banner(self, user, lang):
        return self.erased.with_user(user).with_context(lang=lang).gdpr_erasure_banner

    def test_english_sentence(self):
        banner = self._banner(self.user_rel, "en_US")
        self.assertEqual(banner, f"Erased under privacy request <strong>{self.request.name}</strong> on "
                                 "<strong>11/23/2026</strong>.")
        for personal in ("Zebulon", "Quixotewright", "example.org", "Namur"):
            self.assertNotIn(personal, banner)

    def test_translator_writes_one_sentence(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        with patch.object(code_translations, "get_python_translations", return_value={SOURCE: TURKISH}) as lookup:
            banner = self._banner(self.user_rel, "tr_TR")
        self.assertEqual(lookup.call_args.args, ("customer_relationship", "tr_TR"))
        # the Turkish date format of res.lang (day first) and the translator's word order
        self.assertEqual(banner, f"<strong>{self.request.name}</strong> sayılı gizlilik talebiyle "
                                 "<strong>23-11-2026</strong> tarihinde silindi.")

    def test_reference_is_escaped(self):
        # sudo: only an erasure writes the marks; a hostile reference shows how the banner escapes it
        self.erased.sudo().gdpr_erasure_reference = "<img src=x onerror=alert(1)>"
        self.assertIn("<strong>&lt;img src=x onerror=alert(1)&gt;</strong>", self._banner(self.user_rel, "en_US"))

    def test_living_contact_has_no_banner(self):
        living = self.env["res.partner"].create({"name": "Living Person"})
        self.assertFalse(living.with_user(self.user_rel).gdpr_erasure_banner)
