//! Who is visiting: bots and prefetches are not counted, the client's IP is
//! taken from `X-Forwarded-For` only behind trusted proxies, and a visitor is
//! a keyed hash of (IP, User-Agent, the day's secret salt), never a raw IP.

use std::hash::Hasher;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use axum::http::header::USER_AGENT;
use siphasher::sip::SipHasher13;

/// A network in CIDR notation (`10.0.0.0/8`, `::1/128`), or a single address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s.trim(), None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?} has an invalid prefix length"))?,
        };
        Ok(Self { addr, prefix })
    }
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        fn masked(bits: u128, prefix: u8, width: u8) -> u128 {
            if prefix == 0 {
                0
            } else {
                bits >> (width - prefix)
            }
        }
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32)
                    == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), self.prefix, 128)
                    == masked(u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

/// Decides which requests count and who made them.
pub struct VisitorPolicy {
    bots: isbot::Bots,
    trusted_proxies: Vec<IpNet>,
}

impl VisitorPolicy {
    pub fn new(trusted_proxies: Vec<IpNet>) -> Self {
        Self {
            bots: isbot::Bots::default(),
            trusted_proxies,
        }
    }

    /// Whether a request may count: a person's browser, not a bot, a crawler,
    /// a script without a User-Agent, or a link prefetch.
    pub fn is_countable(&self, headers: &HeaderMap) -> bool {
        let user_agent = user_agent(headers);
        if user_agent.trim().is_empty()
            || self.bots.is_bot(user_agent)
            || is_link_preview(user_agent)
        {
            return false;
        }
        let prefetch = ["sec-purpose", "purpose", "x-purpose", "x-moz"]
            .iter()
            .any(|name| {
                headers.get_all(*name).iter().any(|value| {
                    value
                        .to_str()
                        .map(|v| {
                            let v = v.to_ascii_lowercase();
                            v.contains("prefetch")
                                || v.contains("prerender")
                                || v.contains("preview")
                        })
                        .unwrap_or(false)
                })
            });
        !prefetch
    }

    /// The client's address: the peer, or, when the peer is a trusted proxy,
    /// the nearest address in `X-Forwarded-For` that is not a trusted proxy.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let mut ip = peer?;
        if !self.is_trusted(ip) {
            return Some(ip);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|part| part.trim().parse().ok())
            .collect();
        for hop in forwarded.into_iter().rev() {
            ip = hop;
            if !self.is_trusted(hop) {
                break;
            }
        }
        Some(ip)
    }

    /// Whether `ip` is one of `CCHC_TRUSTED_PROXIES`.
    pub fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(ip))
    }
}

/// Whether `user_agent` is a messenger's or social network's link-preview
/// fetcher (WhatsApp and Signal, Telegram, Facebook, Zalo, Slack, Discord,
/// Skype, LinkedIn, X, Viber, Mastodon) rather than a person's browser. The
/// bot list misses several of them (WhatsApp's newer versions, Signal's
/// bare `WhatsApp/2`). The apps' in-app browsers name the app too but carry a
/// browser engine and a platform, and count.
pub fn is_link_preview(user_agent: &str) -> bool {
    const FETCHERS: [&str; 16] = [
        "telegrambot",
        "facebookexternalhit",
        "facebookcatalog",
        "facebot",
        "meta-externalagent",
        "meta-externalfetcher",
        "slackbot",
        "slack-imgproxy",
        "discordbot",
        "skypeuripreview",
        "linkedinbot",
        "twitterbot",
        "zalopreview",
        "zalo-preview",
        "viber/",
        "mastodon/",
    ];
    let ua = user_agent.to_ascii_lowercase();
    if ua.starts_with("whatsapp") || FETCHERS.iter().any(|name| ua.contains(name)) {
        return true;
    }
    // Zalo's fetcher gives its name alone; its browser adds an engine.
    ua.contains("zalo") && !ua.contains("applewebkit") && !ua.contains("gecko")
}

pub fn user_agent(headers: &HeaderMap) -> &str {
    headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The visitor's key for one day. Without the day's salt (deleted after two
/// days) the key cannot be linked back to an IP address.
pub fn visitor_key(salt: &[u8; 16], ip: Option<IpAddr>, user_agent: &str) -> i64 {
    let mut hasher = SipHasher13::new_with_key(salt);
    match ip {
        Some(IpAddr::V4(v4)) => hasher.write(&v4.octets()),
        Some(IpAddr::V6(v6)) => hasher.write(&v6.octets()),
        None => hasher.write(b"unknown"),
    }
    hasher.write_u8(0xff);
    hasher.write(user_agent.as_bytes());
    hasher.finish() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn people_count_and_bots_do_not() {
        let policy = VisitorPolicy::new(vec![]);
        assert!(policy.is_countable(&headers(&[("user-agent", FIREFOX)])));
        for bot in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
            "facebookexternalhit/1.1",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
            "curl/8.5.0",
            "python-requests/2.31.0",
            "",
        ] {
            assert!(
                !policy.is_countable(&headers(&[("user-agent", bot)])),
                "{bot}"
            );
        }
        assert!(!policy.is_countable(&headers(&[])));
    }

    /// The non-comment lines of a fixture file.
    fn fixture(text: &'static str) -> impl Iterator<Item = &'static str> {
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
    }

    /// Asserts that each agent of a fixture file counts (or not); returns how many there were.
    fn check_fixture(text: &'static str, counts: bool) -> usize {
        let policy = VisitorPolicy::new(vec![]);
        let mut seen = 0;
        for agent in fixture(text) {
            seen += 1;
            assert_eq!(
                policy.is_countable(&headers(&[("user-agent", agent)])),
                counts,
                "{agent}"
            );
        }
        seen
    }

    #[test]
    fn link_previews_do_not_count_but_in_app_browsers_do() {
        let previews = include_str!("../../tests/fixtures/link-preview-user-agents.txt");
        assert!(check_fixture(previews, false) >= 20);
        let browsers = include_str!("../../tests/fixtures/in-app-browser-user-agents.txt");
        assert!(check_fixture(browsers, true) >= 8);
    }

    #[test]
    fn prefetches_do_not_count() {
        let policy = VisitorPolicy::new(vec![]);
        for (name, value) in [
            ("sec-purpose", "prefetch"),
            ("sec-purpose", "prefetch;prerender"),
            ("purpose", "prefetch"),
            ("x-moz", "prefetch"),
        ] {
            assert!(!policy.is_countable(&headers(&[("user-agent", FIREFOX), (name, value)])));
        }
    }

    #[test]
    fn forwarded_for_is_honoured_only_from_trusted_proxies() {
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.7")]);
        let untrusting = VisitorPolicy::new(vec![]);
        assert_eq!(untrusting.client_ip(Some(proxy), &spoofed), Some(proxy));
        let trusting = VisitorPolicy::new(vec!["10.0.0.0/8".parse().unwrap()]);
        // The rightmost untrusted hop is the client; what it claims before that is not trusted.
        assert_eq!(trusting.client_ip(Some(proxy), &spoofed), Some(client));
        assert_eq!(trusting.client_ip(Some(client), &spoofed), Some(client));
        let chain = headers(&[("x-forwarded-for", "203.0.113.7, 10.0.0.9")]);
        assert_eq!(trusting.client_ip(Some(proxy), &chain), Some(client));
    }

    #[test]
    fn parses_networks() {
        let net: IpNet = "192.168.1.0/24".parse().unwrap();
        assert!(net.contains("192.168.1.200".parse().unwrap()));
        assert!(!net.contains("192.168.2.1".parse().unwrap()));
        let host: IpNet = "::1".parse().unwrap();
        assert!(host.contains("::1".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("nonsense".parse::<IpNet>().is_err());
        let all: IpNet = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn visitor_keys_depend_on_ip_agent_and_salt() {
        let ip = Some("203.0.113.7".parse().unwrap());
        let a = visitor_key(&[1; 16], ip, FIREFOX);
        assert_eq!(a, visitor_key(&[1; 16], ip, FIREFOX));
        assert_ne!(a, visitor_key(&[2; 16], ip, FIREFOX));
        assert_ne!(a, visitor_key(&[1; 16], ip, "Other/1.0"));
        assert_ne!(
            a,
            visitor_key(&[1; 16], Some("203.0.113.8".parse().unwrap()), FIREFOX)
        );
    }
}
