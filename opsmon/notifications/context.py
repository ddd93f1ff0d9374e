"""The unread count next to the bell in the header. It also finds the notifications of the page being opened
(their link is this page): they are counted read already, and middleware.MarkOpenedMiddleware marks them read once
the page has answered 200. One query for both, plus one per kind of record linked from an unread notification, to
leave out those of records the user may no longer open (visibility)."""

from urllib.parse import urlsplit

from . import services, visibility

UNREAD_READ = 500  # the newest unread notifications counted (more is shown as this number)


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    rows = services.unread_links(user, limit=UNREAD_READ)
    opening = set()
    if request.method == "GET" and not request.headers.get("HX-Request") and request.path != "/":
        opening = {pk for pk, url in rows if url and urlsplit(url).path == request.path}
    request.notifications_opening = opening
    # The page being opened shows its record: only the other links need a look at their record's visibility.
    others = [url for pk, url in rows if pk not in opening]
    hidden = visibility.hidden_urls(user, others) if others else set()
    return {"unread_notifications": sum(1 for pk, url in rows if pk not in opening and url not in hidden)}
