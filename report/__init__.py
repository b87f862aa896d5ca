from . import gdpr_request_report
from . import relationship_funnel_report
from . import relationship_funnel_summary
from . import relationship_goal_chart
