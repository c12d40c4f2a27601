from . import test_emag_account, test_pg_rate_budget, test_translations
