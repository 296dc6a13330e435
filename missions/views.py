from django.shortcuts import render


def mission_list(request):
    # Replaced by the missions issue (#5).
    return render(request, "missions/mission_list.html", {})
