"""category/read (§2.1): categories, characteristics and family types.

Read models: unknown keys are kept. ``values`` is kept as eMAG sends it (a list,
or an object keyed by position when PHP serialises a sparse array).
"""

from typing import Any

from .common import EmagReadModel

#: characteristic type_id values (§2.1)
CHARACTERISTIC_TYPES = {
    1: "Numeric",
    2: "Numeric + unit of measure",
    11: "Text Fixed",
    20: "Boolean",
    30: "Resolution (Width x Height)",
    40: "Volume (Width x Height x Depth - Depth 2)",
    60: "Size",
}
#: characteristic_family_type_id display methods (§2.1)
FAMILY_DISPLAY_TYPES = {1: "Thumbnails", 2: "Combobox", 3: "Graphic Selection"}
CATEGORY_LANGUAGES = ("EN", "RO", "HU", "BG", "PL", "GR", "DE")


class CategoryCharacteristic(EmagReadModel):
    id: int
    name: str | None = None
    type_id: int | None = None
    display_order: int | None = None
    is_mandatory: int | None = None
    is_filter: int | None = None
    allow_new_value: int | None = None
    values: list[Any] | dict[str, Any] | None = None
    tags: list[str] | None = None

    @property
    def value_list(self) -> list[Any]:
        if isinstance(self.values, dict):
            return list(self.values.values())
        return list(self.values or [])


class FamilyTypeCharacteristic(EmagReadModel):
    characteristic_id: int
    characteristic_family_type_id: int | None = None
    is_foldable: int | None = None
    display_order: int | None = None


class FamilyType(EmagReadModel):
    id: int
    name: str | None = None
    characteristics: list[FamilyTypeCharacteristic] | None = None


class Category(EmagReadModel):
    id: int | None = None
    name: str | None = None
    is_allowed: int | None = None
    parent_id: int | None = None
    is_ean_mandatory: int | None = None
    is_warranty_mandatory: int | None = None
    characteristics: list[CategoryCharacteristic] | None = None
    family_types: list[FamilyType] | None = None

    def characteristic(self, characteristic_id: int) -> CategoryCharacteristic | None:
        for ch in self.characteristics or []:
            if ch.id == characteristic_id:
                return ch
        return None
