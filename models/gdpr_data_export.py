import base64
import csv
import io
import json
import zipfile
from collections import defaultdict

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models

EXPORT_SCHEMA = "customer_relationship.gdpr_export/1"
PARTNER_EXPORT_FIELDS = [
    "name", "parent_id", "is_company", "type", "email", "phone", "mobile", "street", "street2", "zip", "city",
    "state_id", "country_id", "vat", "ref", "website", "function", "title", "lang", "comment", "active",
    "relationship_stage_id", "gdpr_restricted", "gdpr_objected",
    "create_date", "write_date",
]


class GdprDataExport(models.AbstractModel):
    """GDPR art. 15 and 20: the included lines of a request's plan, as a zip of JSON and CSV files."""

    _name = "gdpr.data.export"
    _description = "GDPR: Export the Data Subject's Records"

    @api.model
    def _export(self, request):
        document = self._document(request)
        filename = f"{request.name.replace('/', '_')}_export.zip"
        # sudo: the export is a workflow field (see gdpr.request WORKFLOW_FIELDS); only officers read it.
        request = request.sudo()
        request.write({"export_file": base64.b64encode(self._zip(document)), "export_filename": filename})
        # sudo: the field attachment of the export, named for the download
        attachment = self.env["ir.attachment"].sudo().search([
            ("res_model", "=", request._name), ("res_id", "=", request.id), ("res_field", "=", "export_file")],
            limit=1)
        attachment.name = filename
        counts = Markup("").join(
            Markup("<li>%s: %s</li>") % (model, len(rows)) for model, rows in document["records"].items())
        request.write({
            "export_attachment_id": attachment.id,
            "result": Markup("<p>%s</p><ul>%s</ul>") % (_("Export %(file)s attached:", file=filename), counts),
        })
        return attachment

    @api.model
    def _document(self, request):
        """The export: one read per model of the included lines, whatever the number of records."""
        env = self.env(su=True, context=dict(self.env.context, active_test=False))
        ids_by_model = defaultdict(list)
        for line in request.sudo().line_ids.filtered(lambda line: line.included and line.action == "export"):
            ids_by_model[line.res_model].append(line.res_id)
        records = {}
        for model_name, ids in sorted(ids_by_model.items()):
            model = env[model_name]
            field_names = PARTNER_EXPORT_FIELDS if model_name == "res.partner" else self._exported_fields(model)
            records[model_name] = [self._json_row(row) for row in model.browse(ids).exists().read(field_names)]
        subject_id = request.partner_id.id
        return {
            "schema": EXPORT_SCHEMA,
            "generated_at": fields.Datetime.to_string(fields.Datetime.now()),
            "request": {"name": request.name, "type": request.request_type,
                        "date_received": fields.Date.to_string(request.date_received)},
            "subject": next((row for row in records.get("res.partner", []) if row["id"] == subject_id), {}),
            "records": records,
        }

    @api.model
    def _exported_fields(self, model):
        return [name for name, field in model._fields.items()
                if field.store and field.type not in ("binary", "one2many", "many2many")
                and name not in models.MAGIC_COLUMNS and not (field.groups and "base.group_system" in field.groups)]

    @staticmethod
    def _json_row(row):
        """Many2one values become {"id", "name"}; dates become ISO strings."""
        clean = {}
        for key, value in row.items():
            if isinstance(value, tuple) and len(value) == 2:
                value = {"id": value[0], "name": value[1]}
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, bytes):
                value = None
            clean[key] = value
        return clean

    @staticmethod
    def _zip(document):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str))
            for model, rows in document["records"].items():
                if not rows:
                    continue
                text = io.StringIO()
                writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                writer.writeheader()
                for row in rows:
                    writer.writerow({key: value["name"] if isinstance(value, dict) else value
                                     for key, value in row.items()})
                archive.writestr(f"{model}.csv", text.getvalue())
        return buffer.getvalue()
