"""Ship version 1 of the consent form's text, in French and in English.

The texts live in the database, not in the code: a signed form points at the exact version she
read, and a later wording is a new version (ConsentText.revise), never an edit of this one.
"""

from django.db import migrations

TEXTS = {
    "fr": {
        "title": "Vos données et vos choix",
        "body": (
            "Votre prothésiste ongulaire tient une fiche à votre nom pour bien vous recevoir. "
            "Elle seule y a accès. Pour chaque point ci-dessous, vous répondez oui ou non. "
            "Vous pouvez changer d'avis à tout moment en le lui disant, sans avoir à vous "
            "justifier, et lui demander de voir, de recevoir ou d'effacer vos données."
        ),
        "data_processing": (
            "J'accepte qu'elle garde ma fiche cliente : mon nom, mes coordonnées, mon adresse "
            "pour les rendez-vous à domicile, mes préférences et l'historique de mes "
            "prestations. Ma fiche est effacée quand je ne suis plus cliente depuis longtemps "
            "ou dès que je le demande."
        ),
        "health": (
            "J'accepte qu'elle note mes données de santé : allergies, état de mes ongles, "
            "traitements. Elles servent seulement à choisir des produits et des gestes sans "
            "danger pour moi. Elles sont chiffrées et ne sont jamais transmises à personne."
        ),
        "reminders": (
            "J'accepte de recevoir un rappel avant mes rendez-vous (SMS, e-mail ou WhatsApp)."
        ),
        "marketing": (
            "J'accepte de recevoir ses offres, ses nouveautés et les avantages de fidélité."
        ),
        "image_rights": (
            "J'accepte que des photos de mes mains et de mes ongles, sans mon visage ni mon "
            "nom, soient montrées dans son portfolio public en ligne."
        ),
    },
    "en": {
        "title": "Your data and your choices",
        "body": (
            "Your nail technician keeps a record in your name so she can look after you well. "
            "Only she can see it. For each point below, answer yes or no. You can change your "
            "mind at any time just by telling her, without giving a reason, and ask her to show "
            "you, send you or erase your data."
        ),
        "data_processing": (
            "I agree that she keeps my client record: my name, my contact details, my address "
            "for home visits, my preferences and the history of my appointments. My record is "
            "erased when I have not been a client for a long time, or as soon as I ask."
        ),
        "health": (
            "I agree that she notes my health data: allergies, the condition of my nails, "
            "medication. It is used only to choose products and techniques that are safe for "
            "me. It is encrypted and never passed on to anyone."
        ),
        "reminders": (
            "I agree to receive a reminder before my appointments (text, e-mail or WhatsApp)."
        ),
        "marketing": "I agree to receive her offers, news and loyalty rewards.",
        "image_rights": (
            "I agree that photos of my hands and nails, without my face or my name, are shown "
            "in her public online portfolio."
        ),
    },
}


def add_texts(apps, schema_editor):
    ConsentText = apps.get_model("clients", "ConsentText")
    for language, fields in TEXTS.items():
        if not ConsentText.objects.filter(language=language).exists():
            ConsentText.objects.create(language=language, version=1, **fields)


class Migration(migrations.Migration):
    dependencies = [("clients", "0005_consent_form")]

    operations = [migrations.RunPython(add_texts, migrations.RunPython.noop)]
