#!/usr/bin/env bash
# Copyright The otelcol-rum Authors
# SPDX-License-Identifier: Apache-2.0

# Checks what the demo gives Prometheus and Grafana (examples/demo):
#
#   1. promtool check config  prometheus.yml          (checks alerts.yml too: rule_files)
#   2. promtool test rules    alerts_test.yml         (the alerts fire on bad series only)
#   3. grafana-dashboard.json: valid JSON with the expected variables and panels, and every
#      PromQL expression in it (panel targets, annotations, variable selectors) parsed
#      and type-checked by promtool: promtool 2.42 has no `promql` subcommand, so the
#      expressions, with the Grafana variables replaced, become recording rules of a
#      temporary rules file that `promtool check rules` reads.
#
# Exits non-zero when any check fails. Installs Prometheus (scripts/install-prometheus.sh)
# when promtool is missing. DEMO_DIR points the checks at another copy of examples/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

demo=${DEMO_DIR:-examples/demo}

if ! command -v promtool >/dev/null; then
  scripts/install-prometheus.sh >&2
fi
if ! command -v python3 >/dev/null; then
  echo "check-demo-rules: python3 is needed to read the Grafana dashboard" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "promtool check config $demo/prometheus.yml (and its rule file, $demo/alerts.yml)"
promtool check config "$demo/prometheus.yml"

step "promtool test rules $demo/alerts_test.yml"
promtool test rules "$demo/alerts_test.yml"

step "dashboard $demo/grafana-dashboard.json: structure"
python3 - "$demo/grafana-dashboard.json" "$demo/alerts.yml" "$tmp/dashboard-rules.yml" <<'PY'
import json
import re
import sys

dash_path, alerts_path, out_path = sys.argv[1:4]
problems = []


def problem(msg):
    problems.append(msg)


try:
    with open(dash_path, encoding="utf-8") as f:
        dash = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"{dash_path}: not valid JSON: {e}")

DS_UID = "${DS_PROMETHEUS}"

if not isinstance(dash.get("schemaVersion"), int) or dash["schemaVersion"] < 36:
    problem(f"schemaVersion {dash.get('schemaVersion')!r}: want 36 or later (Grafana 9.4+)")
for key in ("title", "uid"):
    if not dash.get(key):
        problem(f"dashboard has no {key}")

# Variables: the data source, and the app/route filters every query uses.
variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
ds_var = variables.get("DS_PROMETHEUS")
if not ds_var or ds_var.get("type") != "datasource" or ds_var.get("query") != "prometheus":
    problem("want a template variable DS_PROMETHEUS of type datasource, query prometheus")
for name in ("service_name", "url_template", "user_agent_name", "os_name", "rum_device_type", "geo_country_iso_code"):
    v = variables.get(name)
    if not v or v.get("type") != "query":
        problem(f"want a query template variable {name}")
    elif (v.get("datasource") or {}).get("uid") != DS_UID or v.get("allValue") != ".*":
        problem(f"variable {name}: want datasource {DS_UID} and allValue .*")


def walk(panels):
    for p in panels:
        yield p
        yield from walk(p.get("panels", []))


panels = list(walk(dash.get("panels", [])))
ids = [p.get("id") for p in panels]
for dup in sorted({i for i in ids if ids.count(i) > 1}, key=str):
    problem(f"panel id {dup} is used more than once")

# Grafana's variables, replaced by values the PromQL parser accepts.
SUBSTITUTIONS = [
    (r"\$\{__rate_interval\}|\$__rate_interval\b", "5m"),
    (r"\$\{__interval\}|\$__interval\b", "1m"),
    (r"\$\{__range\}|\$__range\b", "1h"),
    (r"\$\{service_name(:\w+)?\}|\$service_name\b", ".*"),
    (r"\$\{url_template(:\w+)?\}|\$url_template\b", ".*"),
    (r"\$\{user_agent_name(:\w+)?\}|\$user_agent_name\b", ".*"),
    (r"\$\{os_name(:\w+)?\}|\$os_name\b", ".*"),
    (r"\$\{rum_device_type(:\w+)?\}|\$rum_device_type\b", ".*"),
    (r"\$\{geo_country_iso_code(:\w+)?\}|\$geo_country_iso_code\b", ".*"),
]


def substitute(expr, where):
    for pattern, value in SUBSTITUTIONS:
        expr = re.sub(pattern, value, expr)
    left = re.search(r"\$\{?\w+", expr)
    if left:
        problem(f"{where}: unknown variable {left.group(0)} in {expr!r}")
    return expr


exprs = []  # (record name, where, expr)


def add(name, where, expr):
    exprs.append((re.sub(r"[^a-zA-Z0-9_:]", "_", name), where, substitute(expr, where)))


for p in panels:
    if p.get("type") == "row":
        continue
    where = f"panel {p.get('id')} {p.get('title')!r}"
    if (p.get("datasource") or {}).get("uid") != DS_UID:
        problem(f"{where}: datasource is not {DS_UID}")
    targets = p.get("targets") or []
    if not targets:
        problem(f"{where}: no targets")
    for t in targets:
        ref = t.get("refId", "?")
        if "datasource" in t and (t["datasource"] or {}).get("uid") != DS_UID:
            problem(f"{where} {ref}: datasource is not {DS_UID}")
        if not (t.get("expr") or "").strip():
            problem(f"{where} {ref}: empty expr")
            continue
        add(f"dashboard:panel_{p.get('id')}:{ref}", f"{where} {ref}", t["expr"])

for i, a in enumerate(dash.get("annotations", {}).get("list", [])):
    if a.get("expr"):
        add(f"dashboard:annotation_{i}", f"annotation {a.get('name')!r}", a["expr"])

for name, v in variables.items():
    q = v.get("query")
    q = q.get("query", "") if isinstance(q, dict) else (q or "")
    m = re.fullmatch(r"\s*label_values\((.*),\s*\w+\)\s*", q, re.S)
    if m:
        add(f"dashboard:variable_{name}", f"variable {name}", m.group(1))
    elif v.get("type") == "query":
        problem(f"variable {name}: query {q!r} is not label_values(selector, label)")

# The Web Vitals panels: p75 by route with the good/poor thresholds as lines, exemplars
# on LCP and INP, and a rating-share panel per vital.
VITALS = {  # name: (good, poor, exemplars)
    "LCP": (2500, 4000, True),
    "INP": (200, 500, True),
    "CLS": (0.1, 0.25, False),
    "FCP": (1800, 3000, False),
    "TTFB": (800, 1800, False),
}
by_title = {p.get("title"): p for p in panels}
for name, (good, poor, exemplars) in VITALS.items():
    title = f"{name} p75 by route"
    p = by_title.get(title)
    if not p:
        problem(f"no panel {title!r}")
        continue
    defaults = p.get("fieldConfig", {}).get("defaults", {})
    steps = {s.get("value") for s in defaults.get("thresholds", {}).get("steps", [])}
    if not {good, poor} <= steps:
        problem(f"{title!r}: thresholds {sorted(s for s in steps if s is not None)}, want {good} and {poor}")
    if defaults.get("custom", {}).get("thresholdsStyle", {}).get("mode", "off") == "off":
        problem(f"{title!r}: thresholds are not drawn")
    metric = f"browser_web_vital_{name.lower()}"
    for t in p.get("targets", []):
        if metric not in t.get("expr", "") or "histogram_quantile(0.75" not in t.get("expr", ""):
            problem(f"{title!r}: target {t.get('refId')} is not the p75 of {metric}")
        if exemplars and t.get("exemplar") is not True:
            problem(f"{title!r}: target {t.get('refId')} does not show exemplars")
    ratings = by_title.get(f"{name} ratings")
    if not ratings or not any(f'browser_web_vital_name="{name.lower()}"' in t.get("expr", "")
                              for t in ratings.get("targets", [])):
        problem(f"no rating-share panel {name + ' ratings'!r} on browser_web_vital_ratings_total")

# The Journeys row: a panel for each of the journeys processor's metrics, under the names
# the prometheus exporter gives them (a misspelt name would parse and show nothing).
JOURNEYS = {  # panel title: series it reads
    "Top transitions (time range)": ["browser_view_transitions_total"],
    "Entries and exits by route (time range)": ["browser_view_entries_total", "browser_view_exits_total"],
    "Views per session, p50 and p90": ["browser_session_views_bucket"],
    "Session duration, p50 and p90": ["browser_session_duration_seconds_bucket"],
    "Soft vs hard views / min": ["browser_views_total"],
    "User action duration p75 by action and route": ["browser_action_duration_milliseconds_bucket"],
    "Frustration signals / min by route and type": ["browser_frustrations_total"],
}
for title, series in JOURNEYS.items():
    p = by_title.get(title)
    exprs_of = " ".join(t.get("expr", "") for t in (p or {}).get("targets", []))
    for s in series:
        if not re.search(rf"\b{s}\{{", exprs_of):
            problem(f"no Journeys panel {title!r} reading {s}")

# Recording rules the dashboard reads must exist in alerts.yml.
with open(alerts_path, encoding="utf-8") as f:
    recorded = set(re.findall(r"^\s*-?\s*record:\s*(\S+)", f.read(), re.M))
for record, where, expr in exprs:
    for used in re.findall(r"\b[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]*[a-zA-Z0-9_]", expr):
        if used not in recorded:
            problem(f"{where}: reads {used}, which {alerts_path} does not record")

if problems:
    print("\n".join(f"FAILED: {m}" for m in problems), file=sys.stderr)
    sys.exit(1)

rules = {"groups": [{"name": "grafana-dashboard", "rules": [
    {"record": record, "expr": expr, "labels": {"dashboard_source": where}}
    for record, where, expr in exprs]}]}
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(rules, f, indent=2)  # JSON is YAML
print(f"  SUCCESS: {sum(p.get('type') != 'row' for p in panels)} panels, {len(exprs)} PromQL expressions, "
      f"{len(VITALS)} Web Vitals panels with their thresholds, {len(JOURNEYS)} Journeys panels")
PY

step "dashboard $demo/grafana-dashboard.json: PromQL (promtool check rules on the extracted expressions)"
promtool check rules "$tmp/dashboard-rules.yml"

printf '\nAll demo checks passed.\n'
