from django.urls import path

from ikm_registry import catalog

app_name = "ikm_registry"

urlpatterns = []

# --- Public catalog and buyer inquiries (issue #4) ---------------------------
urlpatterns += [
    path("katalog/", catalog.product_list, name="catalog"),
    path("katalog/<slug:slug>/", catalog.product_detail, name="catalog_product"),
    path("ikm-direktori/", catalog.business_list, name="directory"),
    path("ikm-direktori/<slug:slug>/", catalog.business_detail, name="directory_business"),
    path("permintaan-pembeli/", catalog.owner_inquiries, name="owner_inquiries"),
    path(
        "permintaan-pembeli/<int:pk>/dijawab/",
        catalog.inquiry_answered,
        name="inquiry_answered",
    ),
]
# --- end of the catalog block ------------------------------------------------
