"""Access-matrix rows of the lifecycle (DOMAIN.md "Lifecycle: outcomes flow back"): after an abandoned bid the
project's owner or his department head bids again or closes the project (`prj_own`, like routing and cancelling);
everyone else who sees the project gets 403, the rest 404. The world's projects are in final states, so the
authorised rows answer 409 (authorisation passed, the state refuses), which the matrix counts as allowed."""

from .access_matrix import REASON, chain, post

PROJECT = {"pk": "project_id"}

API = {
    "POST /api/v1/projects/{project_id}/retender": post(chain("prj_own")),
    "POST /api/v1/projects/{project_id}/close": post(chain("prj_own"), body=lambda i: REASON),
}

WEB = {
    "projects:retender": post(chain("prj_own", args=PROJECT)),
    "projects:close": post(chain("prj_own", args=PROJECT), body=lambda i: REASON),
}
