"""Turns the JSON of bench/run.py into the Markdown tables of bench/RESULTS.md.

    .venv/bin/python bench/report.py /tmp/bench-pg.json [/tmp/bench-sqlite.json ...]

Each target of issue 7 is checked against the figures and marked met or missed; a ratio target is met when both
the median and the p95 ratio are within it.
"""

import json
import sys

LIST_P95_MS, LIST_RATIO, LIST_QUERIES = 50, 2.0, 10
INSIGHTS_P95_MS, INSIGHTS_RATIO = 300, 1.5
LOAD_SHARE = 0.25
EXCEL_RATIO = 2.0


def mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def http_table(rows, p95_target, ratio_target, queries_target=None) -> list[str]:
    out = ["| request | SQL queries | app median / p95 (ms) | raw SQL median / p95 | floor = raw + trivial | "
           "ratio median / p95 | p95 target | ratio target |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        queries = f"{r['queries']}" + (f" ({mark(r['queries'] <= queries_target)})" if queries_target else "")
        out.append(
            f"| {r['name']} | {queries} | {r['app_median_ms']:.1f} / {r['app_p95_ms']:.1f} | "
            f"{r['raw_median_ms']:.1f} / {r['raw_p95_ms']:.1f} | "
            f"{r['floor_median_ms']:.1f} / {r['floor_p95_ms']:.1f} | "
            f"{r['ratio_median']:.2f} / {r['ratio_p95']:.2f} | "
            + (f"{mark(r['app_p95_ms'] <= p95_target)} | " if p95_target else "— | ")
            + (f"{mark(r['ratio_median'] <= ratio_target and r['ratio_p95'] <= ratio_target)} |"
               if ratio_target else "— |"))
    return out


def render(result: dict) -> str:
    m = result["machine"]
    lines = [f"### {m['database']} — {m['opportunities']:,} opportunities", "",
             f"Trivial endpoint (`/healthz`, same server): {result['trivial']['median_ms']:.1f} / "
             f"{result['trivial']['p95_ms']:.1f} ms (median / p95, {result['trivial']['n']} requests).", ""]
    if "list" in result:
        lines += ["**1. Opportunity list API** (page of 50): target p95 ≤ 50 ms, ≤ 10 queries, ≤ 2× floor", ""]
        lines += http_table(result["list"], LIST_P95_MS, LIST_RATIO, LIST_QUERIES) + [""]
    if "insights" in result:
        lines += ["**2. Insights endpoints** (default filters): target p95 ≤ 300 ms and ≤ 1.5× floor", ""]
        lines += http_table(result["insights"], INSIGHTS_P95_MS, INSIGHTS_RATIO) + [""]
    if "html" in result:
        lines += ["**3. Opportunity list page** (HTML, 50 rows; no target of its own)", ""]
        lines += http_table(result["html"], None, None) + [""]
    if "load" in result:
        t, x = result["load"]["trivial"], result["load"]["mixed"]
        lines += ["**4. Mixed load** (separate process, 16 clients; 70 % reads, 20 % follow-ups, 10 % transitions): "
                  "target ≥ 25 % of the trivial endpoint's throughput, zero errors", "",
                  "| load | seconds | requests | req/s | p50 ms | p95 ms | errors |", "|---|---|---|---|---|---|---|",
                  f"| trivial (/healthz) | {t['seconds']} | {t['requests']} | {t['rps']} | {t['p50_ms']} | "
                  f"{t['p95_ms']} | {t['errors']} |",
                  f"| mixed | {x['seconds']} | {x['requests']} | {x['rps']} | {x['p50_ms']} | {x['p95_ms']} | "
                  f"{x['errors']} |", "",
                  f"Mixed throughput = {x['share_of_trivial']:.1%} of trivial: "
                  f"{mark(x['share_of_trivial'] >= LOAD_SHARE and x['errors'] == 0)}. Requests by kind: "
                  f"{x['kinds']}; median ms by kind: {x.get('median_ms_by_kind', {})}.", ""]
    if "excel" in result:
        e = result["excel"]
        lines += ["**5. Excel, 100,000 rows**: target ≤ 2× openpyxl alone", "",
                  "| | openpyxl alone | OpsMon | ratio | target |", "|---|---|---|---|---|",
                  f"| import | {e['openpyxl_read_s']} s (read) | {e['import_s']} s | {e['import_ratio']} | "
                  f"{mark(e['import_ratio'] <= EXCEL_RATIO)} |",
                  f"| export | {e['openpyxl_write_s']} s (write) | {e['export_s']} s | {e['export_ratio']} | "
                  f"{mark(e['export_ratio'] <= EXCEL_RATIO)} |", ""]
    return "\n".join(lines)


def main():
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as fh:
            print(render(json.load(fh)))


if __name__ == "__main__":
    main()
