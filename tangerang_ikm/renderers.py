"""The form renderer: Django's widget and form templates through Jinja2.

Django ships every form and widget template twice, for its own template engine and for
Jinja2 (django/forms/jinja2/), and renders them alike. Through Jinja2 an owner's form
renders in about half the time: through Django's engine, the business form's widget
templates (an include per attribute list, a template per option) were half of its
page's time (docs/benchmarks.md, eighteenth session).

A template that exists only for Django's engine (the admin's widgets, such as
admin/widgets/related_widget_wrapper.html) is rendered by Django's form renderer, as
before.
"""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
