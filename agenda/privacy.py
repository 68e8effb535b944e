"""The agenda's part of her data: her appointments (registered in AgendaConfig.ready())."""

from nailpro.privacy import PrivacyEntry

from .models import Appointment, RescheduleRequest


class AgendaPrivacy(PrivacyEntry):
    client_models = ["agenda.Appointment", "agenda.RescheduleRequest"]

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
            "reschedule_requests": [
                {
                    "appointment_start": request.appointment.start.isoformat(),
                    "asked_at": request.created_at.isoformat(),
                    "message": request.message,
                }
                for request in RescheduleRequest.objects.filter(client=client).select_related(
                    "appointment"
                )
            ],
        }

    def erase_client(self, client):
        RescheduleRequest.objects.filter(client=client).delete()
        for appointment in Appointment.objects.filter(client=client):
            appointment.delete()

    def client_activity(self):
        return [(Appointment, "start")]
