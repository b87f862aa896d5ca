import os
import unicodedata

from odoo.tests.common import BaseCase

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Folders whose files users read (data, demo, translations, screens) or the Apps page shows.
SCANNED = ("data", "demo", "i18n", "views", "report", "security", "wizards", os.path.join("static", "description"))
EXTENSIONS = (".xml", ".csv", ".po", ".pot", ".html")
# Invisible in an editor, visible to users or to the systems reading the data: "info@firati̇nsaat" (with
# U+0307) is not the address anyone types; a non-breaking space splits no line and matches no search.
HIDDEN = {
    "\u0307": "COMBINING DOT ABOVE",
    "\u00a0": "NO-BREAK SPACE",
    "\u202f": "NARROW NO-BREAK SPACE",
    "\u00ad": "SOFT HYPHEN",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "BYTE ORDER MARK / ZERO WIDTH NO-BREAK SPACE",
    **{chr(code): unicodedata.name(chr(code)) for code in (*range(0x200E, 0x2010), *range(0x202A, 0x202F),
                                                          *range(0x2066, 0x206A))},
}


def scanned_files():
    for folder in SCANNED:
        for root, _dirs, files in os.walk(os.path.join(ADDON, folder)):
            for name in sorted(files):
                if name.endswith(EXTENSIONS):
                    yield os.path.join(root, name)


def hidden_characters(path):
    """[(line, column, character name)] of every hidden character in the file, a BOM at its start included."""
    with open(path, encoding="utf-8") as file:
        found = []
        for number, line in enumerate(file, 1):
            found += [(number, column, HIDDEN[char]) for column, char in enumerate(line, 1) if char in HIDDEN]
        return found


class TestHiddenCharacters(BaseCase):

    def test_scanner_finds_each_hidden_character(self):
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "hidden_characters_sample.xml")
        self.assertEqual(hidden_characters(path), [
            (1, 1, "BYTE ORDER MARK / ZERO WIDTH NO-BREAK SPACE"),
            (3, 36, "COMBINING DOT ABOVE"),
            (4, 28, "ZERO WIDTH SPACE"),
            (5, 27, "NO-BREAK SPACE"),
            (6, 29, "RIGHT-TO-LEFT OVERRIDE"),
        ])

    def test_data_files_have_no_hidden_characters(self):
        files = list(scanned_files())
        self.assertIn(os.path.join(ADDON, "demo", "relationship_pipeline_demo.xml"), files)
        found = {os.path.relpath(path, ADDON): hidden for path in files if (hidden := hidden_characters(path))}
        self.assertEqual(found, {}, "hidden characters (file: [(line, column, character)])")
