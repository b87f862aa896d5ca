
from . import gdpr_suppression_confirm
