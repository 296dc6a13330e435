from django import forms
from django.utils.translation import gettext_lazy as _

from ikm_registry.fields import QuickSelect, SafeModelChoiceField, SafeModelMultipleChoiceField
from ikm_registry.models import Business, Commodity, Product
from missions.models import Buyer, Deal, TradeMission

DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ApplyForm(forms.Form):
    """An owner applies with one of their verified businesses and chosen products."""

    business = SafeModelChoiceField(
        label=_("usaha"), queryset=Business.objects.none(), empty_label=None
    )
    products = SafeModelMultipleChoiceField(
        label=_("produk yang akan dibawa"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Pilih produk dari usaha yang mendaftar."),
    )
    notes = forms.CharField(
        label=_("catatan untuk panitia"), widget=forms.Textarea, required=False, max_length=2000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        businesses = Business.objects.owned_by(user).verified()
        self.fields["business"].queryset = businesses
        self.fields["products"].queryset = Product.objects.filter(
            business__in=businesses, is_active=True
        ).select_related("business")
        self.fields["products"].label_from_instance = lambda p: f"{p.name} ({p.business.name})"

    def clean(self):
        data = super().clean()
        business, products = data.get("business"), data.get("products") or []
        if business and any(p.business_id != business.pk for p in products):
            self.add_error("products", _("Produk yang dipilih harus milik usaha yang mendaftar."))
        return data


class OwnerDealForm(forms.ModelForm):
    """A deal an owner reports after the mission; staff confirm or correct it."""

    class Meta:
        model = Deal
        fields = [
            "kind",
            "stage",
            "realises",
            "buyer",
            "buyer_name",
            "product",
            "commodity",
            "quantity",
            "unit",
            "amount",
            "currency",
            "rate_to_idr",
            "usd_rate",
            "rate_date",
            "rate_source",
            "destination_country",
            "date",
            "notes",
            "document",
        ]
        widgets = {"date": DateInput(), "rate_date": DateInput(), "notes": forms.Textarea}

    def __init__(self, *args, participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation
        mission, business = participation.mission, participation.business
        self.instance.mission = mission
        self.instance.business = business
        self.fields["buyer"].queryset = Buyer.objects.met_by(business, mission=mission)
        self.fields["product"].queryset = Product.objects.filter(business=business)
        self.fields["realises"].queryset = Deal.objects.filter(
            mission=mission, business=business, kind=Deal.Kind.POTENTIAL
        ).select_related("buyer")
        self.fields["commodity"].queryset = Commodity.objects.all()
        self.fields["commodity"].required = False
        self.fields["currency"].help_text = _("Kode ISO, mis. IDR, USD, EUR, SGD.")
        self.fields["rate_to_idr"].required = False
        self.fields["usd_rate"].required = False

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean_document(self):
        doc = self.cleaned_data.get("document")
        if doc and hasattr(doc, "size"):
            if not doc.name.lower().endswith(DOCUMENT_TYPES):
                raise forms.ValidationError(_("Unggah PDF, JPG, atau PNG."))
            if doc.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(_("Dokumen paling besar 5 MB."))
        return doc

    def clean(self):
        data = super().clean()
        currency = data.get("currency")
        if currency == "IDR":
            data["rate_to_idr"] = 1
            self.instance.rate_to_idr = 1
        elif currency and not data.get("rate_to_idr"):
            self.add_error("rate_to_idr", _("Isi kurs ke rupiah untuk mata uang selain IDR."))
        if currency == "USD" and data.get("rate_to_idr"):
            data["usd_rate"] = data["rate_to_idr"]
            self.instance.usd_rate = data["rate_to_idr"]
        elif currency and not data.get("usd_rate"):
            self.add_error("usd_rate", _("Isi kurs US$ ke rupiah pada tanggal kurs."))
        if not data.get("buyer") and not data.get("buyer_name"):
            self.add_error("buyer_name", _("Pilih pembeli atau tulis namanya."))
        product = data.get("product")
        if not data.get("commodity"):
            if product:
                data["commodity"] = product.category
                self.instance.commodity = product.category
            else:
                self.add_error("commodity", _("Pilih komoditas atau produk."))
        return data


class DashboardFilterForm(forms.Form):
    # Options written in Python (QuickSelect): through the form templates the three
    # selects were over a third of a cached dashboard's time.
    year = forms.TypedChoiceField(
        label=_("tahun"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    scope = forms.ChoiceField(
        label=_("cakupan"),
        required=False,
        choices=[("", _("semua")), *TradeMission.Scope.choices],
        widget=QuickSelect,
    )
    commodity = SafeModelChoiceField(
        label=_("komoditas"),
        required=False,
        queryset=Commodity.objects.all(),
        empty_label=_("semua"),
        widget=QuickSelect,
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("semua"))] + [(y, y) for y in years]
