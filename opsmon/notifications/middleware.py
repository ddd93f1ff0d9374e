"""Opening a record's page marks its notifications read (issue 20): a page whose path is the link of some of the
user's unread notifications (context.unread finds them while the page renders), answered 200, marks them read,
whatever module the page belongs to; a refused or missing page (403, 404) reads nothing."""

from . import services


class MarkOpenedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        opening = getattr(request, "notifications_opening", None)
        if opening and request.method == "GET" and response.status_code == 200:
            services.mark_opened(request.user, opening)
        return response
