from collections import defaultdict

from odoo import api
from odoo import models


class ReportGdprRequest(models.AbstractModel):
    """The answer letter of a privacy request, written for the person in their language.

    It names the categories of their data held (from the processing register), what was done, their rights
    under the company's law at the time of the request (GDPR or KVKK) and how to complain; never a model name.
    """

    _name = "report.customer_relationship.report_gdpr_request"
    _description = "Privacy Request: Answer Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["gdpr.request"].browse(docids)
        return {"doc_ids": docids, "doc_model": "gdpr.request", "docs": docs,
                "letters": {doc.id: self._letter(doc) for doc in docs}}

    @api.model
    def _letter(self, request):
        lang = self.env["gdpr.data.export"]._person_locale(request)[0]
        env = self.with_context(lang=lang).env
        texts = self.with_env(env)
        kvkk = request.regime == "kvkk"
        return {
            "lang": lang,
            "type": texts._type_label(request.request_type),
            "outcome": texts._outcome(request),
            "categories": texts._categories(request) if request.state == "done" else [],
            "deadline_rule": env._(
                "We answer within thirty days of receiving your application, free of charge (KVKK art. 13).")
            if kvkk else env._(
                "We answer within one month of receiving your request, free of charge; where necessary, given "
                "the complexity and number of requests, this may be extended by two further months, and we "
                "tell you why within the first month (GDPR art. 12(3) and 12(5))."),
            "rights_intro": env._("Under the Law on the Protection of Personal Data No. 6698 (KVKK), art. 11, "
                                  "you have the right:") if kvkk else
            env._("Under the General Data Protection Regulation (GDPR), you have the right:"),
            "rights": texts._rights(kvkk),
            "complaint": env._(
                "If your application is refused, you find our answer insufficient, or we do not answer in time, "
                "you may complain to the Personal Data Protection Board (Kişisel Verileri Koruma Kurulu) within "
                "thirty days of learning our answer, and in any case within sixty days of the date of your "
                "application (KVKK art. 14).") if kvkk else env._(
                "You have the right to lodge a complaint with a supervisory authority, in particular in the "
                "Member State of your habitual residence, place of work or of the alleged infringement (GDPR "
                "art. 77), and to seek a judicial remedy (GDPR art. 79)."),
        }

    @api.model
    def _type_label(self, request_type):
        return {
            "access": self.env._("Access to your personal data"),
            "rectification": self.env._("Correction of your personal data"),
            "erasure": self.env._("Erasure of your personal data"),
            "restriction": self.env._("Restriction of the processing of your personal data"),
            "portability": self.env._("A copy of your personal data to take elsewhere (portability)"),
            "objection": self.env._("Objection to the processing of your personal data"),
        }.get(request_type, "")

    @api.model
    def _outcome(self, request):
        _ = self.env._
        if request.state == "rejected":
            return _("We cannot act on your request, for the following reason:")
        if request.state != "done":
            return _("We have received your request and will answer it by the date above.")
        return {
            "access": _("We hold the personal data about you described below. A copy of it, one file per "
                        "category and a machine-readable file (data.json), is sent to you through a secure "
                        "channel."),
            "portability": _("A copy of the personal data you gave us, one file per category and a "
                             "machine-readable file (data.json) you may pass on to another controller, is sent "
                             "to you through a secure channel. The data concerned is described below."),
            "erasure": _("We erased or anonymised your personal data as described below. What the law obliges "
                         "us to keep is kept for the period it requires, and for no other use."),
            "rectification": _("We corrected your personal data as you asked."),
            "restriction": _("We restricted the processing of your personal data: we keep it, but no longer use "
                             "it or send you e-mails until the restriction is lifted."),
            "objection": _("We recorded your objection: we no longer process your personal data for that "
                           "purpose and no longer send you marketing e-mails."),
        }.get(request.request_type, "")

    @api.model
    def _categories(self, request):
        """[{name, data_held, purposes, legal_basis, recipients, retention, source, count, actions}] of the
        records the request concerned, by category of the register (or kind of record when none)."""
        # sudo: the plan and the register are the officer's, who prints the letter; ir.model names the kinds
        lines = request.sudo().line_ids.filtered("included")
        register = self.env["gdpr.data.category"]._by_model(request.company_id)
        actions = dict(self.env["gdpr.request.line"]._fields["action"]._description_selection(self.env))
        grouped = defaultdict(lambda: defaultdict(int))
        reasons = defaultdict(set)
        for line in lines:
            key = register.get(line.res_model) or line.res_model
            grouped[key][line.action] += 1
            if line.action == "keep" and line.reason:
                reasons[key].add(line.reason)
        result = []
        for key, per_action in grouped.items():
            category = key if not isinstance(key, str) else None
            name = category.with_env(self.env).name if category else self.env["ir.model"].sudo()._get(key).name
            result.append({
                "name": name, "category": category and category.with_env(self.env),
                "count": sum(per_action.values()),
                "actions": ", ".join(f"{actions[action]}: {count}" for action, count in sorted(per_action.items())
                                     if action != "export"),
                "kept": "; ".join(sorted(reasons[key])),
            })
        return sorted(result, key=lambda row: (row["category"].sequence if row["category"] else 1000, row["name"]))

    @api.model
    def _rights(self, kvkk):
        _ = self.env._
        if kvkk:
            return [
                _("to learn whether your personal data is processed, and to ask for information about it;"),
                _("to learn the purpose of the processing and whether your data is used for that purpose;"),
                _("to know the third parties, in the country or abroad, to whom your data is transferred;"),
                _("to ask for your data to be corrected if it is incomplete or inaccurate, and for the correction "
                  "to be passed on to those third parties;"),
                _("to ask for your data to be erased or destroyed under the conditions of article 7, and for this "
                  "to be passed on to those third parties;"),
                _("to object to a result against you that arises from the analysis of your data exclusively by "
                  "automated systems;"),
                _("to claim compensation if you suffer damage from unlawful processing of your data."),
            ]
        return [
            _("to access your personal data and receive a copy of it (art. 15);"),
            _("to have inaccurate data corrected and incomplete data completed (art. 16);"),
            _("to have your data erased (art. 17);"),
            _("to have the processing restricted (art. 18);"),
            _("to receive the data you gave us in a machine-readable format and pass it on (art. 20);"),
            _("to object to processing based on legitimate interests, and at any time to direct marketing "
              "(art. 21);"),
            _("to withdraw your consent at any time, without affecting the processing before (art. 7(3))."),
        ]
