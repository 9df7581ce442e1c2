// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package journeysprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor"

import (
	"context"
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/journeysprocessor/internal/journeycount"
)

// processLogs counts the views, session summaries, frustration signals and Faro user
// actions among the records, and writes the route templates of every rum.view. Every
// record goes on.
func (p *journeysProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	b := p.startBatch()
	defer b.finish(ctx)
	for _, rl := range ld.ResourceLogs().All() {
		o := originOf(rl.Resource().Attributes())
		for _, sl := range rl.ScopeLogs().All() {
			for _, lr := range sl.LogRecords().All() {
				switch eventName(lr) {
				case rumconv.EventRUMView:
					b.view(&o, lr.Attributes())
				case rumconv.EventSessionEnd:
					b.sessionEnd(&o, lr.Attributes())
				case rumconv.EventRUMFrustration:
					attrs := lr.Attributes()
					b.add(&o, journeycount.Frustrations, b.route(&o, pattrs.PageURL(attrs)), pattrs.Str(attrs, rumconv.AttrRUMFrustrationType), 1)
				case rumconv.EventFaroUserAction:
					b.faroAction(&o, lr.Attributes())
				}
			}
		}
	}
	return ld, nil
}

// eventName is the record's event: the EventName field, or the event.name attribute of
// SDKs that predate the field.
func eventName(lr plog.LogRecord) string {
	if name := lr.EventName(); name != "" {
		return name
	}
	return pattrs.Str(lr.Attributes(), rumconv.AttrEventName)
}

// view counts a view, its transition from the previous view, and whether it entered or
// left the app, and writes url.template and rum.view.from on the event.
func (b *batch) view(o *origin, attrs pcommon.Map) {
	to := b.route(o, pattrs.PageURL(attrs))
	pattrs.PutNonEmpty(attrs, rumconv.AttrURLTemplate, to)
	b.add(o, journeycount.Views, to, pattrs.Str(attrs, rumconv.AttrRUMViewNavigation), 1)
	previous := pattrs.Str(attrs, rumconv.AttrRUMViewPreviousURL)
	if previous != "" {
		from := b.route(o, previous)
		attrs.PutStr(rumconv.AttrRUMViewFrom, from)
		b.add(o, journeycount.Transitions, from, to, 1)
	}
	if isEntry(attrs, previous) {
		b.add(o, journeycount.Entries, to, "", 1)
	}
	if v, ok := attrs.Get(rumconv.AttrRUMViewExit); ok && v.Type() == pcommon.ValueTypeBool && v.Bool() {
		b.add(o, journeycount.Exits, to, "", 1)
	}
}

// isEntry says whether a view is its session's first: index 0, or, without an index, no
// previous view.
func isEntry(attrs pcommon.Map, previous string) bool {
	if index, ok := pattrs.Float(attrs, rumconv.AttrRUMViewIndex); ok {
		return index == 0
	}
	return previous == ""
}

// sessionEnd counts an ended session's views (hard and soft, or page views on summaries
// from before soft views) and duration.
func (b *batch) sessionEnd(o *origin, attrs pcommon.Map) {
	views, ok := pattrs.Float(attrs, rumconv.AttrSessionViews)
	if !ok {
		views, ok = pattrs.Float(attrs, rumconv.AttrSessionPageViews)
	}
	if ok && measurable(views) {
		b.add(o, journeycount.SessionViews, "", "", views)
	}
	if seconds, ok := pattrs.Float(attrs, rumconv.AttrSessionDuration); ok && measurable(seconds) {
		b.add(o, journeycount.SessionDuration, "", "", seconds)
	}
}

// faroAction counts a Faro user action's duration by its name and route. Faro sends the
// duration in milliseconds, as a string.
func (b *batch) faroAction(o *origin, attrs pcommon.Map) {
	ms, err := strconv.ParseFloat(pattrs.Str(attrs, rumconv.AttrFaroUserActionDuration), 64)
	if err != nil || !measurable(ms) {
		return
	}
	name := pattrs.Str(attrs, rumconv.AttrFaroUserActionName)
	if name == "" {
		name = pattrs.Str(attrs, rumconv.AttrFaroActionName)
	}
	b.add(o, journeycount.ActionDuration, name, b.route(o, pattrs.PageURL(attrs)), ms)
}
