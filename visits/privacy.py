"""The visits' part of her data: what was done, with what, for how much; her reactions.

Erasing her keeps each visit's accounting line (date, services, amount, payment), anonymised
with her record; withdrawing her health consent erases the health facts visits hold.
(Registered in VisitsConfig.ready().)"""

from clients.models import NailState
from nailpro.privacy import PrivacyEntry

from .models import Reaction, Visit, VisitProduct


def _date(value):
    return value.isoformat() if value else None


def _without_medical_conditions(chart):
    """Return a chart snapshot with the medical conditions of its nails blanked."""
    return {finger: NailState.without_medical_condition(state) for finger, state in chart.items()}


class VisitsPrivacy(PrivacyEntry):
    # Her kept figures (visits.figures) are computed from the visits' accounting lines: they stay
    # with those lines when she is erased and are never part of her export (her visits are).
    client_models = ["visits.Visit", "visits.Reaction", "visits.ClientFigures"]
    keeps_accounting_records = True

    def client_sections(self, client):
        visits = Visit.objects.filter(client=client).for_history()
        return {
            "visits": [
                {
                    "number": visit.number,
                    "started_at": visit.started_at.isoformat(),
                    "duration_minutes": visit.duration,
                    "services": [
                        {"name": s.name, "price": str(s.price)} for s in visit.services.all()
                    ],
                    "products": [
                        {"product": str(use.product), "batch_number": use.batch_number}
                        for use in visit.products.all()
                    ],
                    "total": str(visit.total),
                    "payment_method": visit.payment_method,
                    "paid": visit.paid,
                    "technique_notes": visit.technique_notes,
                    "hand_chart": visit.chart_snapshot,
                }
                for visit in visits
            ],
            "reactions": [
                {
                    "date": _date(reaction.date),
                    "symptoms": reaction.symptoms,
                    "suspected_products": [str(p) for p in reaction.suspected_products.all()],
                }
                for reaction in Reaction.objects.filter(client=client).prefetch_related(
                    "suspected_products"
                )
            ],
        }

    def erase_client(self, client):
        for reaction in Reaction.objects.filter(client=client):
            reaction.delete()
        visits = Visit.objects.filter(client=client)
        visits.update(technique_notes="", chart_snapshot="", allergy_warning="")
        VisitProduct.objects.filter(visit__in=visits).update(batch_number="")

    def erase_client_health(self, client):
        # Her reactions are health facts (what she reacted to, her symptoms): they go whole.
        for reaction in Reaction.objects.filter(client=client):
            reaction.delete()
        # Both are encrypted: each visit is read and rewritten in Python.
        for visit in Visit.objects.filter(client=client).only("chart_snapshot", "allergy_warning"):
            chart = _without_medical_conditions(visit.chart_snapshot)
            if chart != visit.chart_snapshot or visit.allergy_warning:
                Visit.objects.filter(pk=visit.pk).update(chart_snapshot=chart, allergy_warning="")

    def client_activity(self):
        return [(Visit, "started_at")]
