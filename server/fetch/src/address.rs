//! Which addresses and names a fetch may reach, and the DNS resolver that enforces it.
//!
//! The check runs on the addresses a connection is actually made to: reqwest asks
//! [`SafeResolver`] for a name's addresses, and the resolver refuses the name when any
//! answer is internal, so nothing is connected between the check and the use (no
//! DNS-rebinding window). reqwest does not resolve IP literals, so the fetcher checks
//! those itself with [`check_ip`] before every request.

use std::{
    error::Error as StdError,
    fmt,
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
};

use ipnet::{Ipv4Net, Ipv6Net};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// IPv4 ranges that are never fetched, with the reason shown to the business.
const FORBIDDEN_V4: &[(Ipv4Addr, u8, &str)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8, "\"this network\""),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "private"),
    (Ipv4Addr::new(100, 64, 0, 0), 10, "carrier-grade NAT"),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback"),
    (
        Ipv4Addr::new(169, 254, 0, 0),
        16,
        "link-local (cloud metadata)",
    ),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "private"),
    (Ipv4Addr::new(192, 0, 0, 0), 24, "IETF protocol assignments"),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "documentation"),
    (Ipv4Addr::new(192, 88, 99, 0), 24, "6to4 relay"),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "private"),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "benchmarking"),
    (Ipv4Addr::new(198, 51, 100, 0), 24, "documentation"),
    (Ipv4Addr::new(203, 0, 113, 0), 24, "documentation"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast"),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "reserved or broadcast"),
];

/// IPv6 ranges inside global unicast (2000::/3) that are still never fetched; everything
/// outside 2000::/3 is refused, apart from the prefixes that embed an IPv4 address.
const FORBIDDEN_V6: &[(Ipv6Addr, u8, &str)] = &[
    (
        Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0),
        23,
        "IETF protocol assignments",
    ),
    (
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
        32,
        "documentation",
    ),
    (
        Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0),
        20,
        "documentation",
    ),
];

/// Host names that reach cloud metadata services or other internal endpoints without
/// looking like it. Addresses are checked anyway; these are refused before any lookup.
/// `localhost` is left to the address check, which refuses it on what it resolves to
/// (and so is what the tests exercise).
const FORBIDDEN_NAMES: &[&str] = &[
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "metadata.azure.com",
    "instance-data",
    "instance-data.ec2.internal",
    "kubernetes.default",
    "kubernetes.default.svc",
];

/// Name suffixes that only mean something inside a private network.
const FORBIDDEN_SUFFIXES: &[&str] = &[".internal", ".local", ".localdomain", ".cluster.local"];

/// Why `ip` must not be fetched, or `None` when it is a public address.
pub fn forbidden_ip(ip: IpAddr) -> Option<String> {
    forbidden_kind(ip).map(|why| format!("{ip} is {why}"))
}

fn forbidden_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    FORBIDDEN_V4.iter().find_map(|&(net, prefix, why)| {
        Ipv4Net::new(net, prefix)
            .is_ok_and(|net| net.contains(&ip))
            .then_some(why)
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    // Addresses that carry an IPv4 address are judged by it: IPv4-mapped (::ffff:0:0/96),
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16), which routers translate to that address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4).map(|_| "an IPv4-mapped internal address");
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let v4 = Ipv4Addr::from((u32::from(segments[6]) << 16) | u32::from(segments[7]));
        return forbidden_v4(v4).map(|_| "a NAT64 internal address");
    }
    if segments[0] == 0x2002 {
        let [a, b] = segments[1].to_be_bytes();
        let [c, d] = segments[2].to_be_bytes();
        return forbidden_v4(Ipv4Addr::new(a, b, c, d)).map(|_| "a 6to4 internal address");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if segments[0] & 0xffc0 == 0xfe80 {
        return Some("link-local");
    }
    if segments[0] & 0xfe00 == 0xfc00 {
        return Some("unique-local (private)");
    }
    if segments[0] & 0xff00 == 0xff00 {
        return Some("multicast");
    }
    // Only global unicast is public; the rest (IPv4-compatible ::/96, discard 100::/64,
    // deprecated site-local fec0::/10, ...) is reserved.
    if segments[0] & 0xe000 != 0x2000 {
        return Some("reserved");
    }
    FORBIDDEN_V6.iter().find_map(|&(net, prefix, why)| {
        Ipv6Net::new(net, prefix)
            .is_ok_and(|net| net.contains(&ip))
            .then_some(why)
    })
}

/// Why the host name `host` must not be fetched, before any DNS lookup.
pub fn forbidden_name(host: &str) -> Option<String> {
    let name = host.trim_end_matches('.').to_ascii_lowercase();
    let internal = FORBIDDEN_NAMES.contains(&name.as_str())
        || FORBIDDEN_SUFFIXES
            .iter()
            .any(|suffix| name.ends_with(suffix));
    internal.then(|| format!("{name} is an internal name"))
}

/// Checks an IP-literal target: refused when internal, unless that exact address and
/// port is in the policy's test escape hatch.
pub(crate) fn check_ip(ip: IpAddr, port: u16, allow: &[SocketAddr]) -> Result<(), String> {
    let ip = canonical(ip);
    if allow
        .iter()
        .any(|allowed| canonical(allowed.ip()) == ip && allowed.port() == port)
    {
        return Ok(());
    }
    forbidden_ip(ip).map_or(Ok(()), Err)
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is, so an allowance or a refusal
/// cannot be dodged by writing the same address the other way.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The resolver's refusal; the fetcher finds it in reqwest's error chain and reports it
/// as [`crate::FetchError::Forbidden`].
#[derive(Debug)]
pub(crate) struct Refused(pub(crate) String);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for Refused {}

/// A DNS resolver for reqwest that resolves with the system resolver (tokio's
/// `lookup_host`) and refuses any name with an internal address among its answers.
///
/// A name gets no escape hatch: even a test must use an IP literal to reach loopback.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SafeResolver;

impl Resolve for SafeResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            if let Some(why) = forbidden_name(&host) {
                return Err(Box::new(Refused(why)) as Box<dyn StdError + Send + Sync>);
            }
            // Port 0: reqwest puts in the URL's port (or the scheme's) afterwards.
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            // One internal answer refuses the whole name: a public name that also
            // answers with an internal address is an attack, not a misconfiguration.
            if let Some((ip, why)) = addrs
                .iter()
                .find_map(|addr| Some((addr.ip(), forbidden_kind(addr.ip())?)))
            {
                let why = format!("{host} resolves to {ip}, which is {why}");
                return Err(Box::new(Refused(why)) as _);
            }
            if addrs.is_empty() {
                return Err(format!("{host} has no addresses").into());
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn refused(ip: &str) -> bool {
        forbidden_ip(ip.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))).is_some()
    }

    #[test]
    fn internal_ipv4_is_refused() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.0.9",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.170",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(refused(ip), "{ip} should be refused");
        }
    }

    #[test]
    fn public_ipv4_is_allowed() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.215.14",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.169.0.1",
            "223.255.255.255",
        ] {
            assert!(!refused(ip), "{ip} should be allowed");
        }
    }

    #[test]
    fn internal_ipv6_is_refused() {
        for ip in [
            "::",
            "::1",
            "::127.0.0.1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "fe80::1",
            "febf::1",
            "fc00::1",
            "fd12:3456::1",
            "fec0::1",
            "ff02::1",
            "100::1",
            "2001:db8::1",
            "2001::1",
            "3fff::1",
        ] {
            assert!(refused(ip), "{ip} should be refused");
        }
    }

    #[test]
    fn public_ipv6_is_allowed() {
        for ip in [
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(!refused(ip), "{ip} should be allowed");
        }
    }

    #[test]
    fn internal_names_are_refused() {
        for name in [
            "metadata.google.internal",
            "metadata.google.internal.",
            "metadata",
            "printer.local",
            "db.corp.internal",
        ] {
            assert!(forbidden_name(name).is_some(), "{name} should be refused");
        }
        assert!(forbidden_name("getwagent.com").is_none());
        assert!(forbidden_name("internal.example.com").is_none());
    }

    #[test]
    fn the_escape_hatch_is_exact() {
        let allow: Vec<SocketAddr> = vec!["127.0.0.1:8080".parse().unwrap()];
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(check_ip(loopback, 8080, &allow).is_ok());
        assert!(check_ip(loopback, 8081, &allow).is_err());
        assert!(check_ip("127.0.0.2".parse().unwrap(), 8080, &allow).is_err());
        // The mapped spelling of an allowed address is the same address.
        assert!(check_ip("::ffff:127.0.0.1".parse().unwrap(), 8080, &allow).is_ok());
        assert!(check_ip("::1".parse().unwrap(), 8080, &allow).is_err());
        assert!(check_ip("8.8.8.8".parse().unwrap(), 80, &[]).is_ok());
    }
}
