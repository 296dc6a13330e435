"""Forms render through Jinja2 (Django's own widget templates for it); the admin's
widgets, which exist only as Django templates, still render."""

import pytest
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template
from django.urls import reverse

from ikm_registry.forms import ProductForm
from tangerang_ikm.renderers import FormRenderer


def test_widgets_come_from_jinja2_and_admin_widgets_from_django():
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), Jinja2Template)
    admin_widget = renderer.get_template("admin/widgets/foreign_key_raw_id.html")
    assert isinstance(admin_widget, DjangoTemplate)


@pytest.mark.django_db
def test_an_owner_form_renders_as_before():
    html = str(ProductForm()["export_ready"])
    assert html == '<input type="checkbox" name="export_ready" id="id_export_ready">'
    select = str(ProductForm()["category"])
    assert select.startswith('<select name="category"') and "</option>" in select


@pytest.mark.django_db
def test_an_admin_change_form_with_raw_id_widgets_renders(client, superuser, world):
    client.force_login(superuser)
    url = reverse("admin:missions_deal_change", args=[world["deal_a"].pk])
    body = client.get(url).content.decode()
    assert 'class="vForeignKeyRawIdAdminField"' in body
