from . import main
from . import invoice
