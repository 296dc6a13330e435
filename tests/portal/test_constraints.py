"""The database itself enforces what the models claim: writes that skip validation
(a bulk update, a script, a raw query) are refused by constraints on both databases."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from ikm_registry.models import Business, Product
from missions.models import Deal


def refused(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


@pytest.mark.django_db
def test_money_is_never_negative(world):
    deal = Deal.objects.filter(pk=world["deal_a"].pk)
    refused(deal, amount=-1)
    refused(deal, value_idr=-1)
    refused(deal, rate_to_idr=0)
    refused(Product.objects.filter(pk=world["product_a"].pk), price_min=-5)
    refused(Business.objects.filter(pk=world["business_a"].pk), capital=-1)


@pytest.mark.django_db
def test_nib_is_unique(world):
    refused(Business.objects.filter(pk=world["business_b"].pk), nib=world["business_a"].nib)


@pytest.mark.django_db
def test_events_and_meetings_end_after_they_start(world):
    event = world["gerai_event"]
    refused(type(event).objects.filter(pk=event.pk), end=event.start - datetime.timedelta(hours=1))
    mission = world["mission_done"]
    refused(
        type(mission).objects.filter(pk=mission.pk),
        end_date=mission.start_date - datetime.timedelta(days=1),
    )


@pytest.mark.django_db
def test_a_business_with_deals_or_participations_cannot_be_deleted(world):
    business = world["business_a"]
    with pytest.raises(ProtectedError):
        business.delete()
    assert Business.objects.filter(pk=business.pk).exists()
