// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"context"
	"hash/fnv"
	"net"
	"strconv"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"
)

// assignedPrefix marks the ids this processor assigns, so they are never mistaken for an
// SDK's.
const assignedPrefix = "srv-"

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
}

func (p *sessionProcessor) resolveResource(ctx context.Context, res pcommon.Map) resourceSession {
	rs := resourceSession{
		key: pattrs.Str(res, rumconv.AttrSessionID),
		info: store.Info{
			App:         pattrs.Str(res, rumconv.AttrServiceName),
			Environment: pattrs.Str(res, rumconv.AttrDeploymentEnvironmentName),
			UserID:      pattrs.Str(res, rumconv.AttrUserID),
			Browser:     pattrs.Str(res, rumconv.AttrBrowserName),
			PreviousID:  pattrs.Str(res, rumconv.AttrSessionPreviousID),
		},
	}
	if rs.key == "" && p.cfg.UnknownSessions == UnknownAssign {
		rs.key, rs.assigned = clientKey(ctx, res, rs.info.App), true
	}
	return rs
}

// clientKey derives a stable key from the app, the client address and the user agent.
// The address comes from the request (the receiver passes its context on) and is only
// hashed here, never recorded, so assigning sessions does not undo the receiver's privacy
// settings.
func clientKey(ctx context.Context, res pcommon.Map, app string) string {
	addr := pattrs.Str(res, rumconv.AttrClientAddress)
	if addr == "" {
		if a := client.FromContext(ctx).Addr; a != nil {
			addr = a.String()
			if host, _, err := net.SplitHostPort(addr); err == nil {
				addr = host
			}
		}
	}
	h := fnv.New64a()
	for _, part := range []string{app, addr, pattrs.Str(res, rumconv.AttrUserAgentOriginal)} {
		_, _ = h.Write([]byte(part))
		_, _ = h.Write([]byte{0})
	}
	return assignedPrefix + strconv.FormatUint(h.Sum64(), 16)
}

// enrich gives data its session's id and what is known of its user (and, on a resource,
// of its app). The SDK's id is replaced only where the session continues one that reached
// max_duration, and for assigned sessions, whose id the data did not have. The session's
// strings are copied out of the store only where they are written: the data usually has
// them.
func enrich(m pcommon.Map, s store.Session, key string, resource bool) {
	if !s.IDIs(key) {
		m.PutStr(rumconv.AttrSessionID, s.ID())
		pattrs.PutNonEmpty(m, rumconv.AttrSessionPreviousID, s.PreviousID())
	} else {
		pattrs.PutIfAbsent(m, rumconv.AttrSessionID, s.ID)
		pattrs.PutIfAbsent(m, rumconv.AttrSessionPreviousID, s.PreviousID)
	}
	pattrs.PutIfAbsent(m, rumconv.AttrUserID, s.UserID)
	if resource {
		pattrs.PutIfAbsent(m, rumconv.AttrServiceName, s.App)
		pattrs.PutIfAbsent(m, rumconv.AttrDeploymentEnvironmentName, s.Environment)
	}
}
