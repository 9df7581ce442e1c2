// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/metadata"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// startedSession is copied from a session under the lock: after it is released the
// session may change while its start event is built.
type startedSession struct {
	id, previousID, app, environment, userID, browser string
	start                                             int64
}

func startedFrom(s store.Session) startedSession {
	return startedSession{
		id: s.ID(), previousID: s.PreviousID(), app: s.App(), environment: s.Environment(),
		userID: s.UserID(), browser: s.Browser(), start: s.Start(),
	}
}

// buildEvents makes one log record per lifecycle event, each under the resource of its
// session's app and user. Ended sessions are copies: reading them needs no lock.
func buildEvents(tl *tally, now time.Time, version string, pathLength int) plog.Logs {
	ld := plog.NewLogs()
	observed := pcommon.NewTimestampFromTime(now)
	for i := range tl.sampledStarts {
		s := &tl.sampledStarts[i]
		lr := appendEvent(ld, version, s.app, s.environment, s.userID, s.browser)
		lr.SetEventName(rumconv.EventSessionStart)
		lr.SetTimestamp(pcommon.Timestamp(s.start))
		lr.SetObservedTimestamp(observed)
		putIDs(lr.Attributes(), s.id, s.previousID)
	}
	for i := range tl.views {
		appendViewEvent(ld, version, &tl.views[i], observed)
	}
	for i := range tl.frustrations {
		appendFrustrationEvent(ld, version, &tl.frustrations[i], observed)
	}
	for i := range tl.ended {
		s := &tl.ended[i].Session
		if !s.Sampled {
			continue
		}
		lr := appendEvent(ld, version, s.App, s.Environment, s.UserID, s.Browser)
		lr.SetEventName(rumconv.EventSessionEnd)
		lr.SetTimestamp(pcommon.Timestamp(s.LastActivity))
		lr.SetObservedTimestamp(observed)
		attrs := lr.Attributes()
		attrs.EnsureCapacity(17)
		putIDs(attrs, s.ID, s.PreviousID)
		attrs.PutStr(rumconv.AttrSessionEndReason, string(tl.ended[i].Reason))
		attrs.PutDouble(rumconv.AttrSessionDuration, time.Duration(s.LastActivity-s.Start).Seconds())
		attrs.PutInt(rumconv.AttrSessionPageViews, int64(s.HardViews()))
		attrs.PutInt(rumconv.AttrSessionViews, int64(s.Views))
		attrs.PutInt(rumconv.AttrSessionSoftViews, int64(s.SoftViews))
		putPath(attrs, s.Pages, pathLength)
		attrs.PutInt(rumconv.AttrSessionErrors, int64(s.Errors))
		attrs.PutInt(rumconv.AttrSessionUserActions, int64(s.UserActions))
		attrs.PutInt(rumconv.AttrSessionSpans, int64(s.Spans))
		attrs.PutBool(rumconv.AttrSessionBounce, s.Bounce())
		attrs.PutBool(rumconv.AttrSessionFrustrated, s.Frustrations > 0)
		attrs.PutInt(rumconv.AttrSessionFrustrations, int64(s.Frustrations))
		pattrs.PutNonEmpty(attrs, rumconv.AttrSessionEntryPage, s.EntryPage)
		pattrs.PutNonEmpty(attrs, rumconv.AttrSessionExitPage, s.ExitPage)
	}
	return ld
}

// appendViewEvent adds the rum.view event of a view that ended, under its session's
// resource and with its page's trace where known.
func appendViewEvent(ld plog.Logs, version string, v *store.ViewEvent, observed pcommon.Timestamp) {
	lr := appendEvent(ld, version, v.App, v.Environment, v.UserID, v.Browser)
	lr.SetEventName(rumconv.EventRUMView)
	lr.SetTimestamp(pcommon.Timestamp(v.Start))
	lr.SetObservedTimestamp(observed)
	lr.SetTraceID(v.TraceID)
	lr.SetSpanID(v.SpanID)
	attrs := lr.Attributes()
	attrs.EnsureCapacity(11)
	attrs.PutStr(rumconv.AttrSessionID, v.SessionID)
	attrs.PutInt(rumconv.AttrRUMViewIndex, int64(v.Index))
	navigation := rumconv.ViewNavigationHard
	if v.Soft {
		navigation = rumconv.ViewNavigationSoft
	}
	attrs.PutStr(rumconv.AttrRUMViewNavigation, navigation)
	pattrs.PutNonEmpty(attrs, rumconv.AttrRUMViewNavigationType, v.Type.String())
	pattrs.PutNonEmpty(attrs, rumconv.AttrURLFull, v.URL)
	pattrs.PutNonEmpty(attrs, rumconv.AttrRUMViewPreviousURL, v.PreviousURL)
	attrs.PutDouble(rumconv.AttrRUMViewDuration, float64(v.End-v.Start)/float64(time.Millisecond))
	attrs.PutInt(rumconv.AttrRUMViewErrors, int64(v.Errors))
	attrs.PutInt(rumconv.AttrRUMViewActions, int64(v.Actions))
	attrs.PutBool(rumconv.AttrRUMViewExit, v.Exit)
}

// putPath writes session.path: the paths (without query) of the session's first
// pathLength views, which the store keeps first among its views.
func putPath(attrs pcommon.Map, pages []store.SavedPage, pathLength int) {
	n := min(len(pages), pathLength)
	if n == 0 {
		return
	}
	path := attrs.PutEmptySlice(rumconv.AttrSessionPath)
	path.EnsureCapacity(n)
	for _, p := range pages[:n] {
		path.AppendEmpty().SetStr(store.URLPath(p.URL))
	}
}

func appendEvent(ld plog.Logs, version, app, environment, userID, browser string) plog.LogRecord {
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	pattrs.PutNonEmpty(res, rumconv.AttrServiceName, app)
	pattrs.PutNonEmpty(res, rumconv.AttrDeploymentEnvironmentName, environment)
	pattrs.PutNonEmpty(res, rumconv.AttrUserID, userID)
	pattrs.PutNonEmpty(res, rumconv.AttrBrowserName, browser)
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(metadata.ScopeName)
	sl.Scope().SetVersion(version)
	lr := sl.LogRecords().AppendEmpty()
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	return lr
}

func putIDs(attrs pcommon.Map, id, previousID string) {
	attrs.PutStr(rumconv.AttrSessionID, id)
	pattrs.PutNonEmpty(attrs, rumconv.AttrSessionPreviousID, previousID)
}
