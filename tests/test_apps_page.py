import ast
import os
import re
import struct

from odoo.tests.common import BaseCase

ADDON = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DESCRIPTION = os.path.join(ADDON, "static", "description")


def png_size(path):
    """(width, height) from the PNG header."""
    with open(path, "rb") as file:
        header = file.read(24)
    if header[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path} is not a PNG")
    return struct.unpack(">II", header[16:24])


class TestAppsPage(BaseCase):
    """What the Apps page shows is true: who wrote the addon, and pictures of the real screens."""

    def test_manifest_metadata(self):
        with open(os.path.join(ADDON, "__manifest__.py"), encoding="utf-8") as file:
            manifest = ast.literal_eval(file.read())
        self.assertEqual(manifest["author"], "Customer Relationship Toolkit contributors")
        # "Learn More" opens the website: none is given until the project has a real address
        self.assertNotIn("website", manifest)
        self.assertIn("GDPR and KVKK", manifest["summary"])

    def test_every_screenshot_exists_and_is_a_full_width_capture(self):
        with open(os.path.join(DESCRIPTION, "index.html"), encoding="utf-8") as file:
            sources = re.findall(r'<img [^>]*src="([^"]+)"', file.read())
        self.assertEqual(sources, [
            "screenshot_overview.png", "screenshot_interactions.png", "screenshot_pipeline.png",
            "screenshot_goal.png", "screenshot_goal_chart.png", "screenshot_gdpr.png", "screenshot_segments.png"])
        for source in sources:
            width, height = png_size(os.path.join(DESCRIPTION, source))
            # make screenshots: 1440 wide, cut below the content (at least 480, at most the 900 of the screen)
            self.assertEqual(width, 1440, source)
            self.assertTrue(480 <= height <= 900, (source, height))
