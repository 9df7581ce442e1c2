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
	At      int64
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
	// newest and oldest are the ends of the recency list.
	newest, oldest *Session
	// firstStarted and lastStarted are the ends of the start-order list.
	firstStarted, lastStarted *Session
	tombstones                map[string]tombstone
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
	return &Store{limits: limits, byKey: map[string]*Session{}, tombstones: map[string]tombstone{}, sampled: sampled}
}

// Len is the number of open sessions.
func (st *Store) Len() int { return len(st.byKey) }

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
			out := Outcome{Ended: []Ended{st.end(s, EndMaxDuration, now)}}
			s2 := st.open(key, now, fresh)
			out.Session, out.Started = s2, true
			return out
		}
		s.LastActivity = max(s.LastActivity, now)
		st.moveToNewest(s)
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
		out.Ended = append(out.Ended, st.end(st.oldest, EndEvicted, now))
	}
	out.Session, out.Started = st.open(key, now, fresh), true
	return out
}

// open creates the session of key, chained to the one before it if that hit max_duration.
// A fresh session's id also names its start, so that each visit of a client has its own.
func (st *Store) open(key string, now int64, fresh bool) *Session {
	s := &Session{Key: key, ID: key, Start: now, LastActivity: now}
	if fresh {
		s.ID = key + "-" + strconv.FormatInt(now/int64(time.Millisecond), 36)
	}
	chained, chainSampled := false, false
	if t, ok := st.tombstones[key]; ok && t.reason == EndMaxDuration {
		chained, chainSampled = true, t.sampled
		s.generation = t.generation + 1
		s.ID = key + "-" + strconv.FormatUint(uint64(s.generation)+1, 10)
		if fresh {
			s.ID = key + "-" + strconv.FormatInt(now/int64(time.Millisecond), 36)
		}
		s.PreviousID = t.id
		delete(st.tombstones, key)
	}
	s.Key = strings.Clone(key)
	if s.ID == key {
		s.ID = s.Key // share the clone
	}
	s.Sampled = st.sampled(s.ID)
	if chained {
		s.Sampled = chainSampled
	}
	st.insert(s)
	return s
}

func (st *Store) insert(s *Session) {
	st.byKey[s.Key] = s
	st.pushNewest(s)
	st.pushStarted(s)
}

// Expire ends the sessions past their inactivity timeout or maximum duration at now, and
// forgets tombstones that ran out.
func (st *Store) Expire(now int64) []Ended {
	var out []Ended
	for s := st.oldest; s != nil && now-s.LastActivity >= int64(st.limits.InactivityTimeout); s = st.oldest {
		out = append(out, st.end(s, EndTimeout, now))
	}
	for s := st.firstStarted; s != nil && now-s.Start >= int64(st.limits.MaxDuration); s = st.firstStarted {
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

// EndAll ends every open session, for shutdown without durable storage.
func (st *Store) EndAll(reason EndReason, now int64) []Ended {
	out := make([]Ended, 0, len(st.byKey))
	for s := st.oldest; s != nil; s = st.oldest {
		out = append(out, st.end(s, reason, now))
	}
	return out
}

// end removes s and leaves a tombstone for late data.
func (st *Store) end(s *Session, reason EndReason, now int64) Ended {
	st.unlink(s)
	delete(st.byKey, s.Key)
	if reason == EndTimeout || reason == EndMaxDuration {
		until := now + int64(st.limits.InactivityTimeout)
		st.tombstones[s.Key] = tombstone{id: s.ID, generation: s.generation, reason: reason, until: until, sampled: s.Sampled}
		st.expiring = append(st.expiring, expiringKey{key: s.Key, until: until})
	}
	return Ended{Session: s, Reason: reason, At: now}
}

// Each calls f for every open session, oldest activity first.
func (st *Store) Each(f func(*Session)) {
	for s := st.oldest; s != nil; s = s.newer {
		f(s)
	}
}

// Restore puts back a session saved by a checkpoint, keeping its times and counts.
func (st *Store) Restore(s *Session) {
	if old, ok := st.byKey[s.Key]; ok {
		st.unlink(old)
	}
	s.newer, s.older, s.nextStarted, s.prevStarted = nil, nil, nil, nil
	st.byKey[s.Key] = s
	// Restored sessions are inserted in activity order by the caller; the start list is
	// kept sorted by walking back from the end, which is short for sessions saved in order.
	st.pushNewest(s)
	st.insertStartedSorted(s)
}

func (st *Store) pushNewest(s *Session) {
	s.older, s.newer = st.newest, nil
	if st.newest != nil {
		st.newest.newer = s
	}
	st.newest = s
	if st.oldest == nil {
		st.oldest = s
	}
}

func (st *Store) moveToNewest(s *Session) {
	if st.newest == s {
		return
	}
	st.unlinkRecency(s)
	st.pushNewest(s)
}

func (st *Store) unlinkRecency(s *Session) {
	if s.older != nil {
		s.older.newer = s.newer
	} else {
		st.oldest = s.newer
	}
	if s.newer != nil {
		s.newer.older = s.older
	} else {
		st.newest = s.older
	}
	s.newer, s.older = nil, nil
}

func (st *Store) pushStarted(s *Session) {
	s.prevStarted, s.nextStarted = st.lastStarted, nil
	if st.lastStarted != nil {
		st.lastStarted.nextStarted = s
	}
	st.lastStarted = s
	if st.firstStarted == nil {
		st.firstStarted = s
	}
}

func (st *Store) insertStartedSorted(s *Session) {
	after := st.lastStarted
	for after != nil && after.Start > s.Start {
		after = after.prevStarted
	}
	if after == nil {
		s.prevStarted, s.nextStarted = nil, st.firstStarted
		if st.firstStarted != nil {
			st.firstStarted.prevStarted = s
		}
		st.firstStarted = s
		if st.lastStarted == nil {
			st.lastStarted = s
		}
		return
	}
	s.prevStarted, s.nextStarted = after, after.nextStarted
	if after.nextStarted != nil {
		after.nextStarted.prevStarted = s
	} else {
		st.lastStarted = s
	}
	after.nextStarted = s
}

func (st *Store) unlink(s *Session) {
	st.unlinkRecency(s)
	if s.prevStarted != nil {
		s.prevStarted.nextStarted = s.nextStarted
	} else {
		st.firstStarted = s.nextStarted
	}
	if s.nextStarted != nil {
		s.nextStarted.prevStarted = s.prevStarted
	} else {
		st.lastStarted = s.prevStarted
	}
	s.nextStarted, s.prevStarted = nil, nil
}
