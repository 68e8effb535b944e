"""Test data builders. Account-owned objects take their account from their parent object,
so no test can build cross-account data by accident."""

import base64
import datetime
import io
import zipfile
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled
from PIL import Image, ImageDraw

from billing.models import Plan, Subscription
from clients.models import (
    Category,
    Client,
    ConsentEvent,
    ConsentText,
    Gift,
    HealthProfile,
    NailState,
    SignedConsent,
)
from clients.services import client_set_photo, consent_form_sign
from gallery.models import Photo, Portfolio
from nailpro.images import process_image, process_signature
from nailpro.models import Account, User
from visits.models import Reaction, Visit

PASSWORD = "correct-horse-battery-staple"


def image_bytes(image_format="JPEG", size=(64, 48), color=(200, 120, 140)):
    """Return the bytes of a real image, encoded by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


def signature_data_url(size=(340, 180), stroke=((30, 120), (120, 40), (220, 130), (300, 60))):
    """Return a drawn signature as the canvas sends it: a transparent PNG with a dark stroke."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if stroke:
        ImageDraw.Draw(image).line(stroke, fill=(29, 29, 43, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Ongles {n}")


def make_pro(account):
    """Put an account on the Pro plan, for tests that need more clients than Free holds."""
    with scopes_disabled():
        Subscription.objects.filter(account=account).update(plan=Plan.PRO)
    return account


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"tech{n}@example.com")
    account = factory.SubFactory(AccountFactory)
    password = factory.django.Password(PASSWORD)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Catégorie {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    account = factory.SubFactory(AccountFactory)
    first_name = factory.Faker("first_name_female", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    phone = factory.Sequence(lambda n: f"+3361234{n % 10000:04d}")

    class Meta:
        model = Client
        skip_postgeneration_save = True

    @factory.post_generation
    def with_photo(client, create, extracted, **kwargs):
        """ClientFactory(with_photo=True) gives her a real processed photo."""
        if extracted:
            upload = SimpleUploadedFile("portrait.png", image_bytes("PNG"))
            client_set_photo(client=client, processed=process_image(upload))


class ClientOwnedFactory(factory.django.DjangoModelFactory):
    """Base for what hangs on a client: given a client, take her account; given an
    account, make the client in it. Either way both belong to the same account."""

    class Meta:
        abstract = True

    account = factory.SubFactory(AccountFactory)
    client = factory.SubFactory(ClientFactory, account=factory.SelfAttribute("..account"))

    @classmethod
    def _generate(cls, strategy, params):
        if params.get("client") is not None and "account" not in params:
            params = {**params, "account": params["client"].account}
        return super()._generate(strategy, params)


class ConsentEventFactory(ClientOwnedFactory):
    class Meta:
        model = ConsentEvent

    kind = ConsentEvent.Kind.HEALTH
    given = True
    method = ConsentEvent.Method.IN_APP


class SignedConsentFactory(ClientOwnedFactory):
    """A consent form signed on the phone (or on paper with signature=None and a signed_on)."""

    class Meta:
        model = SignedConsent

    text = factory.LazyFunction(lambda: ConsentText.current("fr"))
    choices = factory.LazyFunction(lambda: dict.fromkeys(ConsentEvent.Kind.values, True))
    signature = factory.LazyFunction(lambda: process_signature(signature_data_url()))
    signed_on = None

    @classmethod
    def _create(cls, model_class, *, account, client, **kwargs):
        with scopes_disabled():
            return consent_form_sign(client=client, **kwargs)


class HealthProfileFactory(ClientOwnedFactory):
    class Meta:
        model = HealthProfile


class NailStateFactory(ClientOwnedFactory):
    class Meta:
        model = NailState

    finger = NailState.Finger.LEFT_RING
    condition = NailState.Condition.HEALTHY


class GiftFactory(ClientOwnedFactory):
    class Meta:
        model = Gift

    occasion = Gift.Occasion.BIRTHDAY
    description = "Huile cuticules"


class VisitFactory(ClientOwnedFactory):
    class Meta:
        model = Visit

    total = Decimal("45.00")
    payment_method = Visit.Payment.CARD


class ReactionFactory(ClientOwnedFactory):
    class Meta:
        model = Reaction

    symptoms = "Rougeurs autour des ongles"


from catalog.models import Product, Service  # noqa: E402 - appended with the catalog


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Prestation {n}")
    duration = 60
    price = Decimal("45.00")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    brand = "Ongle Étoile"
    name = factory.Sequence(lambda n: f"Gel couleur {n}")
    category = Product.Category.COLOUR_GEL

    @factory.post_generation
    def allergens(product, create, extracted, **kwargs):
        """ProductFactory(allergens=[hema, tpo]) sets them; none by default."""
        if create and extracted:
            product.allergens.set(extracted)


class PhotoFactory(ClientOwnedFactory):
    """A photo made the way the app makes it: real image bytes through the image module."""

    class Meta:
        model = Photo
        skip_postgeneration_save = True

    kind = "after"
    image = ""
    thumbnail = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from gallery.services import photo_add

        upload = SimpleUploadedFile("nails.jpg", image_bytes("JPEG", size=(120, 90)))
        kwargs.pop("image", None)
        kwargs.pop("thumbnail", None)
        kwargs.pop("account", None)
        in_portfolio = kwargs.pop("in_portfolio", False)
        photo = photo_add(processed=process_image(upload), **kwargs)
        if in_portfolio:
            photo.in_portfolio = True
            photo.save(update_fields=["in_portfolio"])
        return photo


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    account = factory.SubFactory(AccountFactory)
    slug = factory.Sequence(lambda n: f"ongles-{n}")
    enabled = True


from agenda.models import Appointment  # noqa: E402 - appended with the agenda


class AppointmentFactory(ClientOwnedFactory):
    class Meta:
        model = Appointment

    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    )
    duration = 60


from business.models import AccountExport  # noqa: E402 - appended with the account export


def zip_bytes(files=None):
    """Return the bytes of a real ZIP holding `files` ({name: text})."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (files or {"data.json": "{}"}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


class AccountExportFactory(factory.django.DjangoModelFactory):
    """A finished export, its ZIP stored like the background task stores it."""

    class Meta:
        model = AccountExport

    account = factory.SubFactory(AccountFactory)
    status = AccountExport.Status.READY
    progress = 100
    finished_at = factory.LazyFunction(timezone.now)
    file = factory.django.FileField(from_func=lambda: ContentFile(zip_bytes()), filename="x.zip")


from clients.models import ClientImport  # noqa: E402 - appended with the import

SAMPLE_LIST = "Prénom;Nom;Téléphone\r\nZoé;Martin;06 12 34 56 78\r\nLina;Petit;06 98 76 54 32\r\n"


class ClientImportFactory(factory.django.DjangoModelFactory):
    """An uploaded list waiting for its columns to be confirmed, with a real stored file."""

    class Meta:
        model = ClientImport

    account = factory.SubFactory(AccountFactory)
    original_name = "clientes.csv"
    headers = ["Prénom", "Nom", "Téléphone"]
    mapping = ["first_name", "last_name", "phone"]
    total = 2
    file = factory.LazyFunction(
        lambda: SimpleUploadedFile("clientes.csv", SAMPLE_LIST.encode("utf-8-sig"))
    )


from clients.models import ListExport  # noqa: E402 - appended with the list export


class ListExportFactory(factory.django.DjangoModelFactory):
    """A long client list built by the worker, its file stored as the task stores it."""

    class Meta:
        model = ListExport

    account = factory.SubFactory(AccountFactory)
    status = ListExport.Status.READY
    progress = 100
    total = 2
    file_format = "csv"
    finished_at = factory.LazyFunction(timezone.now)
    file = factory.django.FileField(
        from_func=lambda: ContentFile(SAMPLE_LIST.encode("utf-8-sig")), filename="x.csv"
    )


from gallery.models import BookingRequest  # noqa: E402 - appended with the public page


class BookingRequestFactory(factory.django.DjangoModelFactory):
    """An appointment request sent from her public page by someone without an account."""

    class Meta:
        model = BookingRequest

    account = factory.SubFactory(AccountFactory)
    name = "Inès Moreau"
    phone = "+33611223344"
    postal_code = "69003"
    preferred_times = "Tuesday evening"
    message = "Gel refill please"


from agenda.models import RescheduleRequest  # noqa: E402 - appended with the reply links


class RescheduleRequestFactory(ClientOwnedFactory):
    """Her request, from a reminder's link, to move an appointment of hers."""

    class Meta:
        model = RescheduleRequest

    appointment = factory.SubFactory(
        AppointmentFactory,
        account=factory.SelfAttribute("..account"),
        client=factory.SelfAttribute("..client"),
    )
    message = "Plutôt jeudi ?"
