"""Product templates the synthetic catalogue is drawn from, with names in French, German, English.

Each template is a kind of item (a noun) and the variants it comes in; a product is one noun and
one variant. Orders print the description in the order's language, so matching a line to the
catalogue by description is a real (cross-language) task, as it is for the seller's agents.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductTemplate:
    nouns: dict[str, str]
    variants: tuple[dict[str, str], ...]
    unit: str
    price_range: tuple[float, float]


def _v(fr: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "de": de, "en": en}


_COLOURS = (
    _v("bleu", "blau", "blue"),
    _v("noir", "schwarz", "black"),
    _v("rouge", "rot", "red"),
    _v("vert", "grün", "green"),
)
_SIZES = (_v("A4", "A4", "A4"), _v("A5", "A5", "A5"), _v("A3", "A3", "A3"))
_SCREWS = tuple(
    _v(f"{d}x{length} mm inox A2", f"{d}x{length} mm Edelstahl A2", f"{d}x{length} mm stainless A2")
    for d in (3, 4, 5, 6)
    for length in (16, 20, 30, 40, 50)
)

PRODUCT_TEMPLATES: tuple[ProductTemplate, ...] = (
    ProductTemplate(
        _v("Stylo bille", "Kugelschreiber", "Ballpoint pen"), _COLOURS, "EA", (0.3, 2.5)
    ),
    ProductTemplate(
        _v("Surligneur", "Textmarker", "Highlighter"),
        (
            _v("jaune", "gelb", "yellow"),
            _v("rose", "pink", "pink"),
            _v("orange", "orange", "orange"),
        ),
        "EA",
        (0.5, 1.8),
    ),
    ProductTemplate(
        _v("Ramette papier 80 g", "Kopierpapier 80 g", "Copy paper 80 gsm"),
        _SIZES,
        "PAC",
        (3.5, 9.0),
    ),
    ProductTemplate(
        _v("Classeur à levier", "Ordner", "Lever arch file"),
        (
            _v("dos 50 mm", "Rücken 50 mm", "50 mm spine"),
            _v("dos 80 mm", "Rücken 80 mm", "80 mm spine"),
        ),
        "EA",
        (1.8, 4.9),
    ),
    ProductTemplate(
        _v("Vis à tête fraisée", "Senkkopfschraube", "Countersunk screw"),
        _SCREWS,
        "BOX",
        (4.0, 24.0),
    ),
    ProductTemplate(
        _v("Vis à tête cylindrique", "Zylinderschraube", "Socket head screw"),
        _SCREWS,
        "BOX",
        (5.0, 29.0),
    ),
    ProductTemplate(
        _v("Écrou hexagonal", "Sechskantmutter", "Hex nut"),
        tuple(
            _v(f"M{d} zingué", f"M{d} verzinkt", f"M{d} zinc plated") for d in (4, 5, 6, 8, 10, 12)
        ),
        "BOX",
        (2.5, 14.0),
    ),
    ProductTemplate(
        _v("Ruban adhésif", "Klebeband", "Adhesive tape"),
        tuple(
            _v(f"{w} mm x 66 m {c['fr']}", f"{w} mm x 66 m {c['de']}", f"{w} mm x 66 m {c['en']}")
            for w in (25, 38, 50)
            for c in (_v("transparent", "transparent", "clear"), _v("havane", "braun", "brown"))
        ),
        "ROL",
        (0.9, 4.5),
    ),
    ProductTemplate(
        _v("Film étirable", "Stretchfolie", "Stretch film"),
        (
            _v("23 µm 450 mm", "23 µm 450 mm", "23 micron 450 mm"),
            _v("17 µm 500 mm", "17 µm 500 mm", "17 micron 500 mm"),
        ),
        "ROL",
        (8.0, 19.0),
    ),
    ProductTemplate(
        _v("Carton double cannelure", "Wellpappkarton zweiwellig", "Double wall carton"),
        tuple(
            _v(f"{a}x{b}x{c} mm", f"{a}x{b}x{c} mm", f"{a}x{b}x{c} mm")
            for a, b, c in ((300, 200, 150), (400, 300, 200), (600, 400, 400), (500, 350, 300))
        ),
        "EA",
        (0.6, 3.9),
    ),
    ProductTemplate(
        _v("Gants nitrile", "Nitrilhandschuhe", "Nitrile gloves"),
        tuple(_v(f"taille {s}", f"Größe {s}", f"size {s}") for s in "SMLX"),
        "BOX",
        (4.5, 12.0),
    ),
    ProductTemplate(
        _v("Nettoyant multi-surfaces", "Allzweckreiniger", "Multi-surface cleaner"),
        (_v("5 L", "5 L", "5 L"), _v("1 L", "1 L", "1 L")),
        "EA",
        (3.0, 22.0),
    ),
    ProductTemplate(
        _v("Câble électrique H07V-U", "Aderleitung H07V-U", "Single core cable H07V-U"),
        tuple(
            _v(f"{s} mm² {c['fr']}", f"{s} mm² {c['de']}", f"{s} mm² {c['en']}")
            for s in ("1,5", "2,5")
            for c in _COLOURS
        ),
        "M",
        (0.25, 1.4),
    ),
    ProductTemplate(
        _v("Gaine annelée", "Wellrohr", "Corrugated conduit"),
        tuple(_v(f"Ø {d} mm", f"Ø {d} mm", f"Ø {d} mm") for d in (16, 20, 25, 32)),
        "M",
        (0.3, 1.9),
    ),
    ProductTemplate(
        _v("Graisse lithium", "Lithiumfett", "Lithium grease"),
        (
            _v("seau 5 kg", "Eimer 5 kg", "5 kg pail"),
            _v("cartouche 400 g", "Kartusche 400 g", "400 g cartridge"),
        ),
        "KG",
        (6.0, 14.0),
    ),
    ProductTemplate(
        _v("Huile hydraulique HLP 46", "Hydrauliköl HLP 46", "Hydraulic oil HLP 46"),
        (_v("bidon 20 L", "Kanister 20 L", "20 L drum"),),
        "L",
        (2.5, 6.5),
    ),
    ProductTemplate(
        _v("Étiquettes adhésives", "Etiketten selbstklebend", "Adhesive labels"),
        tuple(
            _v(f"{a}x{b} mm", f"{a}x{b} mm", f"{a}x{b} mm")
            for a, b in ((70, 37), (105, 48), (210, 297), (99, 38))
        ),
        "BOX",
        (9.0, 35.0),
    ),
    ProductTemplate(
        _v("Cartouche toner", "Tonerkartusche", "Toner cartridge"),
        tuple(
            _v(
                f"compatible {m} {c['fr']}",
                f"kompatibel {m} {c['de']}",
                f"compatible {m} {c['en']}",
            )
            for m in ("HP 305A", "Brother TN-2420", "Canon 054")
            for c in _COLOURS[:2]
        ),
        "EA",
        (29.0, 95.0),
    ),
    ProductTemplate(
        _v("Palette bois", "Holzpalette", "Wooden pallet"),
        (
            _v("EUR 1200x800", "EUR 1200x800", "EUR 1200x800"),
            _v("perdue 1200x1000", "Einweg 1200x1000", "one-way 1200x1000"),
        ),
        "EA",
        (7.0, 18.0),
    ),
    ProductTemplate(
        _v("Piles alcalines", "Alkaline-Batterien", "Alkaline batteries"),
        (_v("AA x4", "AA 4er", "AA pack of 4"), _v("AAA x4", "AAA 4er", "AAA pack of 4")),
        "PAC",
        (2.2, 6.0),
    ),
)

GRADES: tuple[dict[str, str], ...] = (
    _v("", "", ""),
    _v("Pro", "Pro", "Pro"),
    _v("Eco", "Eco", "Eco"),
    _v("Premium", "Premium", "Premium"),
    _v("qualité industrielle", "Industriequalität", "industrial grade"),
)

NON_CATALOGUE_LINES: dict[str, tuple[str, ...]] = {
    "fr": ("Frais de port", "Emballage spécial", "Frais de livraison express", "Palette consignée"),
    "de": ("Versandkosten", "Verpackungspauschale", "Expresszuschlag", "Palettenpfand"),
    "en": ("Freight charges", "Special packaging", "Express delivery surcharge", "Pallet deposit"),
}
