#!/usr/bin/env bash
# make pot: export i18n/customer_relationship.pot with Odoo's own exporter, then merge it into i18n/tr.po
# (existing translations of unchanged msgids are kept, new msgids added untranslated, obsolete ones dropped).
source "$(dirname "$0")/common.sh"
setup_all

fresh_addon_db cr_i18n

# The exporter walks the addons path following symlinks: through .run/addons/customer_relationship it would
# find the clone again inside .run (and any .venv). It reads a clean copy of the addon's files instead.
SRC="$RUN/i18n-src"
rm -rf "$SRC" && mkdir -p "$SRC/customer_relationship"
(cd "$ROOT" && git ls-files -co --exclude-standard -z -- ':!dev' ':!.ci' | xargs -0 tar cf -) \
    | tar xf - -C "$SRC/customer_relationship"
EXPORT_CONF="$RUN/odoo-i18n.conf"
sed "s#^addons_path = .*#addons_path = $SRC,$ODOO/addons,$ODOO/odoo/addons#" "$CONF" > "$EXPORT_CONF"

POT="$ROOT/i18n/customer_relationship.pot"
mkdir -p "$ROOT/i18n"
say "Exporting $POT."
"$VENV/bin/python" "$ODOO/odoo-bin" -c "$EXPORT_CONF" -d "$DB" --i18n-export="$POT" --modules=customer_relationship \
    --stop-after-init || die "Exporting the translation template failed."
rm -rf "$SRC" "$EXPORT_CONF"

"$VENV/bin/python" - "$POT" "$ROOT/i18n/tr.po" <<'PYEOF'
import os
import sys

import polib

pot_path, po_path = sys.argv[1:3]
pot = polib.pofile(pot_path, wrapwidth=78)
old = {}
if os.path.exists(po_path):
    for e in polib.pofile(po_path):
        if not e.obsolete:
            old[(e.msgctxt, e.msgid)] = e

po = polib.POFile(wrapwidth=78)
po.header = "Translation of Odoo Server.\nThis file contains the translation of the following modules:\n\t* customer_relationship\n"
po.metadata = dict(pot.metadata)
po.metadata.update({
    "Language": "tr",
    "Language-Team": "Turkish",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
})
kept = new = 0
for e in pot:
    prev = old.get((e.msgctxt, e.msgid))
    entry = polib.POEntry(
        msgid=e.msgid, msgctxt=e.msgctxt, occurrences=e.occurrences, comment=e.comment,
        tcomment=e.tcomment, flags=[f for f in e.flags if f != "fuzzy"],
    )
    if prev is not None and prev.msgstr:
        entry.msgstr = prev.msgstr
        if "fuzzy" in prev.flags:
            entry.flags.append("fuzzy")
        kept += 1
    else:
        entry.msgstr = ""
        new += 1
    po.append(entry)
dropped = len(set(old) - {(e.msgctxt, e.msgid) for e in pot})
po.save(po_path)
print(f"[customer_relationship] {len(pot)} msgids: {kept} translations kept, {new} untranslated, {dropped} obsolete dropped.",
      file=sys.stderr)
PYEOF
