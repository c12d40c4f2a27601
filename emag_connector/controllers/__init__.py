from . import main
from . import invoice
from . import runjob
