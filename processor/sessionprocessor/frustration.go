// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// maxTargetLength bounds rum.action.target: the browser chooses the target (an XPath
// can be as long as the document is deep).
const maxTargetLength = 256

// The detector's inputs. A click is a Faro user action started by a pointer (Faro runs
// one action at a time, so a click during a running action makes none) or a root
// click span of the OTel user-interaction instrumentation (one click makes a span per
// listener, the later ones children of the first). A Faro action started otherwise (a
// key, the API) can make an error click, not a rage click. No pinned SDK reports that an
// action caused no request and no change of the document (Faro drops such actions
// silently), so every input has an unknown effect and no dead click is ever signalled.

// faroClick returns the target of a Faro user action and whether a pointer started it.
func faroClick(attrs pcommon.Map) (target string, click bool) {
	switch pattrs.Str(attrs, rumconv.AttrFaroUserActionTrigger) {
	case "pointerdown", "pointerup", "mousedown", "click":
		click = true
	}
	return pattrs.Str(attrs, rumconv.AttrFaroUserActionName), click
}

// userInteractionClick returns the target of an OTel user-interaction span that is a
// click's first (root) span, and whether it is one.
func userInteractionClick(scope string, span ptrace.Span) (string, bool) {
	if scope != rumconv.ScopeUserInteraction || !span.ParentSpanID().IsEmpty() {
		return "", false
	}
	attrs := span.Attributes()
	if pattrs.Str(attrs, rumconv.AttrUserInteractionEventType) != "click" {
		return "", false
	}
	if target := pattrs.Str(attrs, rumconv.AttrUserInteractionTargetXPath); target != "" {
		return target, true
	}
	return pattrs.Str(attrs, rumconv.AttrUserInteractionTargetElement), true
}

// observeFaroAction gives the detector a Faro user action at its record's time.
func (t *tracker) observeFaroAction(s store.Session, lr plog.LogRecord, at int64, page string) {
	target, click := faroClick(lr.Attributes())
	f := s.Frustration()
	var signals []frustration.Signal
	var outcome frustration.Outcome
	if click {
		signals, outcome = f.Click(&t.p.frustration, at, frustration.TargetHash(target), t.signals[:0])
	} else {
		signals, outcome = f.Action(&t.p.frustration, at, frustration.TargetHash(target), frustration.EffectUnknown, t.signals[:0])
	}
	t.takeSignals(s, f, signals, outcome, target, page)
}

// observeClickSpan gives the detector a click span at its start.
func (t *tracker) observeClickSpan(s store.Session, span ptrace.Span, target string) {
	f := s.Frustration()
	signals, outcome := f.Click(&t.p.frustration, int64(span.StartTimestamp()), frustration.TargetHash(target), t.signals[:0])
	t.takeSignals(s, f, signals, outcome, target, pattrs.Str(span.Attributes(), rumconv.AttrURLFull))
}

// observeError gives the detector an error at its time. action is the user action the
// SDK says the error happened in (Faro's faro.action.name), if any: the error click's
// target, since the detector does not keep the targets of past clicks.
func (t *tracker) observeError(s store.Session, at int64, page, action string) {
	f := s.Frustration()
	signals, outcome := f.Error(&t.p.frustration, at, t.signals[:0])
	t.takeSignals(s, f, signals, outcome, action, page)
}

// takeSignals counts an input the detector ignored, or turns its signals into
// rum.frustration events: target is the input's (a signal about an earlier click has
// another, unless the signal's target is unknown: an error's), page the input's URL, for
// a signal whose time falls in no view kept.
func (t *tracker) takeSignals(s store.Session, f *frustration.State, signals []frustration.Signal, outcome frustration.Outcome, target, page string) {
	t.signals = signals[:0]
	if outcome != frustration.Taken {
		t.tally.ignoredInputs[outcome]++
		return
	}
	if len(signals) == 0 {
		return
	}
	hash := frustration.TargetHash(target)
	for i := range signals {
		sig := &signals[i]
		f.Found++
		if !s.Sampled() {
			continue
		}
		ev := frustrationEvent{
			sessionID: s.ID(), app: s.App(), environment: s.Environment(), userID: s.UserID(), browser: s.Browser(),
			url: page, kind: sig.Kind, time: sig.Time, clicks: sig.Clicks,
		}
		if v := s.ViewAt(sig.Time, false); v.Valid() {
			ev.url = v.URL()
		}
		if sig.TargetHash == hash || sig.TargetHash == 0 {
			ev.target = pattrs.Clip(target, maxTargetLength)
		}
		t.tally.frustrations = append(t.tally.frustrations, ev)
	}
}

// frustrationEvent is a signal copied under the lock, for its rum.frustration event.
type frustrationEvent struct {
	sessionID, app, environment, userID, browser string
	url, target                                  string
	kind                                         frustration.Kind
	time                                         int64
	clicks                                       int
}

// appendFrustrationEvent adds the rum.frustration event of a signal, under its session's
// resource, as a rum.view event is.
func appendFrustrationEvent(ld plog.Logs, version string, ev *frustrationEvent, observed pcommon.Timestamp) {
	lr := appendEvent(ld, version, ev.app, ev.environment, ev.userID, ev.browser)
	lr.SetEventName(rumconv.EventRUMFrustration)
	lr.SetTimestamp(pcommon.Timestamp(ev.time))
	lr.SetObservedTimestamp(observed)
	attrs := lr.Attributes()
	attrs.EnsureCapacity(5)
	attrs.PutStr(rumconv.AttrSessionID, ev.sessionID)
	attrs.PutStr(rumconv.AttrRUMFrustrationType, ev.kind.String())
	pattrs.PutNonEmpty(attrs, rumconv.AttrURLFull, ev.url)
	pattrs.PutNonEmpty(attrs, rumconv.AttrRUMActionTarget, ev.target)
	if ev.kind == frustration.Rage {
		attrs.PutInt(rumconv.AttrRUMFrustrationClicks, int64(ev.clicks))
	}
}
