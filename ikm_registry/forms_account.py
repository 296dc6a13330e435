"""The owner's own notification choices, on their "Data saya" page."""

from django import forms
from django.contrib.auth import get_user_model


class NotificationPreferencesForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["language", "whatsapp_link"]
