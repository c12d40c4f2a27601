from . import (
    test_callbacks,
    test_emag_account,
    test_emag_money,
    test_emag_offer,
    test_emag_order,
    test_emag_order_intake,
    test_emag_rma,
    test_invoice_attachment,
    test_pg_rate_budget,
    test_reference_data,
    test_res_partner,
    test_translations,
)
from . import test_emag_awb
from . import test_emag_overview
from . import test_emag_margin
from . import test_emag_vendor_bills
from . import test_emag_campaign
from . import test_emag_call_log
from . import test_emag_tours
