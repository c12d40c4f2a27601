from . import emag_order_cancel
from . import emag_awb_wizard
from . import emag_awb_wizard_line
from . import emag_rma_refuse
from . import stock_return_picking
from . import emag_campaign_proposal
from . import emag_campaign_proposal_line
from . import emag_campaign_proposal_interval
