from . import relationship_funnel_report
