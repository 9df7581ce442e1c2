// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sourcemaps // import "github.com/otelcol-rum/otelcol-rum/internal/sourcemaps"

import (
	"hash/maphash"
	"sync"

	"go.uber.org/zap"
)

// maxLoggedKeys bounds the keys remembered as logged: 8 bytes each in a set, well under
// a megabyte. Past it, failures are still counted by the Observer but no longer logged.
const maxLoggedKeys = 10_000

// onceLogger logs a failure at most once per key. It keeps a hash of each logged key
// rather than the key (a browser-chosen URL), so its memory is fixed; two keys sharing a
// hash would lose one log line, never a count.
type onceLogger struct {
	logger *zap.Logger
	seed   maphash.Seed

	mu     sync.Mutex
	logged map[uint64]struct{}
	full   bool
}

func newOnceLogger(logger *zap.Logger) *onceLogger {
	return &onceLogger{logger: logger, seed: maphash.MakeSeed(), logged: map[uint64]struct{}{}}
}

// log writes msg for k unless k was logged before; it returns whether it did.
func (l *onceLogger) log(k Key, msg string, fields ...zap.Field) bool {
	var h maphash.Hash
	h.SetSeed(l.seed)
	for _, part := range []string{k.App, k.Release, k.ScriptURL} {
		_, _ = h.WriteString(part)
		_ = h.WriteByte(0)
	}
	sum := h.Sum64()

	first, last := l.admit(sum)
	if first {
		l.logger.Warn(msg, append(fields,
			zap.String("app", k.App), zap.String("release", k.Release), zap.String("script_url", k.ScriptURL))...)
	}
	if last {
		l.logger.Warn("source map failures of further scripts are counted but no longer logged",
			zap.Int("logged_scripts", maxLoggedKeys))
	}
	return first
}

// admit records sum; first says it was new and recorded, last that the set just filled.
func (l *onceLogger) admit(sum uint64) (first, last bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, seen := l.logged[sum]; seen || l.full {
		return false, false
	}
	l.logged[sum] = struct{}{}
	l.full = len(l.logged) >= maxLoggedKeys
	return true, l.full
}
