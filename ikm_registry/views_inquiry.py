"""The buyer inquiry form, on its own page per product and per business.

The product and IKM pages carry only a link here, so they hold no form and no CSRF
token and a proxy may keep them for every visitor (tangerang_ikm.cache.public_page).
This page is per visitor (its token) and never public.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ikm_registry import inquiries
from ikm_registry.forms_inquiry import InquiryForm
from ikm_registry.models import Business, Product


def _inquiry_page(request, *, business, product=None, back):
    form = InquiryForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        inquiries.submit_inquiry(
            form=form, business=business, product=product, language=get_language()
        )
        messages.success(
            request,
            _(
                "Terima kasih. Permintaan Anda sudah dikirim kepada %(business)s dan "
                "Disperindag Kabupaten Tangerang; mereka akan membalas ke e-mail Anda."
            )
            % {"business": business.name},
        )
        return redirect(back)
    return render(
        request,
        "ikm_registry/catalog/inquiry.html",
        {"form": form, "business": business, "product": product, "back": back},
        status=429 if form.rate_limited else 200,
    )


@never_cache
def product_inquiry(request, slug):
    product = get_object_or_404(
        Product.objects.public().select_related("business__desa__kecamatan", "category"),
        slug=slug,
    )
    return _inquiry_page(
        request,
        business=product.business,
        product=product,
        back=reverse("ikm_registry:catalog_product", args=[product.slug]),
    )


@never_cache
def business_inquiry(request, slug):
    business = get_object_or_404(
        Business.objects.verified().select_related("desa__kecamatan"), slug=slug
    )
    return _inquiry_page(
        request,
        business=business,
        back=reverse("ikm_registry:directory_business", args=[business.slug]),
    )
