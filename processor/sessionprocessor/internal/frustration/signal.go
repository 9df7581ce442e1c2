// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"

import "github.com/otelcol-rum/otelcol-rum/internal/rumconv"

// Kind is the kind of a frustration signal.
type Kind uint8

// The kinds; the zero Kind is none.
const (
	Rage Kind = iota + 1
	ErrorClick
	DeadClick
)

// String is the kind as the rum.frustration.type attribute spells it.
func (k Kind) String() string {
	switch k {
	case Rage:
		return rumconv.FrustrationRage
	case ErrorClick:
		return rumconv.FrustrationError
	case DeadClick:
		return rumconv.FrustrationDead
	}
	return ""
}

// Signal is a frustration detected.
type Signal struct {
	Kind Kind
	// Time is when the click or action the signal is about happened (Unix ns): for a
	// rage click the click that completed it, for an error click the click the
	// exception followed.
	Time int64
	// TargetHash is the target's TargetHash when known: always for a rage click, for a
	// dead click when the action named one, for an error click only when it was found
	// at the click (an exception does not say what was clicked).
	TargetHash uint32
	// Clicks is the burst's clicks so far, for a rage click.
	Clicks int
}

// Outcome says what became of an event given to the detector.
type Outcome uint8

// The outcomes.
const (
	// Taken: the event counted (whether or not it made a signal).
	Taken Outcome = iota
	// Duplicate: the same click or action was already seen.
	Duplicate
	// Late: older than the newest event of the session minus Config.MaxReorder.
	Late
	// Invalid: a time that is not positive.
	Invalid
)

// String names the outcome, for self-telemetry.
func (o Outcome) String() string {
	switch o {
	case Taken:
		return "taken"
	case Duplicate:
		return "duplicate"
	case Late:
		return "late"
	case Invalid:
		return "invalid"
	}
	return ""
}

// Effect is what the SDK says a user action caused.
type Effect uint8

// The effects.
const (
	// EffectUnknown: the SDK does not say (most do not); never a dead click.
	EffectUnknown Effect = iota
	// EffectSome: a request or a change of the document followed.
	EffectSome
	// EffectNone: neither a request nor a change of the document: a dead click.
	EffectNone
)
