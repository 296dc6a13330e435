from django.shortcuts import render


def event_list(request):
    # Replaced by the gerai issue (#7).
    return render(request, "gerai/event_list.html", {})
