"""Post the event change form in the admin as staff would: what is shown, plus changes."""

from django.utils import timezone

SPLIT_DATETIMES = ("start", "end", "applications_open_at", "applications_close_at")


def event_change_data(client, event, **changes):
    """The admin form's current values for `event`, with `changes` applied
    (datetimes as aware datetimes; `release_bookings` as a list of pks)."""
    form = client.get(f"/admin/gerai/event/{event.pk}/change/").context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    values.update(changes)
    post = {}
    for name, value in values.items():
        if value is None or name == "poster":
            continue
        if name in SPLIT_DATETIMES:
            local = timezone.localtime(value)
            post[f"{name}_0"], post[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
        elif isinstance(value, bool):
            if value:
                post[name] = "on"
        else:
            post[name] = value
    return post


def post_event_change(client, event, **changes):
    return client.post(
        f"/admin/gerai/event/{event.pk}/change/",
        event_change_data(client, event, **changes),
        follow=True,
    )
