from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.calendar import parse_month
from gerai.models import EventKind
from ikm_registry.fields import SafeModelChoiceField, SafeModelMultipleChoiceField
from ikm_registry.models import Business, Product


class EventFilterForm(forms.Form):
    """The GET filters of the public event pages; invalid values are simply ignored."""

    kind = forms.ChoiceField(
        label=_("Jenis acara"),
        required=False,
        choices=[("", _("Semua jenis")), *EventKind.choices],
    )
    month = forms.CharField(
        label=_("Bulan"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("Format TTTT-BB, mis. 2026-12."),
    )

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        parsed = parse_month(value, timezone.localdate())
        if parsed is None:
            raise forms.ValidationError(_("Tulis bulan sebagai TTTT-BB, mis. 2026-12."))
        return parsed


class BoothApplicationForm(forms.Form):
    """Apply with one of the owner's businesses and that business's products."""

    business = SafeModelChoiceField(
        label=_("Usaha"), queryset=Business.objects.none(), empty_label=None
    )
    products = SafeModelMultipleChoiceField(
        label=_("Produk yang akan dijual"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pilih produk dari usaha yang Anda pilih di atas."),
    )
    note = forms.CharField(
        label=_("Catatan untuk pengelola"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("mis. kebutuhan listrik, ukuran meja."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only verified businesses: accepted exhibitors are named on the public event page.
        businesses = Business.objects.owned_by(user).verified()
        self.fields["business"].queryset = businesses
        self.fields["products"].queryset = (
            Product.objects.owned_by(user)
            .filter(is_active=True, business__in=businesses)
            .select_related("business")
        )
        self.fields["products"].label_from_instance = lambda p: f"{p.name} ({p.business.name})"

    def clean(self):
        data = super().clean()
        business, products = data.get("business"), data.get("products") or []
        if business and any(p.business_id != business.pk for p in products):
            self.add_error("products", _("Pilih hanya produk dari usaha yang dipilih."))
        return data
