from . import emag_order_cancel
