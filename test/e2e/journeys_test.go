// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

//go:build e2e

package e2e

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// spaShopper is a single-page session of tools/browser/demo.mjs (--spa-sessions): it loads
// the section's first route, navigates to a product and to the cart with pushState, adds to
// the cart, clicks the coupon button five times fast (rage), presses Pay now (it throws: an
// error click) and leaves.
type spaShopper struct {
	SDK       string `json:"sdk"`
	SessionID string `json:"session_id"`
	Pages     []struct {
		TraceID string `json:"trace_id"`
		SpanID  string `json:"span_id"`
	} `json:"pages"`
	Routes []struct {
		PathTemplate string `json:"path_template"`
		URL          string `json:"url"`
		Soft         bool   `json:"soft"`
	} `json:"routes"`
	Clicks []struct {
		ID string `json:"id"`
	} `json:"clicks"`
}

// route is demo.mjs's path template of a route as the route templater writes it: a
// template never ends with "/" but for "/" itself (internal/webvitals/route).
func route(pathTemplate string) string {
	if len(pathTemplate) > 1 {
		return strings.TrimSuffix(pathTemplate, "/")
	}
	return pathTemplate
}

// appName is the service.name of a demo front-end.
func (sp spaShopper) appName() string {
	if sp.SDK == "otel" {
		return "shop-frontend-otel"
	}
	return "shop-frontend"
}

// view is a rum.view event as the sink received it.
type view struct {
	index      int64
	navigation string
	url        string
	template   string
	from       string
	exit       bool
}

// viewsOf returns the rum.view events of each session, ordered by their index.
func viewsOf(records []plog.LogRecord) map[string][]view {
	out := map[string][]view{}
	for _, lr := range records {
		if lr.EventName() != "rum.view" {
			continue
		}
		a := lr.Attributes()
		str := func(k string) string {
			if v, ok := a.Get(k); ok {
				return v.AsString()
			}
			return ""
		}
		v := view{index: -1, navigation: str("rum.view.navigation"), url: str("url.full"),
			template: str("url.template"), from: str("rum.view.from")}
		if idx, ok := a.Get("rum.view.index"); ok {
			v.index = idx.Int()
		}
		if exit, ok := a.Get("rum.view.exit"); ok {
			v.exit = exit.Bool()
		}
		id := str("session.id")
		out[id] = append(out[id], v)
	}
	for _, vs := range out {
		sort.Slice(vs, func(i, j int) bool { return vs[i].index < vs[j].index })
	}
	return out
}

// assertJourneys checks the single-page sessions end to end: their views (one hard, two
// soft, with their route templates), the INP of the cart filed under the cart, the
// transitions, the rage and error clicks on the cart's route, and the Apdex counts that add
// up to the page loads — through the built collector, the log sink and real Prometheus.
func (s *stack) assertJourneys(t *testing.T, got shoppers) {
	require.Len(t, got.SPASessions, 2, "one single-page session per SDK")

	var views map[string][]view
	require.Eventually(t, func() bool {
		views = viewsOf(collect(s.sink).records)
		for _, sp := range got.SPASessions {
			if len(views[sp.SessionID]) < len(sp.Routes) {
				return false
			}
		}
		return true
	}, 90*time.Second, time.Second, "rum.view events of the single-page sessions (they end after 20s without activity)")

	for _, sp := range got.SPASessions {
		t.Run(sp.SDK, func(t *testing.T) {
			vs := views[sp.SessionID]
			require.Len(t, vs, 3, "views of %s: %+v", sp.SessionID, vs)
			for i, r := range sp.Routes {
				v := vs[i]
				assert.Equal(t, int64(i), v.index)
				assert.Equal(t, map[bool]string{false: "hard", true: "soft"}[r.Soft], v.navigation, "view %d", i)
				assert.Equal(t, route(r.PathTemplate), v.template, "view %d's route", i)
				assert.Equal(t, i == len(sp.Routes)-1, v.exit, "only the last view is the exit")
				if i > 0 {
					assert.Equal(t, route(sp.Routes[i-1].PathTemplate), v.from, "view %d comes from the one before", i)
				}
			}
			t.Logf("%s session %s: views %+v", sp.SDK, sp.SessionID, vs)

			app, cart := sp.appName(), route(sp.Routes[len(sp.Routes)-1].PathTemplate)
			s.requireSeries(t, fmt.Sprintf(`browser_web_vital_inp_milliseconds_count{service_name=%q,url_template=%q}`, app, cart),
				"the cart's INP is filed under the cart")
			for i := 1; i < len(sp.Routes); i++ {
				s.requireSeries(t, fmt.Sprintf(`browser_view_transitions_total{service_name=%q,rum_view_from=%q,url_template=%q}`,
					app, route(sp.Routes[i-1].PathTemplate), route(sp.Routes[i].PathTemplate)), "transition %d", i)
			}
			for _, kind := range []string{"rage", "error"} {
				s.requireSeries(t, fmt.Sprintf(`browser_frustrations_total{service_name=%q,url_template=%q,rum_frustration_type=%q}`, app, cart, kind),
					"%s clicks on the cart", kind)
			}
		})
	}

	t.Run("apdex counts add up to the page loads", func(t *testing.T) {
		total := func(q string) float64 {
			var sum float64
			for _, r := range s.promQuery(t, q) {
				v, err := strconv.ParseFloat(r.Value[1].(string), 64)
				require.NoError(t, err)
				sum += v
			}
			return sum
		}
		var loads, apdex float64
		require.Eventually(t, func() bool {
			loads = total(`sum by (service_name, url_template) (browser_page_load_duration_milliseconds_count)`)
			apdex = total(`sum by (service_name, url_template) (browser_apdex_total{rum_apdex_source="load"})`)
			return loads > 0 && loads == apdex
		}, 60*time.Second, time.Second, "page loads %v, Apdex counts %v", loads, apdex)
	})
}

// requireSeries waits until Prometheus has a series for the selector.
func (s *stack) requireSeries(t *testing.T, selector, msg string, args ...any) {
	t.Helper()
	require.Eventually(t, func() bool { return len(s.promQuery(t, selector)) > 0 }, 60*time.Second, time.Second,
		"%s: no series %s", fmt.Sprintf(msg, args...), strings.TrimSpace(selector))
}
