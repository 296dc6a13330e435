"""factory-boy factories shared by every test package."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from ikm_registry.models import Business, Commodity, Desa, Product


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="id_ID")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "password-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"IKM Contoh {n}")
    slug = factory.Sequence(lambda n: f"ikm-contoh-{n}")
    nib = factory.Sequence(lambda n: f"{9120000000000 + n:013d}")
    owner_name = factory.Faker("name", locale="id_ID")
    address = "Jl. Raya Serang Km 18,5"
    desa = factory.LazyFunction(lambda: Desa.objects.get(code="36.03.18.2004"))
    status = Business.Status.VERIFIED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """The state the services leave (dates, snapshot, notes), without their mail."""
        status = kwargs.pop("status")
        business = model_class(*args, **kwargs)
        now = timezone.now()
        if status != Business.Status.DRAFT:
            business.mark_submitted(at=kwargs.get("submitted_at") or now)
        if status == Business.Status.VERIFIED:
            business.mark_verified(at=kwargs.get("verified_at") or now)
        elif status == Business.Status.RETURNED:
            business.mark_returned(notes=kwargs.get("staff_notes") or "Lengkapi foto produk.")
        business.save(workflow=True)
        return business


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    business = factory.SubFactory(BusinessFactory)
    name = factory.Sequence(lambda n: f"Keranjang Rotan {n}")
    name_en = factory.Sequence(lambda n: f"Rattan Basket {n}")
    slug = factory.Sequence(lambda n: f"keranjang-rotan-{n}")
    category = factory.LazyFunction(lambda: Commodity.objects.get(slug="kerajinan-rotan"))
    unit = "pcs"
