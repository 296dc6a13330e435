from django.shortcuts import render

from ikm_registry.models import Product


def catalog(request):
    # Replaced by the catalog issue (#4); lists verified products meanwhile.
    products = Product.objects.public().select_related("business", "category")[:50]
    return render(request, "ikm_registry/catalog.html", {"products": products})
