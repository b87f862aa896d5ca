import base64
import csv
import io
import json
import zipfile
from collections import defaultdict

import pytz
from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import html2plaintext

EXPORT_SCHEMA = "customer_relationship.gdpr_export/1"
PARTNER_EXPORT_FIELDS = [
    "name", "parent_id", "is_company", "type", "email", "phone", "mobile", "street", "street2", "zip", "city",
    "state_id", "country_id", "vat", "ref", "website", "function", "title", "lang", "comment", "active",
    "relationship_stage_id", "gdpr_restricted", "gdpr_objected",
    "create_date", "write_date",
]
# What the person reads of the records Odoo itself keeps about them; other models export their stored fields.
CURATED_FIELDS = {
    "res.partner": PARTNER_EXPORT_FIELDS,
    "mail.message": ["date", "author_id", "email_from", "subject", "body", "message_type", "res_id"],
    "mail.mail": ["date", "email_from", "email_to", "email_cc", "subject", "body_html", "state", "res_id"],
    "mail.followers": ["res_id", "partner_id"],
    "mail.activity": ["activity_type_id", "summary", "note", "date_deadline", "user_id", "res_id"],
    "ir.attachment": ["name", "description", "mimetype", "file_size", "create_date", "res_id"],
    "mail.blacklist": ["email", "active", "create_date"],
}
# Technical columns that mean nothing to the person (the document a record is on becomes its own column).
TECHNICAL_FIELDS = {"res_model", "model", "res_model_id", "message_id", "access_token", "email_normalized",
                    "mail_message_id_int", "res_field", "store_fname", "checksum", "index_content"}
HTML_TEXT_FIELDS = {"body_html"}  # Text fields of mail that hold HTML
DOCUMENT_MODEL_FIELDS = ("res_model", "model")


class GdprDataExport(models.AbstractModel):
    """GDPR art. 15 and 20, KVKK art. 11: the included lines of a request's plan, as a zip the person can read.

    One CSV per category of the processing register (named in the person's language, columns the fields'
    labels, values as the person reads them) and data.json beside them for portability.
    """

    _name = "gdpr.data.export"
    _description = "GDPR: Export the Data Subject's Records"

    @api.model
    def _export(self, request):
        document, tables = self._collect(request)
        filename = f"{request.name.replace('/', '_')}_export.zip"
        # sudo: the export is a workflow field (see gdpr.request WORKFLOW_FIELDS); only officers read it.
        request = request.sudo()
        request.write({"export_file": base64.b64encode(self._zip(document, tables)), "export_filename": filename})
        # sudo: the field attachment of the export, named for the download
        attachment = self.env["ir.attachment"].sudo().search([
            ("res_model", "=", request._name), ("res_id", "=", request.id), ("res_field", "=", "export_file")],
            limit=1)
        attachment.name = filename
        counts = Markup("").join(Markup("<li>%s: %s</li>") % (table["file"], len(table["rows"])) for table in tables)
        request.write({
            "export_attachment_id": attachment.id,
            "result": Markup("<p>%s</p><ul>%s</ul>") % (_("Export %(file)s attached:", file=filename), counts),
        })
        return attachment

    @api.model
    def _document(self, request):
        return self._collect(request)[0]

    @api.model
    def _collect(self, request):
        """(the JSON document, the CSV tables): one read per model of the included lines, whatever the number
        of records, in the person's language."""
        lang, tz = self._person_locale(request)
        env = self.env(su=True, context=dict(self.env.context, active_test=False, lang=lang, tz=tz))
        ids_by_model = defaultdict(list)
        # One query for the plan, not one per thousand lines of it (a person may have tens of thousands).
        lines = env["gdpr.request.line"].search_fetch(
            [("request_id", "=", request.id), ("included", "=", True), ("action", "=", "export")],
            ["res_model", "res_id"])
        for line in lines:
            ids_by_model[line.res_model].append(line.res_id)
        categories = env["gdpr.data.category"]._by_model(request.company_id)
        records, tables = {}, []
        for model_name, ids in sorted(ids_by_model.items()):
            model = env[model_name]
            field_names = self._export_field_names(model)
            link = self._document_model_field(model)
            rows = model.browse(ids).exists().read(field_names + ([link] if link else []))
            records[model_name] = [self._json_row(row) for row in rows]
            tables.append({"model": model_name, "fields": field_names, "rows": rows,
                           "category": categories.get(model_name)})
        self._name_files(env, tables)
        subject_id = request.partner_id.id
        document = {
            "schema": EXPORT_SCHEMA,
            "generated_at": fields.Datetime.to_string(fields.Datetime.now()),
            "language": lang,
            "request": {"name": request.name, "type": request.request_type,
                        "date_received": fields.Date.to_string(request.date_received)},
            "subject": next((row for row in records.get("res.partner", []) if row["id"] == subject_id), {}),
            "files": {table["file"]: table["model"] for table in tables},
            "records": records,
        }
        for table in tables:
            table["lines"] = self._csv_lines(env, table)
        return document, tables

    @api.model
    def _person_locale(self, request):
        """The language and time zone the person reads: their contact's, else the company's."""
        langs = {code for code, _name in self.env["res.lang"].get_installed()}
        partner, company_partner = request.partner_id, request.company_id.partner_id
        lang = next((code for code in (partner.lang, company_partner.lang, self.env.lang) if code in langs), "en_US")
        tz = partner.tz or company_partner.tz or self.env.user.tz or "UTC"
        return lang, tz

    @api.model
    def _export_field_names(self, model):
        if model._name in CURATED_FIELDS:
            return [name for name in CURATED_FIELDS[model._name] if name in model._fields]
        return [name for name in self._exported_fields(model) if name not in TECHNICAL_FIELDS]

    @api.model
    def _exported_fields(self, model):
        return [name for name, field in model._fields.items()
                if field.store and field.type not in ("binary", "one2many", "many2many")
                and name not in models.MAGIC_COLUMNS and not (field.groups and "base.group_system" in field.groups)]

    @api.model
    def _name_files(self, env, tables):
        """“Contact details.csv”: the category's name, or the kind of record's when the register has none."""
        per_category = defaultdict(int)
        for table in tables:
            per_category[table["category"]] += 1
        for table in tables:
            kind = env["ir.model"]._get(table["model"]).name
            category = table["category"]
            title = category.name if category and per_category[category] == 1 else \
                f"{category.name} - {kind}" if category else kind
            table["file"] = "".join("-" if char in '/\\:*?"<>|' else char for char in title) + ".csv"

    @api.model
    def _csv_lines(self, env, table):
        """Header (the fields' labels) and rows as the person reads them: no codes, no HTML, no False."""
        model = env[table["model"]]
        described = model.fields_get(table["fields"], attributes=["string", "type", "selection"])
        lang = env["res.lang"]._get_data(code=env.lang)
        formats = {"date": lang.date_format, "datetime": f"{lang.date_format} {lang.time_format}",
                   "tz": pytz.timezone(env.context.get("tz") or "UTC"), "decimal": lang.decimal_point,
                   "yes": env._("Yes"), "no": env._("No")}
        documents = self._documents(env, model, table["rows"])
        columns = [name for name in table["fields"] if name != "res_id"]
        header = [described[name]["string"] for name in columns]
        if documents is not None:
            header.append(env._("Document"))
        lines = [header]
        for row in table["rows"]:
            line = [self._cell(row[name], described[name], name, formats) for name in columns]
            if documents is not None:
                line.append(documents.get(row["id"], ""))
            lines.append(line)
        return lines

    @staticmethod
    def _document_model_field(model):
        """The field naming the kind of record a row is attached to (with res_id), if the model has one."""
        if "res_id" not in model._fields:
            return None
        return next((name for name in DOCUMENT_MODEL_FIELDS if name in model._fields), None)

    @api.model
    def _documents(self, env, model, rows):
        """{row id: “Kind: name”} of the record each row is attached to, one query per kind of record;
        None when the model has no such link."""
        model_field = self._document_model_field(model)
        if not model_field:
            return None
        by_model = defaultdict(dict)
        for row in rows:
            if isinstance(row[model_field], str) and row.get("res_id") and row[model_field] in env:
                by_model[row[model_field]][row["id"]] = row["res_id"]
        documents = {}
        for model_name, targets in by_model.items():
            kind = env["ir.model"]._get(model_name).name
            records = env[model_name].browse(set(targets.values())).exists()
            names = dict(zip(records.ids, records.mapped("display_name"), strict=True))
            for row_id, res_id in targets.items():
                documents[row_id] = f"{kind}: {names[res_id]}" if res_id in names else kind
        return documents

    @staticmethod
    def _cell(value, field, name, formats):
        kind = field["type"]
        if kind == "boolean":
            return formats["yes"] if value else formats["no"]
        if value is False or value is None:
            return ""
        if kind == "selection":
            return dict(field.get("selection") or []).get(value, value)
        if kind == "many2one":
            return value[1]
        if kind == "date":
            return value.strftime(formats["date"])
        if kind == "datetime":
            return pytz.utc.localize(value).astimezone(formats["tz"]).strftime(formats["datetime"])
        if kind == "html" or name in HTML_TEXT_FIELDS:
            return html2plaintext(value)
        if kind in ("float", "monetary"):
            return f"{value:g}".replace(".", formats["decimal"])
        return str(value)

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
    def _zip(document, tables):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False, default=str))
            for table in tables:
                if len(table["lines"]) < 2:
                    continue
                text = io.StringIO()
                text.write("\ufeff")  # the BOM makes spreadsheets read the file as UTF-8 (ç, ğ, ı, ö, ş, ü)
                csv.writer(text).writerows(table["lines"])
                archive.writestr(table["file"], text.getvalue())
        return buffer.getvalue()
