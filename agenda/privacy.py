"""The agenda's part of her data: her appointments (registered in AgendaConfig.ready())."""

from nailpro.privacy import PrivacyEntry

from .models import Appointment


class AgendaPrivacy(PrivacyEntry):
    client_models = ["agenda.Appointment"]

    def client_sections(self, client):
        appointments = (
            Appointment.objects.filter(client=client)
            .select_related("account")
            .prefetch_related("services")
        )
        return {
            "appointments": [
                {
                    "start": appointment.start.isoformat(),
                    "duration_minutes": appointment.duration,
                    "status": appointment.status,
                    "cancelled_by": appointment.cancelled_by,
                    "place": appointment.place,
                    "address": appointment.address,
                    "services": [
                        {"name": s.name, "duration_minutes": s.duration, "price": str(s.price)}
                        for s in appointment.services.all()
                    ],
                    "notes": appointment.notes,
                }
                for appointment in appointments
            ],
        }

    def erase_client(self, client):
        for appointment in Appointment.objects.filter(client=client):
            appointment.delete()

    def client_activity(self):
        return [(Appointment, "start")]
