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
	// UserAttributes are the user.* fields besides user.id that may be recorded.
	UserAttributes map[string]bool
}

// itemTime resolves a client timestamp: none means the receive time; a time too far in
// the future is replaced by the receive time and reported as corrected.
func (s *Source) itemTime(t time.Time) (ts pcommon.Timestamp, corrected bool) {
	if t.IsZero() {
		return pcommon.NewTimestampFromTime(s.Received), false
	}
	return s.checkSkew(t)
}

func (s *Source) checkSkew(t time.Time) (pcommon.Timestamp, bool) {
	if t.After(s.Received.Add(s.MaxClockSkew)) {
		return pcommon.NewTimestampFromTime(s.Received), true
	}
	return pcommon.NewTimestampFromTime(t), false
}
