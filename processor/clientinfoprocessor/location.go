// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientinfoprocessor // import "github.com/otelcol-rum/otelcol-rum/processor/clientinfoprocessor"

import (
	"context"
	"net"
	"net/netip"

	"go.opentelemetry.io/collector/client"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/otelcol-rum/otelcol-rum/internal/pattrs"
	"github.com/otelcol-rum/otelcol-rum/internal/rumconv"
)

// enrichLocation writes where the client's address is, then removes the address from the
// resource unless record_client_address is on. The address is the resource's
// client.address (the receiver's, when it records it), else the request's peer from the
// context, which the rum receiver sets to the real client behind trusted proxies. Like
// the user agent's, an attribute the data already has is kept. Without a database
// nothing is looked up and nothing removed.
func (p *clientInfoProcessor) enrichLocation(ctx context.Context, res pcommon.Map, info client.Info) bool {
	if p.geo == nil {
		return false
	}
	recorded := pattrs.Str(res, rumconv.AttrClientAddress)
	if !p.cfg.RecordClientAddress {
		res.Remove(rumconv.AttrClientAddress)
	}
	var addr netip.Addr
	var ok bool
	if recorded != "" {
		addr, ok = parseAddr(recorded)
	} else if info.Addr != nil {
		addr, ok = addrOf(info.Addr)
	} else {
		return false // nothing to look up: not a miss
	}
	if !ok {
		p.telemetry.lookedUp(ctx, lookupInvalidAddress)
		return false
	}
	loc, found := p.geo.Lookup(addr)
	if !found {
		p.telemetry.lookedUp(ctx, lookupNotFound)
		return false
	}
	p.telemetry.lookedUp(ctx, lookupFound)
	wrote := putUnset(res,
		attr{rumconv.AttrGeoContinentCode, loc.ContinentCode},
		attr{rumconv.AttrGeoCountryISOCode, loc.CountryISOCode},
		attr{rumconv.AttrGeoRegionISOCode, loc.RegionISOCode},
		attr{rumconv.AttrGeoLocalityName, loc.Locality},
		attr{rumconv.AttrRUMClientASOrg, loc.ASOrganization},
	)
	if _, set := res.Get(rumconv.AttrRUMClientASNumber); !set && loc.ASNumber != 0 {
		res.PutInt(rumconv.AttrRUMClientASNumber, int64(loc.ASNumber))
		wrote = true
	}
	return wrote
}

// addrOf is the IP address of a peer as the receivers put it into the context: a TCP
// or UDP address from the listener, or an IP address the rum receiver resolved behind
// trusted proxies; any other kind is read from its text.
func addrOf(a net.Addr) (netip.Addr, bool) {
	var ip net.IP
	switch a := a.(type) {
	case *net.TCPAddr:
		ip = a.IP
	case *net.UDPAddr:
		ip = a.IP
	case *net.IPAddr:
		ip = a.IP
	default:
		return parseAddr(a.String())
	}
	addr, ok := netip.AddrFromSlice(ip)
	return addr.Unmap(), ok
}

// parseAddr reads an address written with or without a port ("203.0.113.7",
// "[2001:db8::1]:443", "fe80::1%eth0").
func parseAddr(s string) (netip.Addr, bool) {
	if addr, err := netip.ParseAddr(s); err == nil {
		return addr.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}
