package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// Event and attribute names. session.start, session.end, session.id and
// session.previous_id are semantic conventions; the summary attributes extend them.
const (
	eventSessionStart = "session.start"
	eventSessionEnd   = "session.end"

	attrSessionID     = "session.id"
	attrSessionPrevID = "session.previous_id"
	attrEndReason     = "session.end_reason"
	attrDuration      = "session.duration"
	attrPageViews     = "session.page_views"
	attrErrors        = "session.errors"
	attrUserActions   = "session.user_actions"
	attrSpans         = "session.spans"
	attrBounce        = "session.bounce"
	attrEntryPage     = "session.entry_page"
	attrExitPage      = "session.exit_page"

	attrServiceName = "service.name"
	attrEnvironment = "deployment.environment.name"
	attrUserID      = "user.id"
	attrBrowserName = "browser.name"

	scopeName = "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"
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
func buildEvents(lc *lifecycle, now time.Time, version string) plog.Logs {
	ld := plog.NewLogs()
	observed := pcommon.NewTimestampFromTime(now)
	for i := range lc.started {
		s := &lc.started[i]
		lr := appendEvent(ld, version, s.app, s.environment, s.userID, s.browser)
		lr.SetEventName(eventSessionStart)
		lr.SetTimestamp(pcommon.Timestamp(s.start))
		lr.SetObservedTimestamp(observed)
		putIDs(lr.Attributes(), s.id, s.previousID)
	}
	for i := range lc.ended {
		s := &lc.ended[i].Session
		if !s.Sampled {
			continue
		}
		lr := appendEvent(ld, version, s.App, s.Environment, s.UserID, s.Browser)
		lr.SetEventName(eventSessionEnd)
		lr.SetTimestamp(pcommon.Timestamp(s.LastActivity))
		lr.SetObservedTimestamp(observed)
		attrs := lr.Attributes()
		attrs.EnsureCapacity(12)
		putIDs(attrs, s.ID, s.PreviousID)
		attrs.PutStr(attrEndReason, string(lc.ended[i].Reason))
		attrs.PutDouble(attrDuration, time.Duration(s.LastActivity-s.Start).Seconds())
		attrs.PutInt(attrPageViews, int64(s.PageViews))
		attrs.PutInt(attrErrors, int64(s.Errors))
		attrs.PutInt(attrUserActions, int64(s.UserActions))
		attrs.PutInt(attrSpans, int64(s.Spans))
		attrs.PutBool(attrBounce, s.Bounce())
		pattrs.PutNonEmpty(attrs, attrEntryPage, s.EntryPage)
		pattrs.PutNonEmpty(attrs, attrExitPage, s.ExitPage)
	}
	return ld
}

func appendEvent(ld plog.Logs, version, app, environment, userID, browser string) plog.LogRecord {
	rl := ld.ResourceLogs().AppendEmpty()
	res := rl.Resource().Attributes()
	pattrs.PutNonEmpty(res, attrServiceName, app)
	pattrs.PutNonEmpty(res, attrEnvironment, environment)
	pattrs.PutNonEmpty(res, attrUserID, userID)
	pattrs.PutNonEmpty(res, attrBrowserName, browser)
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(scopeName)
	sl.Scope().SetVersion(version)
	lr := sl.LogRecords().AppendEmpty()
	lr.SetSeverityNumber(plog.SeverityNumberInfo)
	return lr
}

func putIDs(attrs pcommon.Map, id, previousID string) {
	attrs.PutStr(attrSessionID, id)
	pattrs.PutNonEmpty(attrs, attrSessionPrevID, previousID)
}
