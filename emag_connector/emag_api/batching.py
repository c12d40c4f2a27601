"""Request-size rules of eMAG: pages, date windows, save batches.

- Reads return at most 100 items a page (1.3); read until a short page.
- Order date filters span at most one month (5.4).
- Bulk saves carry at most 50 entities (1.5), and no request may hold more
  than 4000 input elements (1.4): over it eMAG saves nothing at all.
"""

from datetime import timedelta

MAX_PAGE_SIZE = 100
MAX_ENTITIES = 50
MAX_ELEMENTS = 4000
#: "Maximum 1 month difference": 28 days is within a month whatever the month.
MAX_ORDER_WINDOW = timedelta(days=28)
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def count_elements(value):
    """Number of input elements of a payload, as eMAG counts them.

    eMAG counts the flattened keys of the request (PHP's ``max_input_vars``):
    every scalar leaf is one element; an empty list or dict still counts one.
    """
    if isinstance(value, dict):
        return sum(count_elements(v) for v in value.values()) or 1
    if isinstance(value, (list, tuple)):
        return sum(count_elements(v) for v in value) or 1
    return 1


class OversizedEntity(ValueError):
    """A single entity is larger than eMAG accepts in one request."""


def save_batches(entities, max_entities=MAX_ENTITIES, max_elements=MAX_ELEMENTS):
    """Split ``entities`` into batches eMAG accepts: <= 50 each, <= 4000 elements.

    Order is kept. An entity that alone exceeds the element limit raises
    ``OversizedEntity`` before anything is sent.
    """
    batches, batch, size = [], [], 0
    for entity in entities:
        cost = count_elements(entity)
        if cost > max_elements:
            raise OversizedEntity(
                f"Entity {entity_label(entity)} has {cost} input elements; eMAG "
                f"accepts at most {max_elements} in one request."
            )
        if batch and (len(batch) >= max_entities or size + cost > max_elements):
            batches.append(batch)
            batch, size = [], 0
        batch.append(entity)
        size += cost
    if batch:
        batches.append(batch)
    return batches


def entity_label(entity):
    if isinstance(entity, dict) and "id" in entity:
        return f"id {entity['id']}"
    return "(without id)"


def date_windows(start, end, span=MAX_ORDER_WINDOW):
    """Split [start, end] into consecutive windows no longer than ``span``."""
    windows = []
    while start < end:
        stop = min(start + span, end)
        windows.append((start, stop))
        start = stop
    return windows
