"""The HS code suggested for a product: its commodity's default, refined by its name.

The commodity table holds one default code per commodity (staff edit it in the admin).
RULES below refine it where a product's name makes the heading plain; the first rule that
matches wins, else the commodity's default is suggested. The owner sees the suggestion
in the product form and may change it; staff confirm codes against BTKI (INSW) before an
export declaration.

Codes follow shared/DOMAIN.md (d), AHTN 2022 as adopted by BTKI 2022, at the 6-digit level
where the 8-digit line depends on facts a name does not give:
- roasted, fried or seasoned cashew is prepared fruit, 2008.19 (2008.19.10), not shelled
  cashew 0801.32;
- seats are heading 9401, not furniture 9403: natural rattan 9401.53; synthetic rattan
  (plastic strips) on a metal frame 9401.79, without one 9401.80; a wooden frame 9401.69;
- coconut sap sugar 1702.90.51; aren and other palm sugar keep the commodity's 1702.90.59.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CASHEW_PREPARED = (
    "panggang", "sangrai", "goreng", "oven", "bumbu", "madu", "asin", "pedas",
    "roasted", "fried", "salted", "honey", "spicy", "baked",
)  # fmt: skip
SEAT_WORDS = ("kursi", "chair", "sofa", "bangku", "stool", "seat")


@dataclass(frozen=True)
class Suggestion:
    code: str
    reason: str = ""  # why the commodity's default was refined; "" for the default itself


@dataclass(frozen=True)
class Rule:
    commodity: str  # a commodity slug, or "*" for any
    groups: tuple  # every group must match; a group matches when one of its words is in the name
    code: str
    reason: str

    def matches(self, slug, text):
        if self.commodity not in ("*", slug):
            return False
        return all(any(word in text for word in group) for group in self.groups)


RULES = (
    Rule(
        "kacang-mede",
        (CASHEW_PREPARED,),
        "2008.19",
        _("kacang mede sangrai atau olahan; mede kupas mentah 0801.32"),
    ),
    Rule(
        "*",
        (SEAT_WORDS, ("sintetis", "synthetic", "plastik", "plastic", "hdpe")),
        "9401.79",
        _("tempat duduk rotan sintetis berangka logam; 9401.80 bila tanpa rangka logam"),
    ),
    Rule("*", (SEAT_WORDS, ("rotan", "rattan")), "9401.53", _("tempat duduk dari rotan")),
    Rule("furnitur", (SEAT_WORDS,), "9401.69", _("tempat duduk berangka kayu")),
    Rule("gula-semut", (("kelapa", "coconut"),), "1702.90.51", _("gula kelapa (nira kelapa)")),
)


def suggest_hs_code(commodity, *names):
    """The code to suggest for a product of `commodity` called `names` (any language).

    None when there is nothing to suggest: no commodity, or one without a default code
    and no rule matching the name.
    """
    if commodity is None:
        return None
    text = " ".join(name for name in names if name).lower()
    for rule in RULES:
        if rule.matches(commodity.slug, text):
            return Suggestion(rule.code, rule.reason)
    return Suggestion(commodity.hs_code) if commodity.hs_code else None
