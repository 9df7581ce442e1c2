package normalize // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/normalize"

import (
	"encoding/hex"
	"errors"
	"fmt"
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

// clientTime resolves a client timestamp: empty means "now", a time too far in the
// future is replaced by the receive time and reported as corrected.
func (s *Source) clientTime(raw string) (ts pcommon.Timestamp, corrected bool, err error) {
	if raw == "" {
		return pcommon.NewTimestampFromTime(s.Received), false, nil
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return 0, false, fmt.Errorf("invalid timestamp %q: want RFC 3339", raw)
	}
	return s.checkSkew(t)
}

func (s *Source) checkSkew(t time.Time) (pcommon.Timestamp, bool, error) {
	if t.After(s.Received.Add(s.MaxClockSkew)) {
		return pcommon.NewTimestampFromTime(s.Received), true, nil
	}
	return pcommon.NewTimestampFromTime(t), false, nil
}

var errBadTraceContext = errors.New("invalid trace context")

// parseTraceContext decodes hex trace and span ids; both empty is no trace context.
func parseTraceContext(traceID, spanID string) (pcommon.TraceID, pcommon.SpanID, error) {
	var tid pcommon.TraceID
	var sid pcommon.SpanID
	if traceID == "" && spanID == "" {
		return tid, sid, nil
	}
	if len(traceID) != 2*len(tid) || len(spanID) != 2*len(sid) {
		return tid, sid, fmt.Errorf("%w: trace_id %q, span_id %q", errBadTraceContext, traceID, spanID)
	}
	if _, err := hex.Decode(tid[:], []byte(traceID)); err != nil {
		return tid, sid, fmt.Errorf("%w: trace_id %q", errBadTraceContext, traceID)
	}
	if _, err := hex.Decode(sid[:], []byte(spanID)); err != nil {
		return tid, sid, fmt.Errorf("%w: span_id %q", errBadTraceContext, spanID)
	}
	return tid, sid, nil
}
