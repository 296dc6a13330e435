"""Owner pages (ikm/...): each object is reached through owned_by(), so others' give a 404."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ikm_registry import services
from ikm_registry.forms import (
    BusinessForm,
    CertificateForm,
    DeletionRequestForm,
    ExportRecordForm,
    PhotoForm,
    ProductForm,
)
from ikm_registry.forms_account import NotificationPreferencesForm
from ikm_registry.models import (
    Business,
    Certificate,
    ErasureRequest,
    ExportRecord,
    Product,
    ProductPhoto,
)
from tangerang_ikm.storage import serve_private


def unique_slug(model, text, *, max_length=160):
    base = slugify(text)[:max_length] or "ikm"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


NEXT_STEPS = {
    Business.Status.DRAFT: gettext_lazy("Lengkapi data dan produk, lalu ajukan verifikasi."),
    Business.Status.SUBMITTED: gettext_lazy("Menunggu pemeriksaan petugas Disperindag."),
    Business.Status.RETURNED: gettext_lazy("Perbaiki sesuai catatan petugas, lalu ajukan lagi."),
    Business.Status.VERIFIED: gettext_lazy(
        "Usaha Anda tampil di katalog. Jaga data dan sertifikat tetap baru."
    ),
}


def next_step(business):
    if business.status == Business.Status.VERIFIED and business.changed_since_verification:
        return _("Perubahan data publik Anda sedang diperiksa petugas.")
    return str(NEXT_STEPS[business.status])


# The dashboard lists certificates that expire within this many days (or have expired).
EXPIRING_DAYS = 90


def dashboard_context(user):
    """The owner dashboard's data; other apps add keys (e.g. 'inquiries')."""
    businesses = list(
        Business.objects.owned_by(user)
        .select_related("desa__kecamatan")
        .annotate(
            product_count=Count("products", distinct=True),
            certificate_count=Count("certificates", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.expiring(EXPIRING_DAYS).order_by("valid_until", "pk"),
                to_attr="expiring_certificates",
            )
        )
        .order_by("name")
    )
    for business in businesses:
        business.next_step = next_step(business)
    return {"businesses": businesses, "inquiries": None}


@login_required
def dashboard(request):
    return render(
        request, "ikm_registry/dashboard.html", {"dashboard": dashboard_context(request.user)}
    )


def _owned_business(request, pk):
    return get_object_or_404(
        Business.objects.owned_by(request.user).select_related("desa__kecamatan"), pk=pk
    )


@login_required
def business_create(request):
    form = BusinessForm(request.POST or None, request.FILES or None)
    if form.is_place_step():  # "Lanjut" after the kecamatan: show the form again, narrowed
        form = BusinessForm(initial=form.typed_so_far())
    elif request.method == "POST" and form.is_valid():
        business = form.save(commit=False)
        business.owner = request.user
        business.slug = unique_slug(Business, business.name)
        business.save()
        form.save_m2m()
        for other in form.warnings:
            messages.warning(
                request,
                _("Nama mirip dengan “%(name)s” di desa yang sama. Pastikan bukan data ganda.")
                % {"name": other.name},
            )
        messages.success(request, _("Data usaha tersimpan sebagai draf."))
        return redirect("ikm_registry:business_detail", pk=business.pk)
    return render(request, "ikm_registry/business_form.html", {"form": form})


@login_required
def business_detail(request, pk):
    business = _owned_business(request, pk)
    products = business.products.select_related("category").annotate(photo_count=Count("photos"))
    context = {
        "business": business,
        "products": products,
        "certificates": business.certificates.all(),
        "exports": business.exports.all(),
        "commodities": business.commodities.all(),
        "export_form": ExportRecordForm(business=business),
        "problems": services.submission_problems(business)
        if business.status in (Business.Status.DRAFT, Business.Status.RETURNED)
        else [],
        "next_step": next_step(business),
    }
    return render(request, "ikm_registry/business_detail.html", context)


@login_required
def business_edit(request, pk):
    business = _owned_business(request, pk)
    form = BusinessForm(request.POST or None, request.FILES or None, instance=business)
    if form.is_place_step():  # "Lanjut" after the kecamatan: show the form again, narrowed
        form = BusinessForm(initial=form.typed_so_far(), instance=business)
    elif request.method == "POST" and form.is_valid():
        business = form.save()
        services.owner_saved(business=business)
        for other in form.warnings:
            messages.warning(
                request,
                _("Nama mirip dengan “%(name)s” di desa yang sama. Pastikan bukan data ganda.")
                % {"name": other.name},
            )
        messages.success(request, _("Perubahan tersimpan."))
        return redirect("ikm_registry:business_detail", pk=business.pk)
    return render(request, "ikm_registry/business_form.html", {"form": form, "business": business})


@login_required
@require_POST
def business_submit(request, pk):
    business = _owned_business(request, pk)
    try:
        services.submit(business=business, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Data usaha diajukan. Petugas akan memeriksanya."))
    return redirect("ikm_registry:business_detail", pk=business.pk)


@login_required
@require_POST
def export_add(request, pk):
    business = _owned_business(request, pk)
    form = ExportRecordForm(request.POST, business=business)
    if form.is_valid():
        record = form.save(commit=False)
        record.business = business
        record.save()
        messages.success(request, _("Pengalaman ekspor tersimpan."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("ikm_registry:business_detail", pk=business.pk)


@login_required
@require_POST
def export_delete(request, pk):
    record = get_object_or_404(
        ExportRecord.objects.filter(business__in=Business.objects.owned_by(request.user)), pk=pk
    )
    business_pk = record.business_id
    record.delete()
    messages.success(request, _("Pengalaman ekspor dihapus."))
    return redirect("ikm_registry:business_detail", pk=business_pk)


def hs_filled_message(request, form):
    if form.hs_filled:
        messages.info(
            request,
            _("Kode HS diisi dengan saran %(code)s. Periksa dan ubah bila perlu.")
            % {"code": form.hs_filled.code},
        )


@login_required
def product_create(request, pk):
    business = _owned_business(request, pk)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        product = form.save(commit=False)
        product.business = business
        product.slug = unique_slug(Product, f"{product.name} {business.name}")
        product.save()
        services.owner_changed_products(business=business)
        messages.success(request, _("Produk tersimpan. Tambahkan fotonya."))
        hs_filled_message(request, form)
        return redirect("ikm_registry:product_edit", pk=product.pk)
    return render(request, "ikm_registry/product_form.html", {"form": form, "business": business})


def _owned_product(request, pk):
    return get_object_or_404(
        Product.objects.owned_by(request.user).select_related("business", "category"), pk=pk
    )


@login_required
def product_edit(request, pk):
    product = _owned_product(request, pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        form.save()
        if form.has_changed():
            services.owner_changed_products(business=product.business)
        messages.success(request, _("Produk tersimpan."))
        hs_filled_message(request, form)
        return redirect("ikm_registry:product_edit", pk=product.pk)
    context = {
        "form": form,
        "product": product,
        "business": product.business,
        "photos": product.photos.all(),
        "photo_form": PhotoForm(),
        "max_photos": Product.MAX_PHOTOS,
    }
    return render(request, "ikm_registry/product_form.html", context)


@login_required
@require_POST
def product_delete(request, pk):
    product = _owned_product(request, pk)
    business_pk = product.business_id
    for photo in product.photos.all():
        services.delete_photo(photo=photo)
    product.delete()
    services.owner_changed_products(business=Business.objects.get(pk=business_pk))
    messages.success(request, _("Produk dihapus."))
    return redirect("ikm_registry:business_detail", pk=business_pk)


@login_required
def photo_add(request, pk):
    product = _owned_product(request, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_photo(
                product=product,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            services.owner_changed_products(business=product.business)
            messages.success(request, _("Foto ditambahkan."))
            return redirect("ikm_registry:product_edit", pk=product.pk)
    return render(
        request,
        "ikm_registry/photo_form.html",
        {"form": form, "product": product, "business": product.business},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def photo_delete(request, pk):
    photo = get_object_or_404(
        ProductPhoto.objects.owned_by(request.user).select_related("product__business"), pk=pk
    )
    product_pk = photo.product_id
    business = photo.product.business
    services.delete_photo(photo=photo)
    services.owner_changed_products(business=business)
    messages.success(request, _("Foto dihapus."))
    return redirect("ikm_registry:product_edit", pk=product_pk)


@login_required
def certificate_create(request, pk):
    business = _owned_business(request, pk)
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        certificate = form.save(commit=False)
        certificate.business = business
        certificate.save()
        messages.success(request, _("Sertifikat tersimpan."))
        return redirect("ikm_registry:business_detail", pk=business.pk)
    return render(
        request, "ikm_registry/certificate_form.html", {"form": form, "business": business}
    )


@login_required
def certificate_edit(request, pk):
    certificate = get_object_or_404(
        Certificate.objects.owned_by(request.user).select_related("business"), pk=pk
    )
    form = CertificateForm(request.POST or None, request.FILES or None, instance=certificate)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Sertifikat tersimpan."))
        return redirect("ikm_registry:business_detail", pk=certificate.business_id)
    return render(
        request,
        "ikm_registry/certificate_form.html",
        {"form": form, "business": certificate.business, "certificate": certificate},
    )


@login_required
@require_POST
def certificate_delete(request, pk):
    certificate = get_object_or_404(Certificate.objects.owned_by(request.user), pk=pk)
    business_pk = certificate.business_id
    if certificate.document:
        certificate.document.delete(save=False)
    certificate.delete()
    messages.success(request, _("Sertifikat dihapus."))
    return redirect("ikm_registry:business_detail", pk=business_pk)


@login_required
def certificate_document(request, pk):
    """The only way to a certificate scan: its business's owner, or staff allowed to view."""
    if request.user.is_staff and request.user.has_perm("ikm_registry.view_certificate"):
        certificates = Certificate.objects.all()
    else:
        certificates = Certificate.objects.owned_by(request.user)
    certificate = get_object_or_404(certificates, pk=pk)
    return serve_private(request, certificate.document)


@login_required
def my_data(request):
    """The owner's data page; its form (POST) sets the language of their e-mail and the
    WhatsApp link in it."""
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Pilihan pemberitahuan disimpan."))
            return redirect("ikm_registry:my_data")
        status = 400
    else:
        form = NotificationPreferencesForm(instance=request.user)
        status = 200
    context = {
        "form": DeletionRequestForm(),
        "preferences": form,
        "businesses": Business.objects.owned_by(request.user).only("name", "deletion_requested_at"),
        "erasure_requests": ErasureRequest.objects.filter(user=request.user).order_by(
            "-requested_at"
        )[:5],
    }
    return render(request, "ikm_registry/my_data.html", context, status=status)


@login_required
def my_data_json(request):
    data = services.owner_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="data-saya.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data_xlsx(request):
    response = HttpResponse(
        services.owner_data_xlsx(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="data-saya.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def my_data_delete(request):
    form = DeletionRequestForm(request.POST)
    if form.is_valid():
        services.request_deletion(user=request.user)
        messages.success(
            request,
            _("Permintaan penghapusan terkirim. Petugas akan menghubungi Anda dalam 3 x 24 jam."),
        )
    else:
        messages.error(request, _("Centang kotak konfirmasi untuk meminta penghapusan."))
    return redirect("ikm_registry:my_data")
