from . import emag_account
