// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/sessionprocessor"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// A partition number stands for the same partition of each data topic (traces, logs,
// metrics), and Kafka numbers the records of each topic's partition on its own: one
// watermark per partition number cannot say which records of which topic were processed.
// The processor keeps one per topic and saves them, with the partition's sessions, as
// one more checkpoint of the partition under offsetsKey, last of every Write: it is
// written and read back exactly as the sessions are, so it is exactly as current as they
// are. The Store's own watermark gets the value for a single topic (see scalarWatermark).

// offsetsKey is the checkpoint key of a partition's watermarks by topic. A session key
// is a session id; this one ends in a NUL byte, which no SDK's id has, and does not start
// with one, as the store's marker keys do.
const offsetsKey = "rum.handover.offsets\x00"

const (
	offsetsVersion = 1
	// maxOffsetsTopics and maxTopicLength bound what a damaged value can claim.
	maxOffsetsTopics = 1024
	maxTopicLength   = 249 // Kafka's limit on a topic name
)

// anyTopic is the watermark that applies to every topic: the Store's single watermark,
// taken when a partition's checkpoints carry no watermarks by topic.
const anyTopic = ""

// encodeOffsets writes watermarks by topic: a version byte, the count, then each topic
// (in order, so that equal maps give equal values) as a uvarint length, its bytes and
// the watermark as a varint.
func encodeOffsets(next map[string]int64) []byte {
	b := binary.AppendUvarint([]byte{offsetsVersion}, uint64(len(next)))
	for _, topic := range slices.Sorted(maps.Keys(next)) {
		b = binary.AppendUvarint(b, uint64(len(topic)))
		b = append(b, topic...)
		b = binary.AppendVarint(b, next[topic])
	}
	return b
}

var errOffsetsTruncated = errors.New("truncated partition watermarks")

// decodeOffsets reads what encodeOffsets wrote.
func decodeOffsets(b []byte) (map[string]int64, error) {
	if len(b) == 0 || b[0] != offsetsVersion {
		return nil, errors.New("partition watermarks of an unknown version")
	}
	b = b[1:]
	n, size := binary.Uvarint(b)
	if size <= 0 || n > maxOffsetsTopics {
		return nil, errors.New("partition watermarks: broken count")
	}
	b = b[size:]
	out := make(map[string]int64, n)
	for range n {
		l, size := binary.Uvarint(b)
		if size <= 0 {
			return nil, errOffsetsTruncated
		}
		b = b[size:]
		// Sliced with the uint64 itself: no conversion can wrap.
		if l > maxTopicLength || l > uint64(len(b)) {
			return nil, errOffsetsTruncated
		}
		topic := string(b[:l])
		b = b[l:]
		next, size := binary.Varint(b)
		if size <= 0 {
			return nil, errOffsetsTruncated
		}
		b = b[size:]
		if _, dup := out[topic]; dup {
			return nil, fmt.Errorf("partition watermarks: topic %q twice", topic)
		}
		out[topic] = next
	}
	if len(b) > 0 {
		return nil, errors.New("partition watermarks: trailing bytes")
	}
	return out, nil
}

// scalarWatermark is what the Store's single watermark says: the watermark of the only
// topic when there is one (exact for a deployment with one data topic), otherwise the
// highest, which only names how far the partition got: the processor reads the
// watermarks by topic back.
func scalarWatermark(next map[string]int64) int64 {
	w := int64(-1)
	for _, n := range next {
		w = max(w, n)
	}
	return w
}
