"""Demo catalog for `manage.py seed_demo`: the services a French travelling technician sells
and the products in her case, with their allergens. Running it again changes nothing."""

from decimal import Decimal

from .models import Allergen, Product, Service

# (name, minutes, price in EUR, agenda colour, archived)
SERVICES = [
    ("Pose gel complète", "Mains", 90, "55", "#c2577f", False),
    ("Remplissage gel", "Mains", 75, "45", "#a63c62", False),
    ("Semi-permanent mains", "Mains", 45, "30", "#e08aa8", False),
    ("Semi-permanent pieds", "Pieds", 45, "35", "#8e6bbf", False),
    ("Dépose", "Mains", 20, "15", "#9aa3ad", False),
    ("Nail art par ongle", "Nail art", 10, "3", "#e6b450", False),
    ("Soin des mains", "Soins", 30, "25", "#5f9e7f", False),
    ("Pose capsules + gel", "Mains", 100, "60", "#7a3552", False),
    ("Manucure russe", "Soins", 60, "40", "#d9825b", False),
    ("Pose vernis classique", "Mains", 30, "20", "#b58b7e", True),  # replaced by semi-permanent
]

# (brand, name, category, shade, allergen codes, notes, archived)
PRODUCTS = [
    (
        "Ongle Étoile",
        "Base rubber",
        Product.Category.BASE,
        "Nude rosé 03",
        ["hema", "di-hema-tmhdc", "tpo"],
        "Tient bien sur ongles mous.",
        False,
    ),
    (
        "Ongle Étoile",
        "Gel de construction",
        Product.Category.BUILDER_GEL,
        "Clear",
        ["hema", "di-hema-tmhdc", "iboa", "tpo"],
        "",
        False,
    ),
    (
        "Ongle Étoile",
        "Gel de construction",
        Product.Category.BUILDER_GEL,
        "Cover Pink",
        ["hema", "di-hema-tmhdc", "tpo"],
        "",
        False,
    ),
    (
        "Lumière Gel",
        "Gel couleur",
        Product.Category.COLOUR_GEL,
        "Pétale de rose LG-112",
        ["hema", "tpo"],
        "",
        False,
    ),
    (
        "Lumière Gel",
        "Gel couleur",
        Product.Category.COLOUR_GEL,
        "Rouge bordeaux LG-245",
        ["hema", "tpo-l"],
        "",
        False,
    ),
    (
        "Lumière Gel",
        "Gel couleur sans HEMA",
        Product.Category.COLOUR_GEL,
        "Lait d'amande LG-301",
        ["iboa", "tpo-l"],
        "Pour les clientes sensibles au HEMA.",
        False,
    ),
    (
        "Atelier Nacré",
        "Top coat sans résidu",
        Product.Category.TOP_COAT,
        "No wipe brillant",
        ["hema", "iboa", "tpo"],
        "",
        False,
    ),
    (
        "Atelier Nacré",
        "Top coat mat",
        Product.Category.TOP_COAT,
        "Velours",
        ["di-hema-tmhdc", "tpo-l"],
        "",
        False,
    ),
    (
        "Rosa Pro",
        "Primer sans acide",
        Product.Category.PRIMER,
        "",
        ["hpma"],
        "Une couche fine, sur l'ongle seulement.",
        False,
    ),
    (
        "Nailova Studio",
        "Poudre acrylique",
        Product.Category.ACRYLIC_POWDER,
        "Cover Peach",
        ["benzoyl-peroxide"],
        "",
        False,
    ),
    (
        "Nailova Studio",
        "Liquide acrylique",
        Product.Category.ACRYLIC_LIQUID,
        "",
        ["ema"],
        "",
        False,
    ),
    (
        "Belle Main",
        "Vernis classique",
        Product.Category.POLISH,
        "Crème brûlée n°27",
        ["camphor", "dbp"],
        "",
        False,
    ),
    (
        "Capsula",
        "Colle à capsules",
        Product.Category.OTHER,
        "Pinceau 7 g",
        ["ethyl-cyanoacrylate"],
        "",
        False,
    ),
    (
        "Belle Main",
        "Huile cuticules",
        Product.Category.CARE,
        "Amande douce",
        ["fragrance"],
        "",
        False,
    ),
    (
        "Belle Main",
        "Crème mains",
        Product.Category.CARE,
        "Karité",
        ["fragrance", "colophony"],
        "",
        False,
    ),
    ("Rosa Pro", "Limes 180/180", Product.Category.TOOL, "Zèbre", [], "", False),
    ("Rosa Pro", "Gants nitrile", Product.Category.TOOL, "Taille S", [], "", False),
    (
        "Rosa Pro",
        "Gants latex",
        Product.Category.TOOL,
        "Taille S",
        ["latex"],
        "Remplacés par les gants nitrile.",
        True,
    ),
]


def seed(account, **options):
    """Create the demo catalog of `account` once; a second run finds its services and stops."""
    if Service.objects.filter(account=account).exists():
        return
    for name, category, duration, price, colour, archived in SERVICES:
        Service.objects.create(
            account=account,
            name=name,
            category=category,
            duration=duration,
            price=Decimal(price),
            colour=colour,
            archived=archived,
            public=not archived,
        )
    allergens = {allergen.code: allergen for allergen in Allergen.objects.all()}
    for brand, name, category, shade, codes, notes, archived in PRODUCTS:
        product = Product.objects.create(
            account=account,
            brand=brand,
            name=name,
            category=category,
            shade=shade,
            notes=notes,
            archived=archived,
        )
        product.allergens.set([allergens[code] for code in codes if code in allergens])
