// Copyright The otelcol-rum Authors
// SPDX-License-Identifier: Apache-2.0

package clientaddr // import "github.com/otelcol-rum/otelcol-rum/receiver/rumreceiver/internal/clientaddr"

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParsePrefix reads one entry of trusted_proxies: a CIDR prefix ("10.0.0.0/8",
// "2001:db8::/32") or a single address, which stands for itself alone. A prefix in the
// IPv4-mapped IPv6 form becomes the IPv4 prefix it means, since peers are compared in
// their IPv4 form.
func ParsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR prefix", s)
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", s)
		}
		if a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q has an IPv6 zone, which names a local interface, not a proxy", s)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}
