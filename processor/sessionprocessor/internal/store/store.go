package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"strconv"
	"strings"
	"time"
)

// Limits are the lifecycle rules.
type Limits struct {
	InactivityTimeout time.Duration
	MaxDuration       time.Duration
	MaxSessions       int
}

// Ended is a session that ended and why, for its session.end summary.
type Ended struct {
	Session *Session
	Reason  EndReason
}

// tombstone remembers a session that ended, for as long as late data for it may come:
// late data must not reopen a session that timed out, and a session that hit its maximum
// duration continues as a new session that names the old one.
type tombstone struct {
	id         string
	generation uint32
	reason     EndReason
	until      int64
	// sampled is the ended session's sampling decision: its late data and its
	// continuation follow it, so a session is kept or dropped whole.
	sampled bool
}

// Store is the set of open sessions. It is not safe for concurrent use: the processor
// serialises access.
type Store struct {
	limits Limits
	byKey  map[string]*Session
	// slots holds every open session at a place that does not change while it is open
	// (nil: free, reused from free); snapshots walk it in bounded chunks between which
	// sessions come and go.
	slots []*Session
	free  []uint32
	// changes, when tracked, are what happened since the journal last took them.
	changes *changeLog
	// recency runs from the least to the most recently active session (inactivity,
	// eviction); started from the earliest to the latest start (max_duration).
	recency, started list
	tombstones       map[string]tombstone
	// expiring holds tombstone keys in the order they run out (they are made in end
	// order, each living one inactivity timeout), so sweeping never scans them all.
	expiring []expiringKey
	sampled  func(id string) bool
}

type expiringKey struct {
	key   string
	until int64
}

// New returns an empty store. sampled decides, once per session, whether it is kept.
func New(limits Limits, sampled func(id string) bool) *Store {
	return &Store{
		limits: limits, byKey: map[string]*Session{}, tombstones: map[string]tombstone{}, sampled: sampled,
		recency: list{which: byRecency}, started: list{which: byStart},
	}
}

// Len is the number of open sessions.
func (st *Store) Len() int { return len(st.byKey) }

// Has says whether key has an open session.
func (st *Store) Has(key string) bool {
	_, ok := st.byKey[key]
	return ok
}

// Outcome says what Touch did.
type Outcome struct {
	Session *Session
	// Started is set when the record opened a new session.
	Started bool
	// Late is set for data of a session that ended by timeout: it does not reopen it.
	// LateSampled is that session's sampling decision.
	Late, LateSampled bool
	// Ended lists sessions ended to make room (evicted) or by the key's own max duration.
	Ended []Ended
}

// Touch finds or opens the session of key at now and marks it active.
//
// fresh is for sessions the processor assigns itself: after a timeout the same client
// starts a new visit, so instead of counting as late data it opens a session with a new
// id. SDK sessions are never fresh: the SDK makes a new id itself when it starts over.
func (st *Store) Touch(key string, now int64, fresh bool) Outcome {
	if s, ok := st.byKey[key]; ok {
		if now-s.Start >= int64(st.limits.MaxDuration) {
			// The maximum is reached before the ticker noticed: end it now and continue.
			ended := st.end(s, EndMaxDuration, now)
			return Outcome{Session: st.open(key, now, fresh), Started: true, Ended: []Ended{ended}}
		}
		s.LastActivity = max(s.LastActivity, now)
		st.moveToNewest(s)
		st.markChanged(s)
		return Outcome{Session: s}
	}
	if t, ok := st.tombstones[key]; ok && t.reason == EndTimeout && now < t.until {
		if !fresh {
			return Outcome{Late: true, LateSampled: t.sampled}
		}
		delete(st.tombstones, key)
	}
	var out Outcome
	if st.limits.MaxSessions > 0 && len(st.byKey) >= st.limits.MaxSessions {
		out.Ended = append(out.Ended, st.end(st.recency.first, EndEvicted, now))
	}
	out.Session, out.Started = st.open(key, now, fresh), true
	return out
}

// open creates the session of key, chained to the one before it if that hit max_duration.
// A fresh session's id also names its start, so that each visit of a client has its own.
func (st *Store) open(key string, now int64, fresh bool) *Session {
	s := &Session{Key: strings.Clone(key), Start: now, LastActivity: now}
	s.ID = s.Key
	t, chained := st.tombstones[key]
	chained = chained && t.reason == EndMaxDuration
	if chained {
		s.generation = t.generation + 1
		s.ID = s.Key + "-" + strconv.FormatUint(uint64(s.generation)+1, 10)
		s.PreviousID = t.id
		// The continuation follows the sampling decision of the session it continues.
		s.Sampled = t.sampled
		delete(st.tombstones, key)
	}
	if fresh {
		s.ID = s.Key + "-" + strconv.FormatInt(now/int64(time.Millisecond), 36)
	}
	if !chained {
		s.Sampled = st.sampled(s.ID)
	}
	st.insert(s)
	return s
}

func (st *Store) insert(s *Session) {
	st.place(s)
	st.recency.pushLast(s)
	st.started.pushLast(s)
	st.markChanged(s)
}

// place gives s a slot and makes it findable by its key.
func (st *Store) place(s *Session) {
	if n := len(st.free); n > 0 {
		s.slot = st.free[n-1]
		st.free = st.free[:n-1]
		st.slots[s.slot] = s
	} else {
		s.slot = uint32(len(st.slots))
		st.slots = append(st.slots, s)
	}
	st.byKey[s.Key] = s
}

// displace undoes place.
func (st *Store) displace(s *Session) {
	delete(st.byKey, s.Key)
	st.slots[s.slot] = nil
	st.free = append(st.free, s.slot)
}

// Expire ends the sessions past their inactivity timeout or maximum duration at now, and
// forgets tombstones that ran out.
func (st *Store) Expire(now int64) []Ended {
	var out []Ended
	for s := st.recency.first; s != nil && now-s.LastActivity >= int64(st.limits.InactivityTimeout); s = st.recency.first {
		out = append(out, st.end(s, EndTimeout, now))
	}
	for s := st.started.first; s != nil && now-s.Start >= int64(st.limits.MaxDuration); s = st.started.first {
		out = append(out, st.end(s, EndMaxDuration, now))
	}
	st.sweepTombstones(now)
	return out
}

func (st *Store) sweepTombstones(now int64) {
	n := 0
	for ; n < len(st.expiring) && st.expiring[n].until <= now; n++ {
		e := st.expiring[n]
		// The key may have a newer tombstone (or none) by now; only its own goes.
		if t, ok := st.tombstones[e.key]; ok && t.until == e.until {
			delete(st.tombstones, e.key)
		}
	}
	st.expiring = append(st.expiring[:0], st.expiring[n:]...)
}

// EndLeastRecent ends up to n open sessions, the least recently active first: shutdown
// without durable storage ends them all, a bounded number at a time.
func (st *Store) EndLeastRecent(n int, reason EndReason, now int64) []Ended {
	out := make([]Ended, 0, min(n, len(st.byKey)))
	for s := st.recency.first; s != nil && len(out) < n; s = st.recency.first {
		out = append(out, st.end(s, reason, now))
	}
	return out
}

// end removes s and leaves a tombstone for late data.
func (st *Store) end(s *Session, reason EndReason, now int64) Ended {
	st.unlink(s)
	st.displace(s)
	st.markEnded(s.Key)
	if reason == EndTimeout || reason == EndMaxDuration {
		until := now + int64(st.limits.InactivityTimeout)
		st.tombstones[s.Key] = tombstone{id: s.ID, generation: s.generation, reason: reason, until: until, sampled: s.Sampled}
		st.expiring = append(st.expiring, expiringKey{key: s.Key, until: until})
	}
	return Ended{Session: s, Reason: reason}
}

func (st *Store) moveToNewest(s *Session) {
	if st.recency.last == s {
		return
	}
	st.recency.remove(s)
	st.recency.pushLast(s)
}

func (st *Store) unlink(s *Session) {
	st.recency.remove(s)
	st.started.remove(s)
}

// Which of a session's links a list uses.
const (
	byRecency = iota
	byStart
)

// neighbours are a session's places in one list: prev towards first, next towards last.
type neighbours struct{ prev, next *Session }

// list is an intrusive doubly linked list of sessions: a session holds its own links in
// both of the store's lists, so the lists cost no allocations.
type list struct {
	first, last *Session
	which       int // byRecency or byStart
}

func (l *list) pushLast(s *Session) { l.insertAfter(l.last, s) }

// insertAfter puts s right after after, or first when after is nil.
func (l *list) insertAfter(after, s *Session) {
	n := &s.links[l.which]
	n.prev = after
	if after == nil {
		n.next, l.first = l.first, s
	} else {
		n.next, after.links[l.which].next = after.links[l.which].next, s
	}
	if n.next == nil {
		l.last = s
	} else {
		n.next.links[l.which].prev = s
	}
}

func (l *list) remove(s *Session) {
	n := &s.links[l.which]
	if n.prev == nil {
		l.first = n.next
	} else {
		n.prev.links[l.which].next = n.next
	}
	if n.next == nil {
		l.last = n.prev
	} else {
		n.next.links[l.which].prev = n.prev
	}
	*n = neighbours{}
}
