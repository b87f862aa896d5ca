"""Version 2 shows registrants their requests through registered_by_id: fill it for existing requests."""


def migrate(cr, version):
    cr.execute("UPDATE gdpr_request SET registered_by_id = create_uid WHERE registered_by_id IS NULL")
