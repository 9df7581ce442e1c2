// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/internal/sessionkey"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// resourceSession is what a resource says about the session of its records.
type resourceSession struct {
	// key is the resource's session.id, or an assigned one; empty when there is none.
	key string
	// assigned is set when this processor made the key up.
	assigned bool
	// late is set when the key names a session that ended by timeout: the resource's
	// records are late data.
	late bool
	info store.Info
	// session is the resource's open session, if any. A record with a session of its
	// own can evict it (max_sessions) and take its place in the store: the handle is then
	// cleared and evicted set (with the id it had), and the next record that belongs to
	// the resource opens it again.
	session   store.Session
	evicted   bool
	evictedID string
	// has says which session attributes the resource has; enrich writes the others.
	has sessionAttrs
}

// sessionAttrs is a set of the attributes that name a record's session and its user, by
// bit: which of them a map has, read in one pass over it.
type sessionAttrs uint8

const (
	hasSessionID sessionAttrs = 1 << iota
	hasPreviousID
	hasUserID
	hasServiceName
	hasEnvironment
	hasBrowser
)

// readSessionAttrs reads a map's session attributes in one pass: the first value of each
// key, as pattrs.Str reads it, into key and info. It returns which of them m has. A
// lookup per attribute scanned the map six times for every resource.
func readSessionAttrs(m pcommon.Map, key *string, info *store.Info) sessionAttrs {
	var has sessionAttrs
	for k, v := range m.All() {
		var bit sessionAttrs
		var dst *string
		switch k {
		case rumconv.AttrSessionID:
			bit, dst = hasSessionID, key
		case rumconv.AttrSessionPreviousID:
			bit, dst = hasPreviousID, &info.PreviousID
		case rumconv.AttrUserID:
			bit, dst = hasUserID, &info.UserID
		case rumconv.AttrServiceName:
			bit, dst = hasServiceName, &info.App
		case rumconv.AttrDeploymentEnvironmentName:
			bit, dst = hasEnvironment, &info.Environment
		case rumconv.AttrBrowserName:
			bit, dst = hasBrowser, &info.Browser
		default:
			continue
		}
		if has&bit == 0 {
			has |= bit
			*dst = v.AsString()
		}
	}
	return has
}

func (p *sessionProcessor) resolveResource(ctx context.Context, res pcommon.Map) resourceSession {
	var rs resourceSession
	rs.has = readSessionAttrs(res, &rs.key, &rs.info)
	if rs.key == "" && p.cfg.UnknownSessions == UnknownAssign {
		rs.key, rs.assigned = clientKey(ctx, res, rs.info.App), true
	}
	return rs
}

// clientKey is the key of a resource without a session id: the one the rum receiver
// assigned, when it names it in the client metadata (session_metadata, on the intake
// tier of a Kafka deployment, where this processor never sees the client's address);
// otherwise derived here from the app, the client address and the user agent.
func clientKey(ctx context.Context, res pcommon.Map, app string) string {
	if key := sessionkey.FromMetadata(ctx); key != "" {
		return key
	}
	return sessionkey.Assigned(ctx, res, app)
}

// enrich gives data its session's id and what is known of its user (and, on a resource,
// of its app). The SDK's id is replaced only where the session continues one that reached
// max_duration, and for assigned sessions, whose id the data did not have. has is which
// of the session attributes m has (readSessionAttrs). The session's strings are read
// from the store once, and copied out of it only where they are written: the data
// usually has them.
func enrich(m pcommon.Map, s store.Session, key string, has sessionAttrs, resource bool) {
	id := s.Identity(resource && has&(hasServiceName|hasEnvironment) != hasServiceName|hasEnvironment)
	if string(id.ID) != key {
		m.PutStr(rumconv.AttrSessionID, string(id.ID))
		putBytes(m, rumconv.AttrSessionPreviousID, id.PreviousID)
	} else {
		putAbsent(m, has&hasSessionID, rumconv.AttrSessionID, id.ID)
		putAbsent(m, has&hasPreviousID, rumconv.AttrSessionPreviousID, id.PreviousID)
	}
	putAbsent(m, has&hasUserID, rumconv.AttrUserID, id.UserID)
	if resource {
		putAbsent(m, has&hasServiceName, rumconv.AttrServiceName, id.App)
		putAbsent(m, has&hasEnvironment, rumconv.AttrDeploymentEnvironmentName, id.Environment)
	}
}

// putAbsent writes a copy of value as key unless the map had key (present) or value is
// empty.
func putAbsent(m pcommon.Map, present sessionAttrs, key string, value []byte) {
	if present == 0 {
		putBytes(m, key, value)
	}
}

// putBytes writes a copy of value as key unless value is empty.
func putBytes(m pcommon.Map, key string, value []byte) {
	if len(value) > 0 {
		m.PutStr(key, string(value))
	}
}
