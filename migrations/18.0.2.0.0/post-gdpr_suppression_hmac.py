"""Version 1 stored SHA-256(address) on the suppression list, which a dictionary of addresses reverses.

Version 2 keys each row with HMAC-SHA256(per-database secret, SHA-256(address)), so the old rows are
converted in place without knowing the addresses. The secret is created here if the data file has not.
"""
import hashlib
import hmac
import secrets

SECRET_PARAM = "customer_relationship.gdpr_suppression_secret"


def migrate(cr, version):
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [SECRET_PARAM])
    row = cr.fetchone()
    if row and row[0]:
        secret = row[0]
    else:
        secret = secrets.token_hex(32)
        cr.execute("""
            INSERT INTO ir_config_parameter (key, value, create_date, write_date)
            VALUES (%s, %s, now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
        """, [SECRET_PARAM, secret])
    cr.execute("SELECT id, email_hash FROM gdpr_suppression")
    for row_id, old_hash in cr.fetchall():
        new_hash = hmac.new(secret.encode(), old_hash.encode(), hashlib.sha256).hexdigest()
        cr.execute("UPDATE gdpr_suppression SET email_hash = %s WHERE id = %s", [new_hash, row_id])
