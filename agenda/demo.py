"""Demo appointments for `manage.py seed_demo`: two weeks of rounds ahead (today included),
and a few cancelled and missed appointments in the past weeks."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from catalog.models import Service
from clients.models import Client

from .models import Appointment, AppointmentService, RescheduleRequest

HOURS = [9, 11, 14, 16]


@transaction.atomic
def seed(account, **options):
    """Create the appointments once; a second run finds them and stops."""
    if Appointment.objects.filter(account=account).exists():
        return
    if not account.address:
        account.address = "8 rue Paul Bert, 69003 Lyon"
        account.place_access_notes = "Interphone « Ongles », 1er étage, porte de gauche"
        account.save(update_fields=["address", "place_access_notes"])
    if not account.phone:
        account.phone = "+33611223344"
        account.save(update_fields=["phone"])
    services = list(Service.objects.filter(account=account, archived=False))
    clients = list(
        Client.objects.filter(account=account, blacklisted=False).exclude(street="").order_by("pk")
    )
    if not (services and clients):
        return
    rng = random.Random(11)
    today = timezone.localdate()
    with timezone.override(account.time_zone):
        for offset in range(-42, 15):
            day = today + datetime.timedelta(days=offset)
            if day.weekday() == 6 or (offset < 0 and rng.random() < 0.8):
                continue  # Sundays off; in the past only the cancelled and missed are shown
            hours = HOURS if offset >= 0 else [rng.choice(HOURS)]
            for hour in rng.sample(hours, k=rng.randint(2, len(hours)) if offset >= 0 else 1):
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
                if offset < 0:
                    status = rng.choice([Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW])
                else:
                    status = rng.choice([Appointment.Status.PLANNED, Appointment.Status.CONFIRMED])
                _book(account, rng.choice(clients), start, rng.sample(services, k=1), status, rng)
    _reminder_preferences(account, clients, rng)


def _reminder_preferences(account, clients, rng):
    """Some clients prefer SMS or WhatsApp; one asked, from her reminder, to move the next
    appointment (it waits on the dashboard)."""
    for client in clients[:6]:
        client.reminder_channel = rng.choice(
            [Client.ReminderChannel.SMS, Client.ReminderChannel.WHATSAPP]
        )
        client.save(update_fields=["reminder_channel"])
    upcoming = (
        Appointment.objects.filter(account=account, start__gte=timezone.now())
        .open()
        .order_by("start")
        .select_related("client")
        .first()
    )
    if upcoming is not None:
        RescheduleRequest.objects.create(
            account=account,
            appointment=upcoming,
            client=upcoming.client,
            message="Bonjour ! Serait-il possible de décaler en fin de journée ? Merci",
        )


def _book(account, client, start, chosen, status, rng):
    appointment = Appointment(
        account=account,
        client=client,
        start=start,
        duration=sum(service.duration for service in chosen),
        place=Appointment.Place.OWN_PLACE if rng.random() < 0.15 else Appointment.Place.CLIENT_HOME,
        status=status,
    )
    if status == Appointment.Status.CANCELLED:
        appointment.cancelled_by = rng.choice(list(Appointment.CancelledBy.values))
        appointment.cancelled_at = start - datetime.timedelta(days=rng.randint(1, 5))
    appointment.save()
    AppointmentService.objects.bulk_create(
        AppointmentService(
            account=account,
            appointment=appointment,
            service=service,
            name=service.name,
            duration=service.duration,
            price=service.price,
            position=position,
        )
        for position, service in enumerate(chosen)
    )
