// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"

import (
	"time"

	"golang.org/x/time/rate"
)

// uncachedBudget bounds how many User-Agent strings not in the cache are parsed per
// second: a parse runs ua-parser's expressions (about 0.8 ms), so a flood of distinct
// made-up strings would otherwise cost a core. A cached string never asks it.
type uncachedBudget struct {
	tokens *rate.Limiter
	// now is the clock; tests replace it.
	now func() time.Time
}

// newUncachedBudget allows perSecond parses a second, and a burst of one second's worth,
// so that the browsers of a freshly started collector are parsed at once.
func newUncachedBudget(perSecond int) *uncachedBudget {
	return &uncachedBudget{tokens: rate.NewLimiter(rate.Limit(perSecond), perSecond), now: time.Now}
}

// allow takes a parse from the budget, and reports whether there was one. It is safe
// for concurrent use.
func (b *uncachedBudget) allow() bool { return b.tokens.AllowN(b.now(), 1) }
