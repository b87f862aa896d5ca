"""The filter text of a record that counts records of another model (KPI, RFM source, stage rule)."""
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


def parse_filter(text, unreadable, not_a_list):
    """The conditions written in ``text`` as a list (none when it is empty), else a ValidationError.

    ``unreadable(error)`` and ``not_a_list()`` give the caller's message, which names its record: they are
    called on a refusal only, so that reading a valid filter translates nothing.
    """
    try:
        domain = safe_eval(text or "[]")
    except Exception as error:  # noqa: BLE001 - whatever the text's error, the filter cannot be read
        raise ValidationError(unreadable(error)) from error
    if not isinstance(domain, list | tuple):
        raise ValidationError(not_a_list())
    return list(domain)
