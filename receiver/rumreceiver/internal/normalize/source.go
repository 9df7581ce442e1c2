// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Source is what the receiver knows about a request besides its body.
type Source struct {
	// AppName and AppEnvironment come from the configured app whose key matched.
	AppName        string
	AppEnvironment string
	// ClientAddress is empty unless the privacy settings allow recording it.
	ClientAddress string
	// UserAgent is the request's User-Agent header.
	UserAgent string
	// Received is when the request arrived: the observed time of every record.
	Received time.Time
	// MaxClockSkew is how far ahead of Received a client timestamp may be.
	MaxClockSkew time.Duration
	// MaxTimestampAge is how far behind Received a client timestamp may be.
	MaxTimestampAge time.Duration
	// UserAttributes are the user.* fields besides user.id that may be recorded.
	UserAttributes map[string]bool
}

// itemTime resolves a client timestamp: none means the receive time; a time too far in
// the future or the past is replaced by the receive time and reported as corrected.
func (s *Source) itemTime(t time.Time) (ts pcommon.Timestamp, corrected bool) {
	if t.IsZero() {
		return pcommon.NewTimestampFromTime(s.Received), false
	}
	return s.checkTime(t)
}

// checkTime keeps a client time within max_clock_skew ahead of the receive time and
// max_timestamp_age behind it. A time before 1970 is always out: pdata keeps times as
// unsigned nanoseconds since 1970, so it would wrap around into a date centuries ahead.
func (s *Source) checkTime(t time.Time) (pcommon.Timestamp, bool) {
	if t.After(s.Received.Add(s.MaxClockSkew)) || t.Before(s.Received.Add(-s.MaxTimestampAge)) || t.Before(unixEpoch) {
		return pcommon.NewTimestampFromTime(s.Received), true
	}
	return pcommon.NewTimestampFromTime(t), false
}

var unixEpoch = time.Unix(0, 0)
