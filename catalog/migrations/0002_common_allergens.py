"""Ship the allergens most often met in nail work, so every technician can flag them at once.

The list lives here, frozen with the migration, rather than imported from app code: a later
edit of the app must not change what this migration did. Rows are matched on `code`, so running
it again updates them instead of duplicating them (and leaves `is_active` as staff set it).
"""

from django.db import migrations

# (code, family, name_fr, name_en, description_fr, description_en); display order follows the list.
ALLERGENS = [
    (
        "hema",
        "acrylates",
        "HEMA (méthacrylate de 2-hydroxyéthyle)",
        "HEMA (2-hydroxyethyl methacrylate)",
        "Vernis semi-permanents, gels UV/LED, bases, top coats et polygels : "
        "le premier allergène des ongles.",
        "Gel polishes, UV/LED gels, base and top coats, polygels: the leading nail allergen.",
    ),
    (
        "di-hema-tmhdc",
        "acrylates",
        "Di-HEMA triméthylhexyl dicarbamate",
        "Di-HEMA trimethylhexyl dicarbamate",
        "Méthacrylate d'uréthane des gels de construction, vernis semi-permanents et polygels.",
        "Urethane methacrylate in builder gels, gel polishes and polygels.",
    ),
    (
        "hpma",
        "acrylates",
        "HPMA (méthacrylate d'hydroxypropyle)",
        "HPMA (hydroxypropyl methacrylate)",
        "Vernis semi-permanents, gels de construction et polygels.",
        "Gel polishes, builder gels and polygels.",
    ),
    (
        "iboa",
        "acrylates",
        "IBOA (acrylate d'isobornyle)",
        "IBOA (isobornyl acrylate)",
        "Monomère diluant des vernis semi-permanents et gels UV/LED.",
        "Thinning monomer in gel polishes and UV/LED gels.",
    ),
    (
        "thfma",
        "acrylates",
        "THFMA (méthacrylate de tétrahydrofurfuryle)",
        "THFMA (tetrahydrofurfuryl methacrylate)",
        "Gels UV/LED, vernis semi-permanents et certains liquides acryliques.",
        "UV/LED gels, gel polishes and some acrylic liquids.",
    ),
    (
        "ema",
        "acrylates",
        "EMA (méthacrylate d'éthyle)",
        "EMA (ethyl methacrylate)",
        "Liquide (monomère) des systèmes acryliques poudre-liquide.",
        "Liquid (monomer) of powder-and-liquid acrylic systems.",
    ),
    (
        "mma",
        "acrylates",
        "MMA (méthacrylate de méthyle)",
        "MMA (methyl methacrylate)",
        "Liquide acrylique de certains systèmes poudre-liquide, surtout à bas prix.",
        "Acrylic liquid of some powder-and-liquid systems, mostly low-cost ones.",
    ),
    (
        "hea",
        "acrylates",
        "HEA (acrylate de 2-hydroxyéthyle)",
        "HEA (2-hydroxyethyl acrylate)",
        "Vernis semi-permanents et gels UV/LED, souvent avec le HEMA.",
        "Gel polishes and UV/LED gels, often alongside HEMA.",
    ),
    (
        "other-acrylates",
        "acrylates",
        "Autres (méth)acrylates",
        "Other (meth)acrylates",
        "Autres acrylates des gels, polygels, résines et capsules (TEGDMA, acrylates d'uréthane…).",
        "Other acrylates in gels, polygels, resins and tips (TEGDMA, urethane acrylates…).",
    ),
    (
        "ethyl-cyanoacrylate",
        "adhesives",
        "Cyanoacrylate d'éthyle",
        "Ethyl cyanoacrylate",
        "Colle à capsules, résine des poses soie ou fibre de verre et des systèmes dip.",
        "Tip glue, resin for silk or fibreglass wraps and dip systems.",
    ),
    (
        "tpo",
        "photoinitiators",
        "TPO (oxyde de triméthylbenzoyl diphénylphosphine)",
        "TPO (trimethylbenzoyl diphenylphosphine oxide)",
        "Photo-initiateur des gels UV/LED et vernis semi-permanents.",
        "Photoinitiator in UV/LED gels and gel polishes.",
    ),
    (
        "tpo-l",
        "photoinitiators",
        "TPO-L (éthyl triméthylbenzoyl phénylphosphinate)",
        "TPO-L (ethyl trimethylbenzoyl phenylphosphinate)",
        "Photo-initiateur des gels UV/LED, souvent à la place du TPO.",
        "Photoinitiator in UV/LED gels, often in place of TPO.",
    ),
    (
        "benzoyl-peroxide",
        "other",
        "Peroxyde de benzoyle",
        "Benzoyl peroxide",
        "Amorceur de polymérisation des poudres acryliques.",
        "Polymerisation initiator in acrylic powders.",
    ),
    (
        "formaldehyde-resin",
        "other",
        "Résine formaldéhyde (tosylamide/formaldéhyde)",
        "Formaldehyde resin (tosylamide/formaldehyde)",
        "Résine filmogène des vernis classiques ; réactions fréquentes aux paupières et au cou.",
        "Film-forming resin in regular nail polish; reactions often show on eyelids and neck.",
    ),
    (
        "formaldehyde",
        "preservatives",
        "Formaldéhyde",
        "Formaldehyde",
        "Durcisseurs pour ongles ; libéré par certains conservateurs.",
        "Nail hardeners; released by some preservatives.",
    ),
    (
        "toluene",
        "solvents",
        "Toluène",
        "Toluene",
        "Solvant de vernis classiques, surtout anciens ou importés.",
        "Solvent in regular nail polish, mostly older or imported ones.",
    ),
    (
        "dbp",
        "plasticisers",
        "Phtalate de dibutyle (DBP)",
        "Dibutyl phthalate (DBP)",
        "Plastifiant de vernis anciens ou importés.",
        "Plasticiser in older or imported nail polish.",
    ),
    (
        "camphor",
        "plasticisers",
        "Camphre",
        "Camphor",
        "Plastifiant des vernis classiques ; aussi dans des soins et huiles.",
        "Plasticiser in regular nail polish; also in some care products and oils.",
    ),
    (
        "nickel",
        "metals",
        "Nickel",
        "Nickel",
        "Bijoux d'ongles, billes mélangeuses des flacons de vernis, outils métalliques.",
        "Nail charms and jewellery, mixing balls in polish bottles, metal tools.",
    ),
    (
        "latex",
        "latex",
        "Latex (caoutchouc naturel)",
        "Latex (natural rubber)",
        "Gants, latex liquide de protection des cuticules, éponges.",
        "Gloves, liquid latex cuticle barrier, sponges.",
    ),
    (
        "fragrance",
        "fragrance",
        "Parfum",
        "Fragrance",
        "Huiles pour cuticules, crèmes, lotions, gommages et dissolvants parfumés.",
        "Cuticle oils, hand creams, lotions, scrubs and scented removers.",
    ),
    (
        "colophony",
        "other",
        "Colophane",
        "Colophony (rosin)",
        "Adhésifs (stickers d'ongles, pansements), cires épilatoires, certains vernis.",
        "Adhesives (nail stickers, plasters), depilatory waxes, some nail polishes.",
    ),
    (
        "lanolin",
        "other",
        "Lanoline",
        "Lanolin",
        "Crèmes pour les mains, baumes et huiles pour cuticules.",
        "Hand creams, balms and cuticle oils.",
    ),
    (
        "parabens",
        "preservatives",
        "Parabènes",
        "Parabens",
        "Conservateurs de crèmes, lotions et soins des mains.",
        "Preservatives in creams, lotions and hand care.",
    ),
]


def add_allergens(apps, schema_editor):
    Allergen = apps.get_model("catalog", "Allergen")
    for position, (code, family, name_fr, name_en, description_fr, description_en) in enumerate(
        ALLERGENS, start=1
    ):
        Allergen.objects.update_or_create(
            code=code,
            defaults={
                "family": family,
                "name_fr": name_fr,
                "name_en": name_en,
                "description_fr": description_fr,
                "description_en": description_en,
                "order": position * 10,
            },
        )


def remove_allergens(apps, schema_editor):
    Allergen = apps.get_model("catalog", "Allergen")
    Allergen.objects.filter(code__in=[row[0] for row in ALLERGENS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_allergens, remove_allergens),
    ]
