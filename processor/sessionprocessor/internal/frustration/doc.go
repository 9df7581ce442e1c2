// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

// Package frustration finds the moments a user of a web page shows frustration, from the
// clicks, user actions and exceptions of one session, as the session processor sees them.
// It knows nothing of pdata: the processor feeds it times and target hashes and turns the
// signals it returns into rum.frustration events, counters and the session summary.
//
// # The signals
//
// Three kinds, as the commercial RUM products name them (their definitions differ in
// details; the thresholds here are configurable, see Config):
//
//   - Rage click: the same target clicked RageClicks times (default 4) within RageWindow
//     (default 1 s), measured as a sliding window. Datadog's browser documentation counts
//     more than three clicks within a sliding second; Splunk's browser agent
//     (@splunk/otel-web) makes count and time frame configurable, and its 2.1.0 release
//     raised its default count from 3 to 4 within one second. A click on an unknown target
//     (hash 0) never counts toward a rage click: two clicks whose target is unknown may be
//     anywhere on the page.
//   - Error click: an exception that happens within ErrorClickWindow (default 1 s) after a
//     click or user action. Datadog's browser documentation describes it as a click just
//     before a JavaScript error, without a number; its mobile SDKs use the duration of the
//     action plus 100 ms. A window of a second covers an error thrown by the click's
//     handler and one from the request it started, and is what issue 13 asks for.
//   - Dead click: a user action after which the page did nothing: no request and no
//     change of the document. Only the SDK can see that, so the detector signals a dead
//     click only when the SDK reported both facts (Effect), never by guessing from the
//     absence of data, which may simply not have arrived yet.
//
// # What a burst is
//
// Clicks on one target form a run while each follows the previous within RageWindow; a
// click on another target, newer than the run, starts a new run (a user who clicks
// elsewhere has moved on), so two targets clicked alternately are no rage click. A run
// signals rage once, when it first holds RageClicks clicks within RageWindow; the clicks
// after that extend the burst and are counted (Signal.Clicks, State.Burst), not signalled
// again. An exception yields at most one error click, and a click at most one.
//
// # Order, duplicates and bad input
//
// Records of a session arrive in batches that may overtake each other (an SDK sends
// spans and logs on separate timers; retries resend old batches), and within one batch
// the receiver orders records by kind, not by time. So the detector judges by record
// time, not arrival: a click that arrives after the exception that followed it still
// makes an error click. Events older than the newest one seen minus MaxReorder are
// ignored (Outcome Late): without a bound, a replayed batch from long ago would be
// matched against today's clicks. The flip side is that one event stamped far in the
// future makes the rest of its session late; the receiver already replaces client times
// too far from the receive time (rum.timestamp.corrected), which keeps that rare. The same click reported twice (same target, same
// millisecond) counts once (Outcome Duplicate), as does a click at the very nanosecond of
// one of the two newest clicks, and an action at the time of one of the two newest
// actions. A late click on the run's target joins the run only if it is newer than the
// click elsewhere that preceded the run: a batch of alternating clicks sent twice is
// still no rage click.
//
// The memory is fixed: the two newest clicks or actions, the newest exception, and the
// current run's newest clicks (up to MaxRageClicks). What falls outside it is lost: an
// exception older than the newest is not matched to a click that arrives later, a
// duplicate of a click older than those kept is counted again, and a late click that
// would have completed a rage window among clicks already forgotten is missed. Times must
// be positive Unix nanoseconds; anything else is ignored (Outcome Invalid), and nothing
// the inputs can do makes the state grow or a method panic.
//
// # Storage
//
// State is a value of fixed size without pointers, so the session store can keep it
// inside its sessions (in slabs the garbage collector does not scan) and save it with
// State.Encode / State.Decode in its journal. TargetHash is saved too, so it is a fixed
// function (64-bit FNV-1a folded to 32 bits), not a per-process seeded hash. 32 bits tell
// the few targets of one session apart (a collision between two targets clicked within a
// second of each other is a chance in billions) and keep the state at 56 bytes.
package frustration // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
