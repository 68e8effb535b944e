"""Ship version 1 of the consent form's text in Spanish, Italian and Russian.

Faithful to the French and English version 1: the same five statements, the same promises.
The formal address (usted, Lei, Вы) as a written consent asks; in Russian the statements say
"Я даю согласие", which does not depend on the client's gender.
"""

from django.db import migrations

TEXTS = {
    "es": {
        "title": "Sus datos y sus decisiones",
        "body": (
            "Su técnica de uñas guarda una ficha a su nombre para atenderle como se merece. "
            "Solo ella tiene acceso. Para cada punto de abajo, responda sí o no. Puede cambiar "
            "de opinión en cualquier momento con solo decírselo, sin tener que dar "
            "explicaciones, y pedirle ver, recibir o borrar sus datos."
        ),
        "data_processing": (
            "Acepto que guarde mi ficha de cliente: mi nombre, mis datos de contacto, mi "
            "dirección para las citas a domicilio, mis preferencias y el historial de mis "
            "servicios. Mi ficha se borra cuando llevo mucho tiempo sin ser cliente o en "
            "cuanto lo pido."
        ),
        "health": (
            "Acepto que anote mis datos de salud: alergias, estado de mis uñas, tratamientos "
            "médicos. Solo sirven para elegir productos y técnicas seguros para mí. Están "
            "cifrados y nunca se comunican a nadie."
        ),
        "reminders": (
            "Acepto recibir un recordatorio antes de mis citas (SMS, correo electrónico o "
            "WhatsApp)."
        ),
        "marketing": "Acepto recibir sus ofertas, sus novedades y las ventajas de fidelidad.",
        "image_rights": (
            "Acepto que fotos de mis manos y de mis uñas, sin mi cara ni mi nombre, se "
            "muestren en su portfolio público en internet."
        ),
    },
    "it": {
        "title": "I suoi dati e le sue scelte",
        "body": (
            "La sua onicotecnica tiene una scheda a suo nome per accoglierla al meglio. "
            "Nessun altro vi ha accesso. Per ciascun punto qui sotto, risponda sì o no. Può "
            "cambiare idea in qualsiasi momento semplicemente dicendoglielo, senza doverne "
            "spiegare il motivo, e chiederle di vedere, ricevere o cancellare i suoi dati."
        ),
        "data_processing": (
            "Acconsento che conservi la mia scheda cliente: il mio nome, i miei recapiti, il "
            "mio indirizzo per gli appuntamenti a domicilio, le mie preferenze e lo storico "
            "dei miei trattamenti. La mia scheda viene cancellata quando non sono più cliente "
            "da molto tempo o non appena lo chiedo."
        ),
        "health": (
            "Acconsento che annoti i miei dati relativi alla salute: allergie, condizioni "
            "delle mie unghie, terapie in corso. Servono solo a scegliere prodotti e tecniche "
            "sicuri per me. Sono cifrati e non vengono mai comunicati a nessuno."
        ),
        "reminders": (
            "Acconsento a ricevere un promemoria prima dei miei appuntamenti (SMS, e-mail o "
            "WhatsApp)."
        ),
        "marketing": "Acconsento a ricevere le sue offerte, le novità e i vantaggi fedeltà.",
        "image_rights": (
            "Acconsento che foto delle mie mani e delle mie unghie, senza il mio volto né il "
            "mio nome, siano mostrate nel suo portfolio pubblico online."
        ),
    },
    "ru": {
        "title": "Ваши данные и ваш выбор",
        "body": (
            "Ваш мастер маникюра ведёт карточку на ваше имя, чтобы обслуживать вас как "
            "следует. Доступ к ней есть только у мастера. На каждый пункт ниже ответьте «да» "
            "или «нет». Вы можете в любой момент передумать — достаточно сказать об этом "
            "мастеру, без объяснения причин, — а также попросить показать, передать вам или "
            "удалить ваши данные."
        ),
        "data_processing": (
            "Я даю согласие на хранение моей карточки клиента: моё имя, мои контактные "
            "данные, мой адрес для выездов на дом, мои предпочтения и история моих процедур. "
            "Карточка удаляется, если я долгое время не являюсь клиентом, или сразу по моей "
            "просьбе."
        ),
        "health": (
            "Я даю согласие на запись данных о моём здоровье: аллергии, состояние ногтей, "
            "принимаемые лекарства. Они используются только для того, чтобы подбирать "
            "безопасные для меня материалы и техники. Они хранятся в зашифрованном виде и "
            "никогда никому не передаются."
        ),
        "reminders": (
            "Я даю согласие на получение напоминания перед моими записями (SMS, e-mail или "
            "WhatsApp)."
        ),
        "marketing": (
            "Я даю согласие на получение предложений и новостей мастера, а также бонусов "
            "программы лояльности."
        ),
        "image_rights": (
            "Я даю согласие на то, чтобы фотографии моих рук и ногтей — без моего лица и "
            "имени — показывались в публичном онлайн-портфолио мастера."
        ),
    },
}


def add_texts(apps, schema_editor):
    ConsentText = apps.get_model("clients", "ConsentText")
    for language, fields in TEXTS.items():
        if not ConsentText.objects.filter(language=language).exists():
            ConsentText.objects.create(language=language, version=1, **fields)


def remove_texts(apps, schema_editor):
    ConsentText = apps.get_model("clients", "ConsentText")
    ConsentText.objects.filter(language__in=TEXTS, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0012_client_language_and_patronymic")]

    operations = [migrations.RunPython(add_texts, remove_texts)]
