"""The five eMAG platforms: where their API is, their country and currency.

The documentation (v4.4.9) still gives BGN as the default currency of eMAG
Bulgaria and Fashion Days Bulgaria; Bulgaria adopted the euro on 1 January
2026 (1.95583 BGN for one EUR), and both platforms sell in EUR since. An
amount of a document dated before that day is in BGN: ``currency_on`` says
which currency a platform used on a given day.
"""

from collections import namedtuple
from datetime import date, datetime

#: timezone: eMAG's dates (orders, filters) are local times of the platform
Platform = namedtuple(
    "Platform", "code name api_url country currency locale timezone site_url"
)

PLATFORMS = {
    p.code: p
    for p in (
        Platform(
            "emag_ro",
            "eMAG Romania",
            "https://marketplace-api.emag.ro/api-3",
            "RO",
            "RON",
            "ro_RO",
            "Europe/Bucharest",
            "https://www.emag.ro",
        ),
        Platform(
            "emag_bg",
            "eMAG Bulgaria",
            "https://marketplace-api.emag.bg/api-3",
            "BG",
            "EUR",
            "bg_BG",
            "Europe/Sofia",
            "https://www.emag.bg",
        ),
        Platform(
            "emag_hu",
            "eMAG Hungary",
            "https://marketplace-api.emag.hu/api-3",
            "HU",
            "HUF",
            "hu_HU",
            "Europe/Budapest",
            "https://www.emag.hu",
        ),
        Platform(
            "fd_ro",
            "Fashion Days Romania",
            "https://marketplace-ro-api.fashiondays.com/api-3",
            "RO",
            "RON",
            "ro_RO",
            "Europe/Bucharest",
            "https://www.fashiondays.ro",
        ),
        Platform(
            "fd_bg",
            "Fashion Days Bulgaria",
            "https://marketplace-bg-api.fashiondays.com/api-3",
            "BG",
            "EUR",
            "bg_BG",
            "Europe/Sofia",
            "https://www.fashiondays.bg",
        ),
    )
}

#: currencies a platform used before a day: (platform country, first day of
#: the current currency, the currency before it)
CURRENCY_CHANGES = {"BG": (date(2026, 1, 1), "BGN")}
#: currencies eMAG accepts for an offer besides the platform's (currency_type)
OFFER_CURRENCY_TYPES = ("EUR", "PLN")


def currency_on(platform, day=None):
    """The currency of ``platform``'s amounts on ``day`` (a date or datetime;
    today when None): RON, EUR, HUF, or BGN on eMAG and Fashion Days Bulgaria
    before 2026-01-01."""
    spec = PLATFORMS[platform]
    if day is None:
        day = date.today()
    if isinstance(day, datetime):
        day = day.date()
    change = CURRENCY_CHANGES.get(spec.country)
    if change and day < change[0]:
        return change[1]
    return spec.currency


def offer_currency_type(platform, currency, day=None):
    """The ``currency_type`` an offer priced in ``currency`` must carry on
    ``platform`` on ``day``: None in the platform's own currency (eMAG asks
    not to send the key then), the currency when eMAG accepts it (EUR, PLN);
    ValueError for any other currency."""
    if currency == currency_on(platform, day):
        return None
    if currency in OFFER_CURRENCY_TYPES:
        return currency
    raise ValueError(
        f"{PLATFORMS[platform].name} takes offers in {currency_on(platform, day)}"
        f" or in {' or '.join(OFFER_CURRENCY_TYPES)}, not in {currency}"
    )
