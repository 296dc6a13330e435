"""Helpers shared by the API tests."""


def walk(client, url, field):
    """`field` of every result of a cursor-paged list, following each page's `next`."""
    seen = []
    while url:
        body = client.get(url).json()
        seen += [row[field] for row in body["results"]]
        url = body["next"]
    return seen
