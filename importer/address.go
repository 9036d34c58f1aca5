package importer

import "net/netip"

// Ranges that are not the public internet, besides those netip classifies
// itself (loopback, RFC 1918 and fc00::/7 private, link-local, multicast,
// unspecified).
var internalPrefixes = []struct {
	prefix netip.Prefix
	name   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "a “this network” address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT (shared) address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a network-benchmark address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("255.255.255.255/32"), "the broadcast address"},
	{netip.MustParsePrefix("100::/64"), "a discard-only address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
}

// Prefixes of IPv6 addresses that carry an IPv4 address inside: the IPv4
// address is checked too, so 64:ff9b::10.0.0.1 is as internal as 10.0.0.1.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")
var sixToFour = netip.MustParsePrefix("2002::/16")

// IsPublicAddress reports whether addr is an ordinary public internet address,
// the only kind the importer fetches from by default.
func IsPublicAddress(addr netip.Addr) bool {
	return describeRange(addr) == ""
}

// describeRange names the internal range addr belongs to, or "" when public.
func describeRange(addr netip.Addr) string {
	addr = addr.Unmap()
	switch {
	case !addr.IsValid():
		return "an invalid address"
	case addr.IsLoopback():
		return "a loopback address (this server itself)"
	case addr.IsPrivate():
		return "a private network address"
	case addr.IsLinkLocalUnicast():
		return "a link-local address"
	case addr.IsUnspecified():
		return "the unspecified address"
	case addr.IsMulticast(), addr.IsLinkLocalMulticast(), addr.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, p := range internalPrefixes {
		if p.prefix.Contains(addr) {
			return p.name
		}
	}
	if addr.Is6() && nat64.Contains(addr) {
		b := addr.As16()
		if inner := describeRange(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})); inner != "" {
			return inner + " (inside a NAT64 address)"
		}
	}
	if addr.Is6() && sixToFour.Contains(addr) {
		b := addr.As16()
		if inner := describeRange(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})); inner != "" {
			return inner + " (inside a 6to4 address)"
		}
	}
	return ""
}
