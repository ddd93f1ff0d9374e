"""Load generators run in separate processes (multiprocessing "spawn"): only the standard library and requests."""

import time

import requests

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def write_follow_ups(base: str, token: str, opportunity_id: int, writes: int, happened_on: str, barrier,
                     results, writer: int) -> None:
    """One writer: `writes` follow-ups one after the other, as fast as the server answers.

    Puts [(status, seconds, body if it is not a 201)] on `results` once, at the end.
    """
    session = requests.Session()
    session.headers.update({**PROXY_HEADERS, "Authorization": f"Bearer {token}"})
    url = f"{base}/api/v1/opportunities/{opportunity_id}/follow-ups"
    out = []
    barrier.wait(timeout=120)
    for i in range(writes):
        start = time.perf_counter()
        try:
            response = session.post(url, json={"happened_at": happened_on, "kind": "visit",
                                               "note": f"压力写入 {writer}-{i}", "next_step": "继续跟进"}, timeout=120)
            status, body = response.status_code, "" if response.status_code == 201 else response.text[:300]
        except requests.RequestException as exc:
            status, body = 0, f"{type(exc).__name__}: {exc}"[:300]
        out.append((status, time.perf_counter() - start, body))
    results.put(out)
