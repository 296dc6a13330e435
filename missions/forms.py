from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ikm_registry.fields import (
    MoneyField,
    QuickSelect,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
)
from ikm_registry.models import Business, Commodity, Product
from missions import services
from missions.models import (
    Buyer,
    Deal,
    FollowUp,
    Participation,
    Rating,
    TradeMission,
    currency_choices,
)

DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CurrencyField(forms.ChoiceField):
    """An ISO 4217 code from the maintained list; typed lower case is read as upper case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", currency_choices)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()


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

    def __init__(self, *args, user, mission=None, **kwargs):
        super().__init__(*args, **kwargs)
        businesses = Business.objects.owned_by(user).verified()
        self.fields["business"].queryset = businesses
        self.mission = mission
        self.mismatched = commodity_mismatches(mission, businesses) if mission else []
        self.fields["products"].queryset = Product.objects.filter(
            business__in=businesses, is_active=True
        ).select_related("business")
        self.fields["products"].label_from_instance = lambda p: f"{p.name} ({p.business.name})"

    def mismatch_message(self, business):
        return _(
            "%(business)s tidak memiliki komoditas sasaran misi ini (%(targets)s). Pendaftaran "
            "tetap dapat dikirim; panitia akan melihat catatan ini saat seleksi."
        ) % {
            "business": business.name,
            "targets": ", ".join(c.name for c in self.mission.commodities.all()),
        }

    def mismatch_messages(self):
        return [self.mismatch_message(b) for b in self.mismatched]

    def clean(self):
        data = super().clean()
        business, products = data.get("business"), data.get("products") or []
        if business and any(p.business_id != business.pk for p in products):
            self.add_error("products", _("Produk yang dipilih harus milik usaha yang mendaftar."))
        return data


def commodity_mismatches(mission, businesses):
    """The businesses none of whose commodities the mission targets (a warning, not a bar).

    A mission without target commodities matches everyone. Two queries.
    """
    targets = set(mission.commodities.values_list("pk", flat=True))
    if not targets:
        return []
    rows = list(businesses.prefetch_related("commodities"))
    return [b for b in rows if not targets & {c.pk for c in b.commodities.all()}]


class OwnerDealForm(forms.ModelForm):
    """A deal an owner reports after the mission; staff confirm or correct it."""

    currency = CurrencyField(label=_("mata uang"), initial="IDR")

    class Meta:
        model = Deal
        fields = [
            "kind",
            "stage",
            "realises",
            "meeting",
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
        # Amounts and rates as people write them: "25.000.000", "Rp 25.000.000", "16.250,5".
        field_classes = {"amount": MoneyField, "rate_to_idr": MoneyField, "usd_rate": MoneyField}

    def __init__(self, *args, participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.participation = participation
        mission, business = participation.mission, participation.business
        self.instance.mission = mission
        self.instance.business = business
        self.fields["buyer"].queryset = Buyer.objects.met_by(business, mission=mission)
        # A deal that came out of a meeting: its ratings and next steps follow the deal.
        self.fields["meeting"].queryset = participation.meetings.select_related("buyer")
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{timezone.localtime(m.start):%d/%m/%Y %H.%M} \u00b7 {m.buyer.company}"
        )
        self.fields["meeting"].help_text = _("Pertemuan bisnis asal transaksi ini, jika ada.")
        self.fields["product"].queryset = Product.objects.filter(business=business)
        self.fields["realises"].queryset = Deal.objects.filter(
            mission=mission, business=business, kind=Deal.Kind.POTENTIAL
        ).select_related("buyer")
        self.fields["commodity"].queryset = Commodity.objects.all()
        self.fields["commodity"].required = False
        self.fields["currency"].help_text = _("Kode ISO 4217, mis. IDR, USD, EUR, KRW.")
        self.fields["rate_to_idr"].required = False
        self.fields["usd_rate"].required = False

    def clean_document(self):
        doc = self.cleaned_data.get("document")
        if doc and hasattr(doc, "size"):
            if not doc.name.lower().endswith(DOCUMENT_TYPES):
                raise forms.ValidationError(_("Unggah PDF, JPG, atau PNG."))
            if doc.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(_("Dokumen paling besar 5 MB."))
        return doc

    def clean(self):
        # Rates left empty come from the rate table in Deal.clean (Deal.fill_rates).
        data = super().clean()
        meeting = data.get("meeting")
        if meeting and not data.get("buyer") and not data.get("buyer_name"):
            data["buyer"] = self.instance.buyer = meeting.buyer
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


class RealisationForm(forms.Form):
    """One (partial) realisation reported in a follow-up."""

    amount = forms.DecimalField(
        label=_("nilai"), min_value=0, max_digits=18, decimal_places=2, required=False
    )
    currency = CurrencyField(label=_("mata uang"), required=False)
    date = forms.DateField(label=_("tanggal"), widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        filled = [k for k in ("amount", "currency", "date") if data.get(k) not in (None, "")]
        if filled and len(filled) < 3:
            raise forms.ValidationError(_("Isi nilai, mata uang, dan tanggal realisasi."))
        return data


RealisationFormSet = forms.formset_factory(RealisationForm, extra=3, max_num=3)


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Apakah potensi ini sudah menjadi penjualan?"),
        choices=FollowUp.Answer.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("alasan (jika tidak akan terjadi) atau catatan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.realisations = RealisationFormSet(data, prefix="r")

    def is_valid(self):
        return super().is_valid() & self.realisations.is_valid()

    def clean(self):
        data = super().clean()
        if data.get("answer") == FollowUp.Answer.WILL_NOT_HAPPEN and not data.get("reason"):
            self.add_error("reason", _("Tuliskan alasannya."))
        return data

    def realised_rows(self):
        rows = (f.cleaned_data for f in self.realisations)
        return [row for row in rows if row.get("amount") is not None]


class PartyAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("confirmed", _("Benar")), ("disputed", _("Tidak benar"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Apa yang tidak benar?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "disputed" and not data.get("comment"):
            self.add_error("comment", _("Tuliskan apa yang tidak benar."))
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

    size_class = forms.ChoiceField(
        label=_("kelas usaha (menurut hasil penjualan)"),
        required=False,
        choices=[("", _("semua")), *Business.SizeClass.choices],
        widget=QuickSelect,
        help_text=_("PP 7/2021: program pemberdayaan memakai hasil penjualan tahunan."),
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("semua"))] + [(y, y) for y in years]


# --- Meeting requests --------------------------------------------------------


class MeetingRequestForm(forms.Form):
    """A buyer picks IKM of the mission to meet, and the half-days they have free."""

    participations = SafeModelMultipleChoiceField(
        label=_("IKM yang ingin ditemui"),
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    free_slots = forms.MultipleChoiceField(
        label=_("waktu luang Anda (waktu setempat)"), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("pesan untuk IKM (opsional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, invitation, requestable, used, **kwargs):
        super().__init__(*args, **kwargs)
        mission = invitation.mission
        self.invitation = invitation
        self.fields["participations"].queryset = requestable
        self.fields["participations"].label_from_instance = lambda p: p.business.name
        self.fields["free_slots"].choices = mission.free_slot_choices()
        self.initial.setdefault("free_slots", invitation.free_slots)
        self.left = max(mission.meeting_request_limit - used, 0)
        self.fields["participations"].help_text = _(
            "Paling banyak %(limit)d IKM; sisa permintaan Anda: %(left)d."
        ) % {"limit": mission.meeting_request_limit, "left": self.left}

    def clean_participations(self):
        chosen = self.cleaned_data["participations"]
        if len(chosen) > self.left:
            raise forms.ValidationError(
                _("Anda hanya dapat memilih %(left)d IKM lagi.") % {"left": self.left}
            )
        return chosen


class MeetingAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("jawaban"),
        choices=[("accept", _("Terima")), ("decline", _("Tolak"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("komentar untuk pembeli"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("comment"):
            self.add_error("comment", _("Tuliskan alasan penolakan untuk pembeli."))
        return data


class MeetingRatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Apakah pertemuan ini bermanfaat?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    next_step = forms.CharField(
        label=_("langkah berikutnya"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Mis. kirim sampel, penawaran harga, kunjungan pabrik."),
    )

    def save(self, meeting, side):
        """Record this side's rating; False, with the reason on the form, when refused."""
        if not self.is_valid():
            return False
        try:
            services.rate_meeting(
                meeting=meeting,
                side=side,
                rating=self.cleaned_data["rating"],
                next_step=self.cleaned_data["next_step"],
            )
        except ValidationError as exc:
            self.add_error(None, exc)
            return False
        return True
