from . import emag_account
from . import account_move
from . import emag_order
from . import l10n_ro_edi_document
from . import account_edi_xml_ubl_ro
