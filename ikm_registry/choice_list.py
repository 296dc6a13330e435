"""A model field holding several values of one set of choices, e.g. the Incoterms a
product is offered on, stored as a JSON list (portable: SQLite and PostgreSQL).

Every ModelForm built on it, the owner's and the admin's alike, gets one checkbox per
choice; the list is kept in the choices' order and checked against them on full_clean.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderedMultipleChoiceField(forms.TypedMultipleChoiceField):
    """The ticked values in the order of the choices, whatever order they were posted in."""

    def clean(self, value):
        chosen = set(super().clean(value))
        return [key for key, _label in self.choices if key in chosen]


class ChoiceListField(models.JSONField):
    def __init__(self, *args, choice_list=(), **kwargs):
        self.choice_list = list(choice_list)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choice_list"] = self.choice_list
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        else:
            kwargs["blank"] = False
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.choice_list}
        if not isinstance(value, list) or any(item not in allowed for item in value):
            raise ValidationError(
                _("Pilihan tidak dikenal: %(value)s."),
                code="invalid_choice",
                params={"value": value},
            )

    def formfield(self, **kwargs):
        # Not JSONField's JSON text box: one checkbox per choice.
        return models.Field.formfield(
            self,
            **{
                "form_class": OrderedMultipleChoiceField,
                "choices": self.choice_list,
                "coerce": str,
                "widget": forms.CheckboxSelectMultiple,
                **kwargs,
            },
        )

    def labels(self, value):
        """The labels of the values in `value`, in the choices' order."""
        names = dict(self.choice_list)
        return [names[key] for key in names if key in (value or [])]
