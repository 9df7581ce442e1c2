// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package store // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor/internal/store"

// A session's app, environment and browser are interned together, as one string of the
// labels table (each a uvarint length and its bytes): sessions share few combinations of
// the three, and one reference costs a session 4 bytes where three cost 12.

// sessionLabels are a session's app, environment and browser, in the labels table.
type sessionLabels struct{ app, environment, browser []byte }

func (st *Store) labelsOf(ss *session) sessionLabels {
	var out sessionLabels
	b := st.labels.bytes(ss.labels)
	if len(b) == 0 {
		return out
	}
	out.app, b = cutString(b)
	out.environment, b = cutString(b)
	out.browser, _ = cutString(b)
	return out
}

// updateLabels takes app, environment and browser as the session's, those that are not
// empty.
func (st *Store) updateLabels(ss *session, app, environment, browser string) {
	// Every record tells the labels, nearly always those the session has: this is checked
	// on the interned bytes, without taking them apart.
	b := st.labels.bytes(ss.labels)
	if len(b) > 0 {
		var same bool
		if b, same = keeps(b, app); same {
			if b, same = keeps(b, environment); same {
				if _, same = keeps(b, browser); same {
					return
				}
			}
		}
	} else if app == "" && environment == "" && browser == "" {
		return
	}
	cur := st.labelsOf(ss)
	if app == "" {
		app = string(cur.app)
	}
	if environment == "" {
		environment = string(cur.environment)
	}
	if browser == "" {
		browser = string(cur.browser)
	}
	st.setLabels(ss, app, environment, browser)
}

// keeps says whether value leaves the label at the start of b as it is, and returns the
// labels after it.
func keeps(b []byte, value string) (rest []byte, same bool) {
	cur, rest := cutString(b)
	return rest, value == "" || string(cur) == value
}

// setLabels makes the session's labels app, environment and browser (none if all are
// empty), moving the reference.
func (st *Store) setLabels(ss *session, app, environment, browser string) {
	old := ss.labels
	ss.labels = 0
	if app != "" || environment != "" || browser != "" {
		b := appendString(st.labelScratch[:0], app)
		b = appendString(b, environment)
		b = appendString(b, browser)
		st.labelScratch = b
		ss.labels = st.labels.ref(string(b))
	}
	st.labels.release(old)
}
