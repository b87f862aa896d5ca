import os
import re
from collections import Counter

import polib

from odoo.tests.common import TransactionCase

I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
POT = os.path.join(I18N, "customer_relationship.pot")
TR_PO = os.path.join(I18N, "tr.po")

# Python %-formats (named or positional), str.format fields, QWeb/inline {{ }} expressions, HTML tags.
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[#0\- +]?\d*(?:\.\d+)?[sdifr]"
    r"|%[#0\- +]?\d*(?:\.\d+)?[sdifr]"
    r"|\{\{.*?\}\}"
    r"|\{[A-Za-z_0-9.]*(?:![rsa])?(?::[^{}]*)?\}"
)
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*?/?>")


def placeholders(text):
    return Counter(PLACEHOLDER.findall(text))


def tags(text):
    return Counter(match.group(0).startswith("</") and "/" + match.group(1).lower() or match.group(1).lower()
                   for match in TAG.finditer(text))


class TestTurkishCatalogue(TransactionCase):
    """tr.po covers the exported template entirely, keeps the placeholders and the markup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(POT)
        cls.po = polib.pofile(TR_PO)
        cls.translations = {(e.msgctxt, e.msgid): e for e in cls.po if not e.obsolete}

    def test_template_is_not_empty(self):
        self.assertGreater(len(self.pot), 100)
        self.assertEqual(self.po.metadata.get("Language"), "tr")

    def test_every_msgid_translated(self):
        missing, fuzzy = [], []
        for entry in self.pot:
            tr = self.translations.get((entry.msgctxt, entry.msgid))
            if tr is None or not tr.msgstr.strip():
                missing.append(entry.msgid)
            elif "fuzzy" in tr.flags:
                fuzzy.append(entry.msgid)
        self.assertFalse(missing, f"{len(missing)} msgids without Turkish translation, e.g. {missing[:5]}")
        self.assertFalse(fuzzy, f"{len(fuzzy)} fuzzy translations, e.g. {fuzzy[:5]}")

    def test_placeholders_and_markup_kept(self):
        broken = []
        for entry in self.pot:
            tr = self.translations.get((entry.msgctxt, entry.msgid))
            if tr is None or not tr.msgstr:
                continue
            if placeholders(entry.msgid) != placeholders(tr.msgstr):
                broken.append(("placeholders", entry.msgid, tr.msgstr))
            if tags(entry.msgid) != tags(tr.msgstr):
                broken.append(("markup", entry.msgid, tr.msgstr))
        self.assertFalse(broken, "\n".join(f"{kind}: {src!r} -> {dst!r}" for kind, src, dst in broken[:10]))

    def test_placeholder_checks_catch_mistakes(self):
        self.assertNotEqual(placeholders("%(name)s has %s"), placeholders("%(isim)s has %s"))
        self.assertNotEqual(placeholders("{count} partners"), placeholders("{sayı} iş ortağı"))
        self.assertNotEqual(tags("<b>Stage</b>"), tags("<b>Aşama"))
        self.assertEqual(tags('<span class="x">a</span> <br/>'), tags('<br/> <span class="x">b</span>'))


class TestTurkishLoaded(TransactionCase):
    """Once tr_TR is active and the addon's terms are loaded, menus and data read in Turkish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("tr_TR")
        cls.env["ir.module.module"]._load_module_terms(["customer_relationship"], ["tr_TR"], overwrite=True)
        cls.po = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(TR_PO) if not e.obsolete}

    def expected(self, source):
        turkish = self.po.get((None, source))
        self.assertTrue(turkish, f"{source!r} has no Turkish translation in tr.po")
        self.assertNotEqual(turkish, source)
        return turkish

    def assert_turkish(self, xmlid, field="name"):
        record = self.env.ref(xmlid)
        source = record.with_context(lang="en_US")[field]
        self.assertEqual(record.with_context(lang="tr_TR")[field], self.expected(source), xmlid)
        self.assertEqual(record.with_context(lang="en_US")[field], source)

    def test_root_menu_in_turkish(self):
        self.assert_turkish("customer_relationship.menu_relationship_root")
        self.assertEqual(self.env.ref("customer_relationship.menu_relationship_root").with_context(
            lang="tr_TR").name, "İlişkiler")

    def test_default_pipeline_in_turkish(self):
        self.assert_turkish("customer_relationship.pipeline_customer_lifecycle")
        self.assert_turkish("customer_relationship.pipeline_customer_lifecycle", "description")

    def test_kpi_in_turkish(self):
        self.assert_turkish("customer_relationship.kpi_acquisition")
        self.assert_turkish("customer_relationship.kpi_acquisition", "description")
