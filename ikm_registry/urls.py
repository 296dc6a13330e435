from django.urls import path

from ikm_registry import catalog, views, views_inquiry

app_name = "ikm_registry"

urlpatterns = [
    # Owner area.
    path("ikm/dasbor/", views.dashboard, name="dashboard"),
    path("ikm/usaha/baru/", views.business_create, name="business_create"),
    path("ikm/usaha/<int:pk>/", views.business_detail, name="business_detail"),
    path("ikm/usaha/<int:pk>/ubah/", views.business_edit, name="business_edit"),
    path("ikm/usaha/<int:pk>/ajukan/", views.business_submit, name="business_submit"),
    path("ikm/usaha/<int:pk>/ekspor/", views.export_add, name="export_add"),
    path("ikm/ekspor/<int:pk>/hapus/", views.export_delete, name="export_delete"),
    path("ikm/usaha/<int:pk>/produk/baru/", views.product_create, name="product_create"),
    path("ikm/produk/<int:pk>/", views.product_edit, name="product_edit"),
    path("ikm/produk/<int:pk>/hapus/", views.product_delete, name="product_delete"),
    path("ikm/produk/<int:pk>/foto/", views.photo_add, name="photo_add"),
    path("ikm/foto/<int:pk>/hapus/", views.photo_delete, name="photo_delete"),
    path(
        "ikm/usaha/<int:pk>/sertifikat/baru/",
        views.certificate_create,
        name="certificate_create",
    ),
    path("ikm/sertifikat/<int:pk>/", views.certificate_edit, name="certificate_edit"),
    path("ikm/sertifikat/<int:pk>/hapus/", views.certificate_delete, name="certificate_delete"),
    path(
        "ikm/sertifikat/<int:pk>/dokumen/",
        views.certificate_document,
        name="certificate_document",
    ),
    path("ikm/data-saya/", views.my_data, name="my_data"),
    path("ikm/data-saya/unduh.json", views.my_data_json, name="my_data_json"),
    path("ikm/data-saya/unduh.xlsx", views.my_data_xlsx, name="my_data_xlsx"),
    path("ikm/data-saya/hapus/", views.my_data_delete, name="my_data_delete"),
]

# --- Public catalog and buyer inquiries (issue #4) ---------------------------
urlpatterns += [
    path("katalog/", catalog.product_list, name="catalog"),
    path("katalog/<slug:slug>/", catalog.product_detail, name="catalog_product"),
    path("katalog/<slug:slug>/tanya/", views_inquiry.product_inquiry, name="product_inquiry"),
    path("ikm-direktori/", catalog.business_list, name="directory"),
    path("ikm-direktori/<slug:slug>/", catalog.business_detail, name="directory_business"),
    path(
        "ikm-direktori/<slug:slug>/tanya/",
        views_inquiry.business_inquiry,
        name="business_inquiry",
    ),
    path("permintaan-pembeli/", catalog.owner_inquiries, name="owner_inquiries"),
    path(
        "permintaan-pembeli/<int:pk>/dijawab/",
        catalog.inquiry_answered,
        name="inquiry_answered",
    ),
]
# --- end of the catalog block ------------------------------------------------
