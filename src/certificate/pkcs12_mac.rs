//! The PKCS#12 integrity check (RFC 7292 appendix B) for a password with characters
//! outside Unicode's Basic Multilingual Plane (an emoji). OpenSSL writes such a password
//! as UTF-16 with surrogate pairs; the PKCS#12 reader refuses it as a BMPString, so the
//! doctor checks the MAC itself and then opens the contents without it.

use aws_lc_rs::{digest, hmac};

use super::der;

/// More iterations than any real file uses: refused rather than computed.
const MAX_ITERATIONS: u64 = 1_000_000;

/// True for a password the PKCS#12 reader cannot encode itself.
pub(crate) fn beyond_bmp(password: &str) -> bool {
    password.chars().any(|c| c as u32 > 0xFFFF)
}

/// The MAC of a PFX checked with `password` encoded as OpenSSL does: `Some(true)` it
/// matches, `Some(false)` it does not, `None` the file has no MAC this code reads.
pub(crate) fn verify(pfx: &[u8], password: &str) -> Option<bool> {
    let top = der::elements(der::value(pfx)?)?;
    let [_, auth_safe, mac_data] = top.as_slice() else { return None };
    let data = der::value(der::elements(der::value(auth_safe)?)?.get(1)?)?;
    let data = der::value(data)?;
    let mac = der::elements(der::value(mac_data)?)?;
    let digest_info = der::elements(der::value(mac.first()?)?)?;
    let oid = *der::elements(der::value(digest_info.first()?)?)?.first()?;
    let expected = der::value(digest_info.get(1)?)?;
    let salt = der::value(mac.get(1)?)?;
    let iterations = match mac.get(2) {
        Some(i) => der::value(i)?.iter().fold(0u64, |a, b| a.saturating_mul(256).saturating_add(*b as u64)),
        None => 1,
    };
    if iterations == 0 || iterations > MAX_ITERATIONS {
        return None;
    }
    let (hash, mac_alg, block) = algorithm(oid)?;
    let key = kdf(hash, block, &utf16_password(password), salt, iterations, hash.output_len());
    Some(hmac::verify(&hmac::Key::new(mac_alg, &key), data, expected).is_ok())
}

fn algorithm(oid: &[u8]) -> Option<(&'static digest::Algorithm, hmac::Algorithm, usize)> {
    const SHA1: &[u8] = &[0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a];
    const SHA2: &[u8] = &[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
    if oid == SHA1 {
        return Some((&digest::SHA1_FOR_LEGACY_USE_ONLY, hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, 64));
    }
    match oid.strip_prefix(SHA2)? {
        [0x01] => Some((&digest::SHA256, hmac::HMAC_SHA256, 64)),
        [0x02] => Some((&digest::SHA384, hmac::HMAC_SHA384, 128)),
        [0x03] => Some((&digest::SHA512, hmac::HMAC_SHA512, 128)),
        _ => None,
    }
}

/// UTF-16BE with surrogate pairs and a closing NUL, as OpenSSL's `OPENSSL_utf82uni`.
fn utf16_password(password: &str) -> Vec<u8> {
    let mut out: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    out.extend([0, 0]);
    out
}

/// RFC 7292 B.2 with ID 3 (MAC key).
fn kdf(hash: &'static digest::Algorithm, v: usize, password: &[u8], salt: &[u8], rounds: u64, n: usize) -> Vec<u8> {
    let stretch = |s: &[u8]| -> Vec<u8> {
        if s.is_empty() {
            return Vec::new();
        }
        let len = v * s.len().div_ceil(v);
        s.iter().cycle().take(len).copied().collect()
    };
    let d = vec![3u8; v];
    let mut i = [stretch(salt), stretch(password)].concat();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut a = digest::digest(hash, &[d.as_slice(), &i].concat()).as_ref().to_vec();
        for _ in 1..rounds {
            a = digest::digest(hash, &a).as_ref().to_vec();
        }
        let b: Vec<u8> = a.iter().cycle().take(v).copied().collect();
        for block in i.chunks_mut(v) {
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().rev().zip(b.iter().rev()) {
                let sum = *x as u16 + *y as u16 + carry;
                *x = sum as u8;
                carry = sum >> 8;
            }
        }
        out.extend_from_slice(&a);
    }
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogate_pairs_as_openssl_writes_them() {
        assert_eq!(utf16_password("a😀"), vec![0, 0x61, 0xd8, 0x3d, 0xde, 0x00, 0, 0]);
        assert!(beyond_bmp("pass😀") && !beyond_bmp("blåbær"));
    }
}
