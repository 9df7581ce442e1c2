// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package sessionkey

import (
	"context"
	"hash/fnv"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"
)

func TestAssignedIsTheClientOfTheRequest(t *testing.T) {
	withAddr := func(a net.Addr) context.Context { return client.NewContext(context.Background(), client.Info{Addr: a}) }
	res := pcommon.NewMap()
	res.PutStr("user_agent.original", "Firefox/121")
	ip := Assigned(withAddr(&net.IPAddr{IP: net.IPv4(192, 0, 2, 7)}), res, "shop")
	assert.Regexp(t, `^srv-[0-9a-f]+$`, ip)
	assert.Equal(t, ip, Assigned(withAddr(&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 51234}), res, "shop"), "the port is not the client")
	assert.NotEqual(t, ip, Assigned(withAddr(&net.IPAddr{IP: net.IPv4(192, 0, 2, 8)}), res, "shop"), "another address")
	assert.NotEqual(t, ip, Assigned(withAddr(&net.IPAddr{IP: net.IPv4(192, 0, 2, 7)}), res, "blog"), "another app")

	recorded := pcommon.NewMap()
	res.CopyTo(recorded)
	recorded.PutStr("client.address", "192.0.2.7")
	assert.Equal(t, ip, Assigned(context.Background(), recorded, "shop"), "a recorded client.address is the same client")
	assert.NotEqual(t, ip, Assigned(context.Background(), res, "shop"), "no address at all is not that client")
}

func TestFromMetadataTakesOnlyAssignedKeys(t *testing.T) {
	with := func(values ...string) context.Context {
		return client.NewContext(context.Background(), client.Info{Metadata: client.NewMetadata(map[string][]string{"rum.session.key": values})})
	}
	assert.Equal(t, "srv-12ab", FromMetadata(with("srv-12ab")))
	assert.Empty(t, FromMetadata(with("E89GPT6epD")), "an SDK's session id")
	assert.Empty(t, FromMetadata(with("srv-1", "srv-2")), "two keys name no one session")
	assert.Empty(t, FromMetadata(context.Background()))
}

// TestAssignedKeepsItsHash: saved sessions hold keys made before; the hash is hash/fnv's
// FNV-1a of the fields, each followed by a 0 byte.
func TestAssignedKeepsItsHash(t *testing.T) {
	res := pcommon.NewMap()
	res.PutStr("client.address", "192.0.2.7")
	res.PutStr("user_agent.original", "Firefox/121")
	h := fnv.New64a()
	for _, part := range []string{"shop", "192.0.2.7", "Firefox/121"} {
		_, _ = h.Write([]byte(part))
		_, _ = h.Write([]byte{0})
	}
	assert.Equal(t, "srv-"+strconv.FormatUint(h.Sum64(), 16), Assigned(context.Background(), res, "shop"))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = fnvField(fnvOffset64, "Firefox/121") }))
}

// TestHostIsTheAddressWithoutPort: the fast paths give what the text of the address less
// its port gave, which keys made before were hashed from.
func TestHostIsTheAddressWithoutPort(t *testing.T) {
	old := func(a net.Addr) string {
		s := a.String()
		if h, _, err := net.SplitHostPort(s); err == nil {
			return h
		}
		return s
	}
	for _, a := range []net.Addr{
		&net.IPAddr{IP: net.IPv4(192, 0, 2, 7)},
		&net.IPAddr{IP: net.ParseIP("2001:db8::1")},
		&net.IPAddr{IP: net.ParseIP("fe80::1"), Zone: "eth0"},
		&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 443},
		&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 443},
		&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 443, Zone: "eth0"},
		&net.UDPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 53},
	} {
		assert.Equal(t, old(a), host(a), "%#v", a)
	}
	assert.Empty(t, host(nil))
}
