// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

import (
	"hash/maphash"
	"strconv"
	"time"

	"github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/frustration"
)

// Limits are the lifecycle rules.
type Limits struct {
	InactivityTimeout time.Duration
	MaxDuration       time.Duration
	MaxSessions       int
	// PathLength is how many of a session's first views it keeps for its path, on top of
	// its latest MaxPageViewsKept; at most MaxPathLength.
	PathLength int
	// ReorderWindow is how late, in record time, a navigation may arrive and still take
	// its place among the views before their rum.view events go out.
	ReorderWindow time.Duration
}

// Ended is a session that ended and why, for its session.end summary: a copy, since its
// place in the store is reused; its views are those kept (for the path).
type Ended struct {
	Session Record
	Reason  EndReason
}

// Tombstone remembers a session that ended by timeout or max_duration, for as long as
// late data for it may come (one inactivity timeout): late data must not reopen a session
// that timed out, and a session that hit its maximum duration continues as a new session
// that names the old one. The journal saves tombstones with the sessions, so that a
// restart in between changes neither.
type Tombstone struct {
	ID         string
	Generation uint32
	// Reason is EndTimeout or EndMaxDuration; empty for no tombstone.
	Reason EndReason
	// Until is when it runs out (Unix nanoseconds): one inactivity timeout after the end.
	Until int64
	// Sampled is the ended session's sampling decision: its late data and its
	// continuation follow it, so a session is kept or dropped whole.
	Sampled bool
	// partition is the data partition the session lived in, plus one (0: none): the
	// tombstone moves with it (partition.go). It is not saved by the journal.
	partition int32
}

// Store is the set of open sessions. It is not safe for concurrent use: the processor
// serialises access.
type Store struct {
	limits Limits
	// sessions are the open sessions, at indices that do not change while they are open
	// (the journal's snapshots walk them in chunks between which sessions come and go);
	// pages are their page views.
	sessions slab[session]
	pages    slab[pageNode]
	// frustrations are the detectors of the sessions that had a click, action or error.
	frustrations slab[frustration.State]
	open         int
	// byHash finds a session by a hash of its key: the first session of that hash; the
	// others (a collision) follow nextSameHash. The seed is random, so that clients cannot
	// choose keys that collide.
	seed   maphash.Seed
	byHash map[uint32]uint32
	// hashMask is all ones; tests clear it to make every key collide.
	hashMask uint32
	// arena holds the sessions' strings; urls and labels (app, environment, browser) are
	// interned.
	arena        arena
	urls, labels internTable
	// recency runs from the least to the most recently active session (inactivity,
	// eviction); started from the earliest to the latest start (max_duration).
	recency, started list
	tombstones       map[string]Tombstone
	// expiring holds tombstone keys in the order they run out (they are made in end
	// order, each living one inactivity timeout), so sweeping never scans them all;
	// each has a sequence number (nextExpiring is the next), so that a snapshot can walk
	// them in chunks while they come and go.
	expiring     []expiringKey
	nextExpiring uint64
	sampled      func(id string) bool
	// changes, when tracked, are what happened since the journal last took them.
	changes *changeLog
	// labelScratch is where a session's labels are put together (labels.go).
	labelScratch []byte
	// viewEvents are the views that ended, for the processor to take, when collectViews
	// is set.
	viewEvents   []ViewEvent
	collectViews bool
}

type expiringKey struct {
	key   string
	until int64
	seq   uint64
}

// New returns an empty store. sampled decides, once per session, whether it is kept.
func New(limits Limits, sampled func(id string) bool) *Store {
	limits.PathLength = min(max(limits.PathLength, 0), MaxPathLength)
	st := &Store{
		limits: limits, seed: maphash.MakeSeed(), byHash: map[uint32]uint32{}, hashMask: ^uint32(0), tombstones: map[string]Tombstone{}, sampled: sampled,
		recency: list{which: byRecency}, started: list{which: byStart},
	}
	st.urls, st.labels = newInternTable(&st.arena), newInternTable(&st.arena)
	return st
}

// Len is the number of open sessions.
func (st *Store) Len() int { return st.open }

// Has says whether key has an open session.
func (st *Store) Has(key string) bool { return st.find(key) != 0 }

// Lookup returns the open session of key, without touching it.
func (st *Store) Lookup(key string) (Session, bool) {
	i := st.find(key)
	if i == 0 {
		return Session{}, false
	}
	return Session{st: st, i: i}, true
}

// find returns the index of the open session of key, 0 if there is none.
func (st *Store) find(key string) uint32 {
	for i := st.byHash[fold32(maphash.String(st.seed, key))&st.hashMask]; i != 0; i = st.sessions.at(i).nextSameHash {
		if string(st.key(st.sessions.at(i))) == key {
			return i
		}
	}
	return 0
}

// Outcome says what Touch did.
type Outcome struct {
	Session Session
	// Started is set when the record opened a new session.
	Started bool
	// Late is set for data of a session that ended by timeout: it does not reopen it.
	// LateSampled is that session's sampling decision.
	Late, LateSampled bool
	// Ended lists sessions ended to make room (evicted), or the key's own session if it
	// reached its inactivity timeout or max duration before the ticker noticed.
	Ended []Ended
}

// Touch finds or opens the session of key at now and marks it active.
//
// assigned is set for the keys the processor assigns itself (unknown_sessions: assign):
// after a timeout the same client starts a new visit, so instead of counting as late data
// it opens a session with a new id. An SDK's session is never assigned: the SDK makes a
// new id itself when it starts over.
func (st *Store) Touch(key string, now int64, assigned bool) Outcome {
	var out Outcome
	if i := st.find(key); i != 0 {
		ss := st.sessions.at(i)
		switch {
		case now-ss.lastActivity >= int64(st.limits.InactivityTimeout):
			// Timed out before the ticker noticed (a session restored after the collector
			// was down longer, or data just before a check): it ends as the check would
			// have ended it, and this is its late data.
			out.Ended = append(out.Ended, st.end(i, EndTimeout, now))
		case now-ss.start >= int64(st.limits.MaxDuration):
			// The maximum is reached before the ticker noticed: end it now and continue.
			ended := st.end(i, EndMaxDuration, now)
			return Outcome{Session: st.openSession(key, now, assigned), Started: true, Ended: []Ended{ended}}
		default:
			ss.lastActivity = max(ss.lastActivity, now)
			st.moveToNewest(i)
			st.markChanged(i, ss)
			return Outcome{Session: Session{st, i}}
		}
	}
	if t, ok := st.tombstones[key]; ok && t.Reason == EndTimeout && now < t.Until {
		if !assigned {
			out.Late, out.LateSampled = true, t.Sampled
			return out
		}
		delete(st.tombstones, key)
	}
	if st.limits.MaxSessions > 0 && st.open >= st.limits.MaxSessions {
		out.Ended = append(out.Ended, st.end(st.recency.first, EndEvicted, now))
	}
	out.Session, out.Started = st.openSession(key, now, assigned), true
	return out
}

// openSession creates the session of key, chained to the one before it if that hit
// max_duration. An assigned session's id also names its start, so that each visit of a
// client has its own.
func (st *Store) openSession(key string, now int64, assigned bool) Session {
	id, prev := key, ""
	var generation uint32
	var sampled bool
	t, chained := st.tombstones[key]
	// A tombstone that ran out may not have been swept yet (one restored after the
	// collector was down, before the first check).
	chained = chained && t.Reason == EndMaxDuration && now < t.Until
	if chained {
		generation = t.Generation + 1
		id = key + "-" + strconv.FormatUint(uint64(generation)+1, 10)
		prev = t.ID
		// The continuation follows the sampling decision of the session it continues.
		sampled = t.Sampled
	}
	delete(st.tombstones, key) // an open session has none: its end leaves a new one
	if assigned {
		id = key + "-" + strconv.FormatInt(now/int64(time.Millisecond), 36)
	}
	if !chained {
		sampled = st.sampled(id)
	}
	i := st.sessions.alloc()
	ss := st.sessions.at(i)
	ss.start, ss.lastActivity, ss.generation = now, now, generation
	if sampled {
		ss.flags |= flagSampled
	}
	st.setStrings(ss, key, id, prev, "")
	st.place(i, key)
	st.recency.pushLast(st, i)
	st.started.pushLast(st, i)
	st.markChanged(i, ss)
	return Session{st, i}
}

// place makes the session at i open and findable by key.
func (st *Store) place(i uint32, key string) {
	ss := st.sessions.at(i)
	ss.flags |= flagOpen
	h := fold32(maphash.String(st.seed, key)) & st.hashMask
	ss.nextSameHash = st.byHash[h]
	st.byHash[h] = i
	st.open++
}

// remove frees the session at i and everything it holds; its place in the lists must
// already be undone.
func (st *Store) remove(i uint32) {
	ss := st.sessions.at(i)
	unchain(st.byHash, fold32(maphash.Bytes(st.seed, st.key(ss)))&st.hashMask, i, func(j uint32) *uint32 { return &st.sessions.at(j).nextSameHash })
	st.labels.release(ss.labels)
	st.urls.release(ss.entryPage)
	st.urls.release(ss.exitPage)
	for p := ss.firstPage; p != 0; {
		next := st.pages.at(p).next
		st.urls.release(st.pages.at(p).url)
		st.pages.release(p)
		p = next
	}
	st.releaseFrustration(ss)
	st.arena.free(ss.strs)
	st.sessions.release(i)
	st.open--
}

// Expire ends the sessions past their inactivity timeout or maximum duration at now, and
// forgets tombstones that ran out.
func (st *Store) Expire(now int64) []Ended {
	var out []Ended
	for i := st.recency.first; i != 0 && now-st.sessions.at(i).lastActivity >= int64(st.limits.InactivityTimeout); i = st.recency.first {
		out = append(out, st.end(i, EndTimeout, now))
	}
	for i := st.started.first; i != 0 && now-st.sessions.at(i).start >= int64(st.limits.MaxDuration); i = st.started.first {
		out = append(out, st.end(i, EndMaxDuration, now))
	}
	st.sweepTombstones(now)
	return out
}

func (st *Store) sweepTombstones(now int64) {
	n := 0
	for ; n < len(st.expiring) && st.expiring[n].until <= now; n++ {
		e := st.expiring[n]
		// The key may have a newer tombstone (or none) by now; only its own goes.
		if t, ok := st.tombstones[e.key]; ok && t.Until == e.until {
			delete(st.tombstones, e.key)
			if t.partition != 0 {
				// Its saved copy in the partition's checkpoints goes too.
				st.markEnded(e.key, t.partition-1)
			}
		}
	}
	st.expiring = append(st.expiring[:0], st.expiring[n:]...)
}

// EndLeastRecent ends up to n open sessions, the least recently active first: shutdown
// without durable storage ends them all, a bounded number at a time.
func (st *Store) EndLeastRecent(n int, reason EndReason, now int64) []Ended {
	out := make([]Ended, 0, min(n, st.open))
	for i := st.recency.first; i != 0 && len(out) < n; i = st.recency.first {
		out = append(out, st.end(i, reason, now))
	}
	return out
}

// end removes the session at i and leaves a tombstone for late data.
func (st *Store) end(i uint32, reason EndReason, now int64) Ended {
	st.settle(st.sessions.at(i), true)
	rec := st.record(i, true)
	st.recency.remove(st, i)
	st.started.remove(st, i)
	st.remove(i)
	st.markEnded(rec.Key, rec.Partition)
	if reason == EndTimeout || reason == EndMaxDuration {
		st.putTombstone(rec.Key, Tombstone{ID: rec.ID, Generation: rec.Generation, Reason: reason, Until: now + int64(st.limits.InactivityTimeout), Sampled: rec.Sampled,
			partition: rec.Partition + 1})
	}
	return Ended{Session: rec, Reason: reason}
}

func (st *Store) putTombstone(key string, t Tombstone) {
	st.tombstones[key] = t
	st.expiring = append(st.expiring, expiringKey{key: key, until: t.Until, seq: st.nextExpiring})
	st.nextExpiring++
}

func (st *Store) moveToNewest(i uint32) {
	if st.recency.last == i {
		return
	}
	st.recency.remove(st, i)
	st.recency.pushLast(st, i)
}

// setStrings writes the session's strings into a new block and frees its old one.
func (st *Store) setStrings(ss *session, key, id, prev, user string) {
	if id == key {
		id = ""
	}
	n := 0
	for _, s := range [...]string{key, id, prev, user} {
		n += uvarintLen(len(s)) + len(s)
	}
	block, b := st.arena.alloc(n)
	b = b[:0]
	for _, s := range [...]string{key, id, prev, user} {
		b = appendString(b, s)
	}
	st.arena.free(ss.strs)
	ss.strs = block
}

// Which of a session's links a list uses.
const (
	byRecency = iota
	byStart
)

// links are a session's places in one list: prev towards first, next towards last;
// 0 is none.
type links struct{ prev, next uint32 }

// list is an intrusive doubly linked list of sessions by index: a session holds its own
// links in both of the store's lists, so the lists cost no allocations.
type list struct {
	first, last uint32
	which       int // byRecency or byStart
}

func (l *list) pushLast(st *Store, i uint32) { l.insertAfter(st, l.last, i) }

// insertAfter puts i right after after, or first when after is 0.
func (l *list) insertAfter(st *Store, after, i uint32) {
	n := &st.sessions.at(i).links[l.which]
	n.prev = after
	if after == 0 {
		n.next, l.first = l.first, i
	} else {
		a := &st.sessions.at(after).links[l.which]
		n.next, a.next = a.next, i
	}
	if n.next == 0 {
		l.last = i
	} else {
		st.sessions.at(n.next).links[l.which].prev = i
	}
}

func (l *list) remove(st *Store, i uint32) {
	n := &st.sessions.at(i).links[l.which]
	if n.prev == 0 {
		l.first = n.next
	} else {
		st.sessions.at(n.prev).links[l.which].next = n.next
	}
	if n.next == 0 {
		l.last = n.prev
	} else {
		st.sessions.at(n.next).links[l.which].prev = n.prev
	}
	*n = links{}
}
