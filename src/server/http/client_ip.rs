//! The client's IP address: the socket's peer, unless that peer is a configured trusted
//! proxy, in which case the nearest untrusted address in `X-Forwarded-For`.

use axum::extract::ConnectInfo;
use http::{request::Parts, HeaderMap};
use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, CIDRs).
#[derive(Debug, Clone, Default)]
pub(crate) struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub(crate) fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    pub(crate) fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` carrying `headers`.
    pub(crate) fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        // Walk from the nearest hop outwards: every hop up to the first untrusted one was
        // appended by a proxy we trust; anything further left is the client's own claim.
        let mut client = peer;
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(ip) if self.trusts(ip) => client = ip,
                Some(ip) => return ip,
                None => return client,
            }
        }
        client
    }

    /// Whether the request came over HTTPS, as a trusted proxy says (`X-Forwarded-Proto`).
    pub(crate) fn forwarded_https(&self, peer: IpAddr, headers: &HeaderMap) -> bool {
        self.trusts(peer)
            && headers
                .get("x-forwarded-proto")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`203.0.113.7:4711`,
/// `[2001:db8::1]:4711`) or in brackets (`[2001:db8::1]`); IPv4-mapped IPv6 as IPv4.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })
        .map(|ip: IpAddr| ip.to_canonical())
}

/// The socket peer of a request (unspecified if the server was not set up to record it).
pub(crate) fn peer_of(parts: &Parts) -> IpAddr {
    peer_in(&parts.extensions)
}

/// [`peer_of`], for a whole request.
pub(crate) fn peer_of_request<B>(request: &http::Request<B>) -> IpAddr {
    peer_in(request.extensions())
}

fn peer_in(extensions: &http::Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_canonical())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &str) -> TrustedProxies {
        TrustedProxies::new(
            list.split(',')
                .map(|net| net.trim().parse().unwrap())
                .collect(),
        )
    }

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().unwrap());
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn untrusted_peers_are_the_client_whatever_they_claim() {
        let proxies = proxies("10.0.0.0/8");
        assert_eq!(
            proxies.client_ip(ip("203.0.113.9"), &headers("1.2.3.4")),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn trusted_proxies_name_the_nearest_untrusted_hop() {
        let proxies = proxies("10.0.0.0/8, 192.168.1.1/32");
        let xff = headers("1.2.3.4, 198.51.100.7, 10.1.2.3");
        assert_eq!(
            proxies.client_ip(ip("192.168.1.1"), &xff),
            ip("198.51.100.7")
        );
        assert_eq!(
            proxies.client_ip(ip("10.9.9.9"), &HeaderMap::new()),
            ip("10.9.9.9")
        );
    }

    #[test]
    fn hops_with_ports_brackets_or_mapped_addresses_parse() {
        let proxies = proxies("10.0.0.0/8");
        for (hop, client) in [
            ("203.0.113.7:4711", "203.0.113.7"),
            ("[2001:db8::1]:4711", "2001:db8::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("::ffff:198.51.100.7", "198.51.100.7"),
        ] {
            assert_eq!(
                proxies.client_ip(ip("10.0.0.1"), &headers(hop)),
                ip(client),
                "{hop}"
            );
        }
        assert_eq!(
            proxies.client_ip(ip("::ffff:10.0.0.1"), &headers("198.51.100.7")),
            ip("198.51.100.7"),
            "a mapped peer is the IPv4 proxy"
        );
    }

    #[test]
    fn a_forged_hop_left_of_garbage_is_not_believed() {
        let proxies = proxies("10.0.0.0/8");
        let xff = headers("203.0.113.77, junk, 198.51.100.7");
        assert_eq!(proxies.client_ip(ip("10.0.0.1"), &xff), ip("198.51.100.7"));
        let only_junk = headers("junk");
        assert_eq!(
            proxies.client_ip(ip("10.0.0.1"), &only_junk),
            ip("10.0.0.1")
        );
    }
}
