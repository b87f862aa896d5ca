from . import test_install
from . import test_access_matrix
from . import test_company_isolation
from . import test_bad_input_property
