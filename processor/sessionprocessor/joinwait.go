// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/pdatacopy"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// Why a held vital left the holding.
type releaseReason int

const (
	releaseJoined releaseReason = iota
	releaseTimeout
	releaseFull
	releaseHandover
	releaseShutdown
	releaseReasons
)

var releaseAttrs = func() (out [releaseReasons]metric.AddOption) {
	for r, name := range [releaseReasons]string{"joined", "timeout", "full", "handover", "shutdown"} {
		out[r] = metric.WithAttributeSet(attribute.NewSet(attribute.String("release", name)))
	}
	return out
}()

// heldVital is a web vital taken out of its batch to wait for its page view: a copy of
// the record (or point) with its resource and scope, a batch of its own, so that nothing
// of the caller's batch is kept after the call returns.
type heldVital struct {
	// key is the store key of the vital's session, partition the Kafka partition its
	// session is filed under (store.NoPartition without Kafka).
	key       string
	partition int32
	// deadline is when join_wait passes (unix nanoseconds, the processor's clock).
	deadline int64
	// info is the client information of the context the vital came with: it goes on
	// with it, for a component after this one that reads client metadata.
	info client.Info
	// isLog says which of logs and metrics holds the vital.
	isLog   bool
	logs    plog.Logs
	metrics pmetric.Metrics
	// gone is set once it left the holding (released, or taken by a hand-over).
	gone bool
}

// holding keeps the held vitals, under the processor's mu. order is oldest first, for
// join_wait and for the bound; byKey finds a session's vitals when its page view comes.
// A vital released out of order stays in order, gone, until it reaches the front.
type holding struct {
	order []*heldVital
	byKey map[string][]*heldVital
	live  int
}

func newHolding() *holding {
	return &holding{byKey: map[string][]*heldVital{}}
}

// add holds v.
func (h *holding) add(v *heldVital) {
	h.order = append(h.order, v)
	h.byKey[v.key] = append(h.byKey[v.key], v)
	h.live++
}

// remove takes v out of the holding (it stays in order, gone, until it is trimmed).
func (h *holding) remove(v *heldVital) {
	v.gone = true
	h.live--
	vs := h.byKey[v.key]
	for i := range vs {
		if vs[i] == v {
			vs = append(vs[:i], vs[i+1:]...)
			break
		}
	}
	if len(vs) == 0 {
		delete(h.byKey, v.key)
	} else {
		h.byKey[v.key] = vs
	}
}

// trim drops the gone vitals at the front of order, and compacts it when mostly gone.
func (h *holding) trim() {
	i := 0
	for i < len(h.order) && h.order[i].gone {
		h.order[i] = nil
		i++
	}
	h.order = h.order[i:]
	if len(h.order) > 64 && h.live < len(h.order)/2 {
		kept := make([]*heldVital, 0, h.live)
		for _, v := range h.order {
			if !v.gone {
				kept = append(kept, v)
			}
		}
		h.order = kept
	}
}

// take removes and returns the vitals pick chooses, oldest first; it stops at the first
// vital stop returns true for (nil: none).
func (h *holding) take(pick func(*heldVital) bool, stop func(*heldVital) bool) []*heldVital {
	var out []*heldVital
	for _, v := range h.order {
		if v.gone {
			continue
		}
		if stop != nil && stop(v) {
			break
		}
		if pick(v) {
			h.remove(v)
			out = append(out, v)
		}
	}
	h.trim()
	return out
}

// takeOldest removes and returns the oldest held vital; the holding must not be empty.
func (h *holding) takeOldest() *heldVital {
	h.trim()
	v := h.order[0]
	h.remove(v)
	h.trim()
	return v
}

// joinable says whether a vital of the page view navigationID (or of url) would find
// its page view's trace in s now.
func joinable(s store.Session, navigationID, url string) bool {
	pv, ok := s.FindPage(navigationID, url)
	return ok && pv.TraceID != [16]byte{}
}

// mayHold says whether the vitals of a resource may wait for their page view: with
// join_wait, unless they are web-vitals beacons. A beacon reports no page view, so most
// never find one; holding them would only delay them by join_wait, and lose those held
// when the collector crashes.
func (t *tracker) mayHold(res pcommon.Map) bool {
	return t.p.held != nil && pattrs.Str(res, rumconv.AttrTelemetrySDKName) != rumconv.SDKNameWebVitals
}

// holds says whether a vital that misses its join now is held back instead: with
// join_wait, a resource that may hold (mayHold) and room in the holding. Making room
// forwards the oldest held vital.
func (t *tracker) holds(s store.Session, navigationID, url string) bool {
	h := t.p.held
	if h == nil || !t.holdable || joinable(s, navigationID, url) {
		return false
	}
	if h.live+int(t.p.fwd.pending.Load())+len(t.released) < t.p.cfg.MaxHeldVitals {
		return true
	}
	if h.live == 0 {
		return false // all released, not forwarded yet: the vital misses as without join_wait
	}
	t.releaseLocked([]*heldVital{h.takeOldest()}, releaseFull)
	return true
}

// hold keeps v, a copy of a vital the caller then removes from its batch.
func (t *tracker) hold(s store.Session, v *heldVital) {
	v.key, v.partition = s.Key(), t.partition
	v.deadline = t.now + int64(t.p.cfg.JoinWait)
	v.info = client.FromContext(t.ctx)
	t.p.held.add(v)
	t.tally.held++
}

// releaseJoinable releases the held vitals of s that its page views now join. It runs
// after each navigation, under the lock.
func (t *tracker) releaseJoinable(s store.Session) {
	h := t.p.held
	if h == nil || h.live == 0 {
		return
	}
	key := s.Key()
	vs := h.byKey[key]
	for i := 0; i < len(vs); {
		v := vs[i]
		navigationID, url := v.joinKeys()
		if !joinable(s, navigationID, url) {
			i++
			continue
		}
		h.remove(v) // shortens the slice vs shares
		vs = h.byKey[key]
		t.finish(s, v)
		t.tally.released[releaseJoined]++
		t.released = append(t.released, v)
	}
	h.trim()
}

// releaseLocked releases vs unjoined for reason: the vital is joined if it can be after
// all, filed under its view if its session is still open, and counted a missed join
// otherwise.
func (t *tracker) releaseLocked(vs []*heldVital, reason releaseReason) {
	for _, v := range vs {
		if s, ok := t.p.store.Lookup(v.key); ok {
			t.finish(s, v)
		} else {
			t.tally.joinsMissed++
		}
		t.tally.released[reason]++
		t.released = append(t.released, v)
	}
}

// finish does for a held vital what the join does for one that is not held.
func (t *tracker) finish(s store.Session, v *heldVital) {
	if v.isLog {
		lr := v.logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0)
		attrs := lr.Attributes()
		own := pattrs.Str(attrs, rumconv.AttrURLFull)
		url, linked := t.joinVitalLog(s, lr, own)
		if at := recordTime(lr); at != 0 {
			if view := t.fileUnderView(s, attrs, own, url, at, isLoadVital(attrs)); linked {
				relinkToView(view, lr)
			}
		}
		return
	}
	t.joinPoint(s, heldPoint(v.metrics))
}

// joinKeys are the navigation id and url.full a held vital looks for its page view by.
func (v *heldVital) joinKeys() (navigationID, url string) {
	var attrs pcommon.Map
	if v.isLog {
		attrs = v.logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes()
	} else {
		attrs = heldPoint(v.metrics).Attributes()
	}
	return pattrs.Str(attrs, rumconv.AttrRUMNavigationID), pattrs.Str(attrs, rumconv.AttrURLFull)
}

// heldPoint is the one point of a held metric vital.
func heldPoint(md pmetric.Metrics) pmetric.NumberDataPoint {
	points, _ := pdatacopy.NumberPoints(md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics().At(0))
	return points.At(0)
}

// holdLog holds a copy of the log record lr of rl and sl.
func (t *tracker) holdLog(s store.Session, rl plog.ResourceLogs, sl plog.ScopeLogs, lr plog.LogRecord) {
	ld := plog.NewLogs()
	csl := pdatacopy.ScopeLogs(sl, pdatacopy.ResourceLogs(rl, ld.ResourceLogs()).ScopeLogs())
	lr.CopyTo(csl.LogRecords().AppendEmpty())
	t.hold(s, &heldVital{isLog: true, logs: ld})
}

// holdPoint holds a copy of the point dp of m (a gauge or a sum) of rm and sm.
func (t *tracker) holdPoint(s store.Session, rm pmetric.ResourceMetrics, sm pmetric.ScopeMetrics, m pmetric.Metric, dp pmetric.NumberDataPoint) {
	md := pmetric.NewMetrics()
	csm := pdatacopy.ScopeMetrics(sm, pdatacopy.ResourceMetrics(rm, md.ResourceMetrics()).ScopeMetrics())
	points, _ := pdatacopy.NumberPoints(pdatacopy.MetricWithoutPoints(m, csm.Metrics().AppendEmpty()))
	dp.CopyTo(points.AppendEmpty())
	t.hold(s, &heldVital{metrics: md})
}
