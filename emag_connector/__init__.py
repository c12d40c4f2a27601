# The Odoo parts load only when Odoo loads this addon; the eMAG API layer
# (emag_api) is plain Python and importable on its own.
if __name__.startswith("odoo.addons."):
    from . import controllers, models, report, wizards
