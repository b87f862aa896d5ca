from . import test_access_matrix, test_bad_input_property, test_company_isolation, test_install
