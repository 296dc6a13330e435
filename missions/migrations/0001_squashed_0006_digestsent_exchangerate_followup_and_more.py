"""Missions 0001-0006 as one migration, for new databases (a database that has them
applied keeps them; Django uses this file only where none of them is applied).

Written from the migration state at 0006 (the models as they were then, one CreateModel
each with its constraints and indexes), with 0002's PostgreSQL-only exclusion
constraints at the end. Django's squashmigrations could fold nothing: 0002's SQL and
each constraint between a CreateModel and a later AddField or AlterField stop its
optimizer. A fresh `migrate` of the whole project (quiet 2-core machine) takes 22.0 s
instead of 26.5 s on SQLite (0006 alone rebuilt the deal tables 30 times) and 23.2 s
instead of 25.8 s on PostgreSQL; each test process builds its test database this way. The schema is the same: on SQLite every table's definition,
index and constraint; on PostgreSQL every column, constraint and index
(information_schema and pg_catalog compared after migrating both ways).
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_countries.fields
import missions.models
import simple_history.models
import tangerang_ikm.db
import tangerang_ikm.storage
import tangerang_ikm.uploads
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("missions", "0001_initial"),
        ("missions", "0002_meeting_no_overlap_postgresql"),
        ("missions", "0003_deal_document_private_storage"),
        ("missions", "0004_deal_amounts_not_negative"),
        ("missions", "0005_list_order_indexes"),
        ("missions", "0006_digestsent_exchangerate_followup_and_more"),
    ]

    initial = True

    dependencies = [
        ("ikm_registry", "0013_history_without_nik"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgramTarget",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="tahun")),
                ("target_ikm", models.PositiveIntegerField(verbose_name="target IKM")),
                ("notes", models.CharField(blank=True, max_length=200, verbose_name="catatan")),
            ],
            options={
                "verbose_name": "target program",
                "verbose_name_plural": "target program",
                "ordering": ["-year"],
            },
        ),
        migrations.CreateModel(
            name="Buyer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("company", models.CharField(max_length=200, verbose_name="perusahaan")),
                (
                    "normalized_name",
                    models.CharField(
                        db_index=True,
                        editable=False,
                        max_length=200,
                        verbose_name="nama ternormalisasi",
                    ),
                ),
                (
                    "country",
                    django_countries.fields.CountryField(max_length=2, verbose_name="negara"),
                ),
                ("city", models.CharField(blank=True, max_length=100, verbose_name="kota")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("importer", "importir"),
                            ("distributor", "distributor"),
                            ("retailer", "peritel"),
                            ("wholesaler", "pedagang besar"),
                            ("horeca", "hotel/restoran/kafe"),
                            ("ecommerce", "e-commerce"),
                            ("manufacturer", "produsen"),
                            ("agent", "agen/perwakilan"),
                            ("other", "lainnya"),
                        ],
                        max_length=15,
                        verbose_name="jenis pembeli",
                    ),
                ),
                (
                    "contact_person",
                    models.CharField(
                        blank=True,
                        help_text="Data pribadi: tidak dipublikasikan.",
                        max_length=150,
                        verbose_name="narahubung",
                    ),
                ),
                (
                    "email",
                    models.EmailField(
                        blank=True,
                        help_text="Dipakai untuk meminta pembeli mengonfirmasi transaksi.",
                        max_length=254,
                        verbose_name="e-mail",
                    ),
                ),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="telepon")),
                ("notes", models.TextField(blank=True, verbose_name="catatan")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat pada")),
                (
                    "language",
                    models.CharField(
                        blank=True,
                        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
                        help_text="Kosong: bahasa Indonesia untuk pembeli di Indonesia, Inggris untuk lainnya.",
                        max_length=5,
                        verbose_name="bahasa e-mail",
                    ),
                ),
                (
                    "commodities",
                    models.ManyToManyField(
                        blank=True,
                        related_name="buyers",
                        to="ikm_registry.commodity",
                        verbose_name="komoditas yang diminati",
                    ),
                ),
                (
                    "source_inquiry",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="buyer",
                        to="ikm_registry.inquiry",
                        verbose_name="dari permintaan pembeli",
                    ),
                ),
            ],
            options={
                "verbose_name": "pembeli",
                "verbose_name_plural": "pembeli",
                "ordering": ["company"],
            },
        ),
        migrations.CreateModel(
            name="Deal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "buyer_name",
                    models.CharField(
                        blank=True,
                        max_length=200,
                        verbose_name="nama pembeli (jika belum terdaftar)",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("spot", "transaksi langsung"),
                            ("potential", "potensi transaksi"),
                            ("realised", "realisasi"),
                        ],
                        max_length=10,
                        verbose_name="jenis transaksi",
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        blank=True,
                        choices=[("negotiation", "negosiasi"), ("loi", "LoI"), ("mou", "MoU")],
                        help_text="Hanya untuk potensi transaksi: negosiasi, LoI, atau MoU.",
                        max_length=12,
                        verbose_name="tahap potensi",
                    ),
                ),
                (
                    "quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="jumlah",
                    ),
                ),
                ("unit", models.CharField(blank=True, max_length=30, verbose_name="satuan")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=18,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="nilai",
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        choices=missions.models.currency_choices,
                        default="IDR",
                        max_length=3,
                        validators=[missions.models.validate_currency],
                        verbose_name="mata uang",
                    ),
                ),
                (
                    "rate_to_idr",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text="Rupiah untuk 1 satuan mata uang transaksi. Kosongkan untuk memakai tabel kurs pada tanggal transaksi; rupiah tidak memerlukan kurs.",
                        max_digits=16,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
                        verbose_name="kurs ke rupiah",
                    ),
                ),
                (
                    "usd_rate",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text="Rupiah untuk 1 US$. Kosongkan untuk memakai tabel kurs.",
                        max_digits=16,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
                        verbose_name="kurs US$ ke rupiah",
                    ),
                ),
                (
                    "rate_date",
                    models.DateField(
                        blank=True,
                        help_text="Kosong: tanggal transaksi.",
                        verbose_name="tanggal kurs",
                    ),
                ),
                (
                    "rate_source",
                    models.CharField(
                        blank=True,
                        default="Kurs JISDOR Bank Indonesia",
                        max_length=100,
                        verbose_name="sumber kurs",
                    ),
                ),
                (
                    "value_idr",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        editable=False,
                        max_digits=20,
                        verbose_name="nilai (Rp)",
                    ),
                ),
                (
                    "value_usd",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        editable=False,
                        help_text="Kosong bila transaksi rupiah tanpa kurs US$ di tabel kurs.",
                        max_digits=18,
                        null=True,
                        verbose_name="nilai (US$)",
                    ),
                ),
                (
                    "destination_country",
                    django_countries.fields.CountryField(
                        default="ID", max_length=2, verbose_name="negara tujuan"
                    ),
                ),
                ("date", models.DateField(verbose_name="tanggal transaksi")),
                ("notes", models.TextField(blank=True, verbose_name="catatan")),
                (
                    "document",
                    models.FileField(
                        blank=True,
                        help_text="Kontrak, LoI, MoU, atau faktur. Tidak pernah dapat diunduh publik.",
                        storage=tangerang_ikm.storage.private_storage,
                        upload_to="deals/%Y/%m/",
                        validators=[tangerang_ikm.uploads.DocumentValidator()],
                        verbose_name="dokumen pendukung",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("reported", "dilaporkan pemilik"),
                            ("confirmed", "dikonfirmasi petugas"),
                        ],
                        default="reported",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "confirmed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="dikonfirmasi pada"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat pada")),
                (
                    "buyer_answer",
                    models.CharField(
                        blank=True,
                        choices=[("confirmed", "dikonfirmasi"), ("disputed", "dipersoalkan")],
                        editable=False,
                        max_length=10,
                        verbose_name="jawaban pembeli",
                    ),
                ),
                (
                    "buyer_answered_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="pembeli menjawab pada"
                    ),
                ),
                (
                    "buyer_comment",
                    models.TextField(blank=True, editable=False, verbose_name="komentar pembeli"),
                ),
                (
                    "ikm_answer",
                    models.CharField(
                        blank=True,
                        choices=[("confirmed", "dikonfirmasi"), ("disputed", "dipersoalkan")],
                        editable=False,
                        max_length=10,
                        verbose_name="jawaban IKM",
                    ),
                ),
                (
                    "ikm_answered_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="IKM menjawab pada"
                    ),
                ),
                (
                    "ikm_comment",
                    models.TextField(blank=True, editable=False, verbose_name="komentar IKM"),
                ),
                (
                    "business",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mission_deals",
                        to="ikm_registry.business",
                        verbose_name="IKM penjual",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deals",
                        to="missions.buyer",
                        verbose_name="pembeli",
                    ),
                ),
                (
                    "commodity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mission_deals",
                        to="ikm_registry.commodity",
                        verbose_name="komoditas",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dikonfirmasi oleh",
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="mission_deals",
                        to="ikm_registry.product",
                        verbose_name="produk",
                    ),
                ),
                (
                    "realises",
                    models.ForeignKey(
                        blank=True,
                        help_text="Untuk realisasi: potensi transaksi yang direalisasikan.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="realisations",
                        to="missions.deal",
                        verbose_name="merealisasikan potensi",
                    ),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dilaporkan oleh",
                    ),
                ),
            ],
            options={
                "verbose_name": "transaksi",
                "verbose_name_plural": "transaksi",
                "ordering": ["-date", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="DigestSent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("week", models.DateField(verbose_name="minggu (Senin)")),
                ("email", models.EmailField(max_length=254, verbose_name="dikirim ke")),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="dikirim pada"
                    ),
                ),
            ],
            options={
                "verbose_name": "ringkasan mingguan terkirim",
                "verbose_name_plural": "ringkasan mingguan terkirim",
                "constraints": [
                    models.UniqueConstraint(fields=("week", "email"), name="digest_once_a_week")
                ],
            },
        ),
        migrations.CreateModel(
            name="ExchangeRate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        choices=missions.models.currency_choices,
                        max_length=3,
                        validators=[missions.models.validate_currency],
                        verbose_name="mata uang",
                    ),
                ),
                ("date", models.DateField(verbose_name="tanggal")),
                (
                    "rate_to_idr",
                    models.DecimalField(
                        decimal_places=6,
                        help_text="Rupiah untuk 1 satuan mata uang pada tanggal itu.",
                        max_digits=16,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
                        verbose_name="kurs ke rupiah",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("bi_kurs_transaksi", "Bank Indonesia: kurs transaksi (tengah)"),
                            ("jisdor", "Bank Indonesia: JISDOR"),
                            ("office", "ditetapkan Disperindag"),
                        ],
                        max_length=20,
                        verbose_name="sumber",
                    ),
                ),
                ("notes", models.CharField(blank=True, max_length=200, verbose_name="catatan")),
            ],
            options={
                "verbose_name": "kurs",
                "verbose_name_plural": "tabel kurs",
                "ordering": ["-date", "currency"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("currency", "date"), name="exchange_rate_one_per_day"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("rate_to_idr__gt", 0)), name="exchange_rate_positive"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FollowUp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("months", models.PositiveSmallIntegerField(verbose_name="bulan setelah misi")),
                ("due_date", models.DateField(verbose_name="jatuh tempo")),
                ("email", models.EmailField(max_length=254, verbose_name="dikirim ke")),
                (
                    "nonce",
                    models.CharField(
                        default=missions.models.new_nonce, editable=False, max_length=24
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="dikirim pada"
                    ),
                ),
                ("expires_at", models.DateTimeField(verbose_name="berlaku sampai")),
                (
                    "answer",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("realised", "sudah terealisasi"),
                            ("in_progress", "masih berjalan"),
                            ("cancelled", "tidak akan terjadi"),
                        ],
                        max_length=12,
                        verbose_name="jawaban",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="alasan")),
                (
                    "answered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="dijawab pada"),
                ),
                (
                    "superseded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="diganti pada"),
                ),
                (
                    "deal",
                    models.ForeignKey(
                        limit_choices_to={"kind": "potential"},
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follow_ups",
                        to="missions.deal",
                        verbose_name="potensi transaksi",
                    ),
                ),
            ],
            options={
                "verbose_name": "tindak lanjut potensi",
                "verbose_name_plural": "tindak lanjut potensi",
                "ordering": ["deal", "months"],
            },
            bases=(missions.models.SignedLinkMixin, models.Model),
        ),
        migrations.AddField(
            model_name="deal",
            name="follow_up",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="realisations",
                to="missions.followup",
                verbose_name="dari tindak lanjut",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalExchangeRate",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        choices=missions.models.currency_choices,
                        max_length=3,
                        validators=[missions.models.validate_currency],
                        verbose_name="mata uang",
                    ),
                ),
                ("date", models.DateField(verbose_name="tanggal")),
                (
                    "rate_to_idr",
                    models.DecimalField(
                        decimal_places=6,
                        help_text="Rupiah untuk 1 satuan mata uang pada tanggal itu.",
                        max_digits=16,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
                        verbose_name="kurs ke rupiah",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("bi_kurs_transaksi", "Bank Indonesia: kurs transaksi (tengah)"),
                            ("jisdor", "Bank Indonesia: JISDOR"),
                            ("office", "ditetapkan Disperindag"),
                        ],
                        max_length=20,
                        verbose_name="sumber",
                    ),
                ),
                ("notes", models.CharField(blank=True, max_length=200, verbose_name="catatan")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical kurs",
                "verbose_name_plural": "historical tabel kurs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalParticipation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "booth_number",
                    models.CharField(blank=True, max_length=20, verbose_name="nomor stan"),
                ),
                ("notes", models.TextField(blank=True, verbose_name="catatan")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("applied", "mendaftar"),
                            ("shortlisted", "masuk daftar pendek"),
                            ("accepted", "diterima"),
                            ("rejected", "ditolak"),
                            ("attended", "hadir"),
                            ("no_show", "tidak hadir"),
                            ("withdrawn", "mengundurkan diri"),
                        ],
                        default="applied",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "applied_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="mendaftar pada"
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="diputuskan pada"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "business",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ikm_registry.business",
                        verbose_name="IKM",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical peserta misi",
                "verbose_name_plural": "historical peserta misi",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTradeMission",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="judul")),
                ("slug", models.SlugField(max_length=220, verbose_name="slug")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("misi_dagang", "misi dagang"),
                            ("pameran", "pameran"),
                            ("temu_bisnis", "business matching/temu bisnis"),
                            ("buying_mission", "buying mission"),
                            ("kontrak", "penandatanganan kontrak/MoU"),
                            ("lainnya", "lainnya"),
                        ],
                        max_length=20,
                        verbose_name="jenis",
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("jabodetabek", "Jabodetabek"),
                            ("nasional", "nasional"),
                            ("internasional", "internasional"),
                        ],
                        max_length=15,
                        verbose_name="cakupan",
                    ),
                ),
                ("city", models.CharField(max_length=100, verbose_name="kota tujuan")),
                (
                    "country",
                    django_countries.fields.CountryField(
                        default="ID", max_length=2, verbose_name="negara tujuan"
                    ),
                ),
                (
                    "partner",
                    models.CharField(
                        blank=True,
                        help_text="Daerah, instansi, ITPC, atau kedutaan yang bekerja sama.",
                        max_length=200,
                        verbose_name="mitra",
                    ),
                ),
                ("venue", models.CharField(blank=True, max_length=200, verbose_name="tempat")),
                ("start_date", models.DateField(verbose_name="tanggal mulai")),
                ("end_date", models.DateField(verbose_name="tanggal selesai")),
                ("registration_opens", models.DateTimeField(verbose_name="pendaftaran dibuka")),
                (
                    "registration_closes",
                    models.DateTimeField(
                        help_text="Pendaftaran IKM ditolak setelah waktu ini.",
                        verbose_name="batas pendaftaran",
                    ),
                ),
                (
                    "quota",
                    models.PositiveSmallIntegerField(
                        help_text="Jumlah IKM yang dapat diterima; tidak pernah dapat dilampaui.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="kuota IKM",
                    ),
                ),
                (
                    "budget_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("apbd", "APBD Kabupaten Tangerang"),
                            ("apbd_prov", "APBD Provinsi Banten"),
                            ("apbn", "APBN"),
                            ("mitra", "mitra/sponsor"),
                            ("peserta", "swadaya peserta"),
                            ("lainnya", "lainnya"),
                        ],
                        max_length=12,
                        verbose_name="sumber anggaran",
                    ),
                ),
                (
                    "budget_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=16,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="anggaran (Rp)",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="deskripsi")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "draf"),
                            ("open", "pendaftaran dibuka"),
                            ("selection", "seleksi"),
                            ("ongoing", "berlangsung"),
                            ("completed", "selesai"),
                            ("reported", "dilaporkan"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="dibuat pada"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(
                        blank=True, editable=False, verbose_name="diperbarui pada"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical misi dagang",
                "verbose_name_plural": "historical misi dagang",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Meeting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start", models.DateTimeField(verbose_name="mulai")),
                ("end", models.DateTimeField(verbose_name="selesai")),
                ("table", models.CharField(blank=True, max_length=10, verbose_name="meja")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("no_interest", "tidak berminat"),
                            ("follow_up", "tindak lanjut"),
                            ("sample", "minta sampel"),
                            ("negotiation", "negosiasi"),
                            ("deal", "transaksi"),
                        ],
                        max_length=12,
                        verbose_name="hasil",
                    ),
                ),
                ("notes", models.TextField(blank=True, verbose_name="catatan")),
                (
                    "business",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mission_meetings",
                        to="ikm_registry.business",
                        verbose_name="IKM",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="meetings",
                        to="missions.buyer",
                        verbose_name="pembeli",
                    ),
                ),
            ],
            options={
                "verbose_name": "pertemuan bisnis",
                "verbose_name_plural": "pertemuan bisnis",
                "ordering": ["start", "table"],
            },
        ),
        migrations.AddField(
            model_name="deal",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="deals",
                to="missions.meeting",
                verbose_name="dari pertemuan",
            ),
        ),
        migrations.CreateModel(
            name="Participation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "booth_number",
                    models.CharField(blank=True, max_length=20, verbose_name="nomor stan"),
                ),
                ("notes", models.TextField(blank=True, verbose_name="catatan")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("applied", "mendaftar"),
                            ("shortlisted", "masuk daftar pendek"),
                            ("accepted", "diterima"),
                            ("rejected", "ditolak"),
                            ("attended", "hadir"),
                            ("no_show", "tidak hadir"),
                            ("withdrawn", "mengundurkan diri"),
                        ],
                        default="applied",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "applied_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="mendaftar pada"
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="diputuskan pada"),
                ),
                (
                    "business",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="participations",
                        to="ikm_registry.business",
                        verbose_name="IKM",
                    ),
                ),
                (
                    "products",
                    models.ManyToManyField(
                        blank=True,
                        related_name="participations",
                        to="ikm_registry.product",
                        verbose_name="produk yang dibawa",
                    ),
                ),
            ],
            options={
                "verbose_name": "peserta misi",
                "verbose_name_plural": "peserta misi",
                "ordering": ["mission", "business__name"],
            },
        ),
        migrations.AddField(
            model_name="meeting",
            name="participation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="meetings",
                to="missions.participation",
                verbose_name="peserta",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalParticipation_products",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="missions.historicalparticipation",
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ikm_registry.product",
                    ),
                ),
                (
                    "participation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.participation",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalParticipation_products",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PartyConfirmation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=[("buyer", "pembeli"), ("ikm", "IKM")],
                        max_length=5,
                        verbose_name="pihak",
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="dikirim ke")),
                (
                    "language",
                    models.CharField(
                        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
                        max_length=5,
                        verbose_name="bahasa",
                    ),
                ),
                (
                    "nonce",
                    models.CharField(
                        default=missions.models.new_nonce, editable=False, max_length=24
                    ),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="dikirim pada"
                    ),
                ),
                ("expires_at", models.DateTimeField(verbose_name="berlaku sampai")),
                (
                    "answer",
                    models.CharField(
                        blank=True,
                        choices=[("confirmed", "dikonfirmasi"), ("disputed", "dipersoalkan")],
                        max_length=10,
                        verbose_name="jawaban",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="komentar")),
                (
                    "answered_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="dijawab pada"),
                ),
                (
                    "superseded_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Tautan baru dikirim atau data transaksi berubah: tautan ini tidak berlaku.",
                        null=True,
                        verbose_name="diganti pada",
                    ),
                ),
                (
                    "deal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="party_confirmations",
                        to="missions.deal",
                        verbose_name="transaksi",
                    ),
                ),
            ],
            options={
                "verbose_name": "konfirmasi para pihak",
                "verbose_name_plural": "konfirmasi para pihak",
                "ordering": ["-sent_at", "-pk"],
            },
            bases=(missions.models.SignedLinkMixin, models.Model),
        ),
        migrations.CreateModel(
            name="TradeMission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="judul")),
                ("slug", models.SlugField(max_length=220, unique=True, verbose_name="slug")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("misi_dagang", "misi dagang"),
                            ("pameran", "pameran"),
                            ("temu_bisnis", "business matching/temu bisnis"),
                            ("buying_mission", "buying mission"),
                            ("kontrak", "penandatanganan kontrak/MoU"),
                            ("lainnya", "lainnya"),
                        ],
                        max_length=20,
                        verbose_name="jenis",
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("jabodetabek", "Jabodetabek"),
                            ("nasional", "nasional"),
                            ("internasional", "internasional"),
                        ],
                        max_length=15,
                        verbose_name="cakupan",
                    ),
                ),
                ("city", models.CharField(max_length=100, verbose_name="kota tujuan")),
                (
                    "country",
                    django_countries.fields.CountryField(
                        default="ID", max_length=2, verbose_name="negara tujuan"
                    ),
                ),
                (
                    "partner",
                    models.CharField(
                        blank=True,
                        help_text="Daerah, instansi, ITPC, atau kedutaan yang bekerja sama.",
                        max_length=200,
                        verbose_name="mitra",
                    ),
                ),
                ("venue", models.CharField(blank=True, max_length=200, verbose_name="tempat")),
                ("start_date", models.DateField(verbose_name="tanggal mulai")),
                ("end_date", models.DateField(verbose_name="tanggal selesai")),
                ("registration_opens", models.DateTimeField(verbose_name="pendaftaran dibuka")),
                (
                    "registration_closes",
                    models.DateTimeField(
                        help_text="Pendaftaran IKM ditolak setelah waktu ini.",
                        verbose_name="batas pendaftaran",
                    ),
                ),
                (
                    "quota",
                    models.PositiveSmallIntegerField(
                        help_text="Jumlah IKM yang dapat diterima; tidak pernah dapat dilampaui.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="kuota IKM",
                    ),
                ),
                (
                    "budget_source",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("apbd", "APBD Kabupaten Tangerang"),
                            ("apbd_prov", "APBD Provinsi Banten"),
                            ("apbn", "APBN"),
                            ("mitra", "mitra/sponsor"),
                            ("peserta", "swadaya peserta"),
                            ("lainnya", "lainnya"),
                        ],
                        max_length=12,
                        verbose_name="sumber anggaran",
                    ),
                ),
                (
                    "budget_amount",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=16,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="anggaran (Rp)",
                    ),
                ),
                ("description", models.TextField(blank=True, verbose_name="deskripsi")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "draf"),
                            ("open", "pendaftaran dibuka"),
                            ("selection", "seleksi"),
                            ("ongoing", "berlangsung"),
                            ("completed", "selesai"),
                            ("reported", "dilaporkan"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat pada")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="diperbarui pada")),
                (
                    "commodities",
                    models.ManyToManyField(
                        blank=True,
                        related_name="missions",
                        to="ikm_registry.commodity",
                        verbose_name="komoditas sasaran",
                    ),
                ),
                (
                    "coordinators",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Menerima e-mail transaksi yang dipersoalkan dan ringkasan tindak lanjut mingguan. Kosong: semua Koordinator Misi Dagang.",
                        related_name="coordinated_missions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="koordinator",
                    ),
                ),
            ],
            options={
                "verbose_name": "misi dagang",
                "verbose_name_plural": "misi dagang",
                "ordering": ["-start_date", "title"],
                "permissions": [("view_report", "Dapat melihat laporan misi dan dasbor program")],
            },
        ),
        migrations.AddField(
            model_name="participation",
            name="mission",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="participations",
                to="missions.trademission",
                verbose_name="misi",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="mission",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="meetings",
                to="missions.trademission",
                verbose_name="misi",
            ),
        ),
        migrations.AddField(
            model_name="historicalparticipation",
            name="mission",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="missions.trademission",
                verbose_name="misi",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalMeeting",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("start", models.DateTimeField(verbose_name="mulai")),
                ("end", models.DateTimeField(verbose_name="selesai")),
                ("table", models.CharField(blank=True, max_length=10, verbose_name="meja")),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("no_interest", "tidak berminat"),
                            ("follow_up", "tindak lanjut"),
                            ("sample", "minta sampel"),
                            ("negotiation", "negosiasi"),
                            ("deal", "transaksi"),
                        ],
                        max_length=12,
                        verbose_name="hasil",
                    ),
                ),
                ("notes", models.TextField(blank=True, verbose_name="catatan")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "business",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ikm_registry.business",
                        verbose_name="IKM",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.buyer",
                        verbose_name="pembeli",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "participation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.participation",
                        verbose_name="peserta",
                    ),
                ),
                (
                    "mission",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.trademission",
                        verbose_name="misi",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical pertemuan bisnis",
                "verbose_name_plural": "historical pertemuan bisnis",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDeal",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "buyer_name",
                    models.CharField(
                        blank=True,
                        max_length=200,
                        verbose_name="nama pembeli (jika belum terdaftar)",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("spot", "transaksi langsung"),
                            ("potential", "potensi transaksi"),
                            ("realised", "realisasi"),
                        ],
                        max_length=10,
                        verbose_name="jenis transaksi",
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        blank=True,
                        choices=[("negotiation", "negosiasi"), ("loi", "LoI"), ("mou", "MoU")],
                        help_text="Hanya untuk potensi transaksi: negosiasi, LoI, atau MoU.",
                        max_length=12,
                        verbose_name="tahap potensi",
                    ),
                ),
                (
                    "quantity",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="jumlah",
                    ),
                ),
                ("unit", models.CharField(blank=True, max_length=30, verbose_name="satuan")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=18,
                        validators=[django.core.validators.MinValueValidator(0)],
                        verbose_name="nilai",
                    ),
                ),
                (
                    "currency",
                    models.CharField(
                        choices=missions.models.currency_choices,
                        default="IDR",
                        max_length=3,
                        validators=[missions.models.validate_currency],
                        verbose_name="mata uang",
                    ),
                ),
                (
                    "rate_to_idr",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text="Rupiah untuk 1 satuan mata uang transaksi. Kosongkan untuk memakai tabel kurs pada tanggal transaksi; rupiah tidak memerlukan kurs.",
                        max_digits=16,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
                        verbose_name="kurs ke rupiah",
                    ),
                ),
                (
                    "usd_rate",
                    models.DecimalField(
                        blank=True,
                        decimal_places=6,
                        help_text="Rupiah untuk 1 US$. Kosongkan untuk memakai tabel kurs.",
                        max_digits=16,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.000001"))],
                        verbose_name="kurs US$ ke rupiah",
                    ),
                ),
                (
                    "rate_date",
                    models.DateField(
                        blank=True,
                        help_text="Kosong: tanggal transaksi.",
                        verbose_name="tanggal kurs",
                    ),
                ),
                (
                    "rate_source",
                    models.CharField(
                        blank=True,
                        default="Kurs JISDOR Bank Indonesia",
                        max_length=100,
                        verbose_name="sumber kurs",
                    ),
                ),
                (
                    "value_idr",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        editable=False,
                        max_digits=20,
                        verbose_name="nilai (Rp)",
                    ),
                ),
                (
                    "value_usd",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        editable=False,
                        help_text="Kosong bila transaksi rupiah tanpa kurs US$ di tabel kurs.",
                        max_digits=18,
                        null=True,
                        verbose_name="nilai (US$)",
                    ),
                ),
                (
                    "destination_country",
                    django_countries.fields.CountryField(
                        default="ID", max_length=2, verbose_name="negara tujuan"
                    ),
                ),
                ("date", models.DateField(verbose_name="tanggal transaksi")),
                ("notes", models.TextField(blank=True, verbose_name="catatan")),
                (
                    "document",
                    models.TextField(
                        blank=True,
                        help_text="Kontrak, LoI, MoU, atau faktur. Tidak pernah dapat diunduh publik.",
                        max_length=100,
                        validators=[tangerang_ikm.uploads.DocumentValidator()],
                        verbose_name="dokumen pendukung",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("reported", "dilaporkan pemilik"),
                            ("confirmed", "dikonfirmasi petugas"),
                        ],
                        default="reported",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "confirmed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="dikonfirmasi pada"),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="dibuat pada"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "buyer_answer",
                    models.CharField(
                        blank=True,
                        choices=[("confirmed", "dikonfirmasi"), ("disputed", "dipersoalkan")],
                        editable=False,
                        max_length=10,
                        verbose_name="jawaban pembeli",
                    ),
                ),
                (
                    "buyer_answered_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="pembeli menjawab pada"
                    ),
                ),
                (
                    "buyer_comment",
                    models.TextField(blank=True, editable=False, verbose_name="komentar pembeli"),
                ),
                (
                    "ikm_answer",
                    models.CharField(
                        blank=True,
                        choices=[("confirmed", "dikonfirmasi"), ("disputed", "dipersoalkan")],
                        editable=False,
                        max_length=10,
                        verbose_name="jawaban IKM",
                    ),
                ),
                (
                    "ikm_answered_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="IKM menjawab pada"
                    ),
                ),
                (
                    "ikm_comment",
                    models.TextField(blank=True, editable=False, verbose_name="komentar IKM"),
                ),
                (
                    "business",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ikm_registry.business",
                        verbose_name="IKM penjual",
                    ),
                ),
                (
                    "buyer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.buyer",
                        verbose_name="pembeli",
                    ),
                ),
                (
                    "commodity",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ikm_registry.commodity",
                        verbose_name="komoditas",
                    ),
                ),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dikonfirmasi oleh",
                    ),
                ),
                (
                    "follow_up",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.followup",
                        verbose_name="dari tindak lanjut",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="ikm_registry.product",
                        verbose_name="produk",
                    ),
                ),
                (
                    "realises",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Untuk realisasi: potensi transaksi yang direalisasikan.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.deal",
                        verbose_name="merealisasikan potensi",
                    ),
                ),
                (
                    "reported_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dilaporkan oleh",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.meeting",
                        verbose_name="dari pertemuan",
                    ),
                ),
                (
                    "mission",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="missions.trademission",
                        verbose_name="misi",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical transaksi",
                "verbose_name_plural": "historical transaksi",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="deal",
            name="mission",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deals",
                to="missions.trademission",
                verbose_name="misi",
            ),
        ),
        migrations.AddIndex(
            model_name="buyer",
            index=models.Index(
                fields=["normalized_name", "country"], name="missions_bu_normali_ec2c09_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="buyer",
            index=models.Index(fields=["company"], name="buyer_company"),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(
                fields=("deal", "months"), name="follow_up_once_per_stage"
            ),
        ),
        migrations.AddIndex(
            model_name="partyconfirmation",
            index=models.Index(fields=["deal", "side"], name="party_confirmation_deal"),
        ),
        migrations.AddConstraint(
            model_name="trademission",
            constraint=models.CheckConstraint(
                condition=models.Q(("end_date__gte", models.F("start_date"))),
                name="mission_dates_ordered",
            ),
        ),
        migrations.AddConstraint(
            model_name="trademission",
            constraint=models.CheckConstraint(
                condition=models.Q(("registration_closes__gte", models.F("registration_opens"))),
                name="mission_registration_window_ordered",
            ),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.UniqueConstraint(
                fields=("mission", "business"), name="participation_one_per_business"
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["start"], name="meeting_start"),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gt", models.F("start"))), name="meeting_ends_after_start"
            ),
        ),
        migrations.AddIndex(
            model_name="deal",
            index=models.Index(fields=["date", "id"], name="deal_date_id"),
        ),
        migrations.AddConstraint(
            model_name="deal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "realised"), ("realises__isnull", True), _connector="OR"
                ),
                name="deal_only_realisations_link_a_potential",
            ),
        ),
        migrations.AddConstraint(
            model_name="deal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("amount__gte", 0), ("value_idr__gte", 0), ("value_usd__gte", 0)
                ),
                name="deal_amounts_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="deal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("quantity__isnull", True), ("quantity__gte", 0), _connector="OR"
                ),
                name="deal_quantity_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="deal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rate_to_idr__gt", 0),
                    models.Q(("usd_rate__isnull", True), ("usd_rate__gt", 0), _connector="OR"),
                ),
                name="deal_rates_positive",
            ),
        ),
        tangerang_ikm.db.PostgreSQLOnlySQL(
            sql="CREATE EXTENSION IF NOT EXISTS btree_gist;",
            reverse_sql="",
        ),
        tangerang_ikm.db.PostgreSQLOnlySQL(
            sql="ALTER TABLE missions_meeting ADD CONSTRAINT meeting_business_no_overlap EXCLUDE USING gist (business_id WITH =, tstzrange(start, \"end\", '[)') WITH &&);",
            reverse_sql="ALTER TABLE missions_meeting DROP CONSTRAINT IF EXISTS meeting_business_no_overlap;",
        ),
        tangerang_ikm.db.PostgreSQLOnlySQL(
            sql="ALTER TABLE missions_meeting ADD CONSTRAINT meeting_buyer_no_overlap EXCLUDE USING gist (buyer_id WITH =, tstzrange(start, \"end\", '[)') WITH &&);",
            reverse_sql="ALTER TABLE missions_meeting DROP CONSTRAINT IF EXISTS meeting_buyer_no_overlap;",
        ),
        tangerang_ikm.db.PostgreSQLOnlySQL(
            sql='ALTER TABLE missions_meeting ADD CONSTRAINT meeting_table_no_overlap EXCLUDE USING gist (mission_id WITH =, "table" WITH =, tstzrange(start, "end", \'[)\') WITH &&) WHERE ("table" <> \'\');',
            reverse_sql="ALTER TABLE missions_meeting DROP CONSTRAINT IF EXISTS meeting_table_no_overlap;",
        ),
    ]
