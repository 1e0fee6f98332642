//! The few DER walks the PKCS#12 handling needs: an element's length, its value, the
//! elements of a sequence, and wrapping a value again. Definite lengths only.

/// The whole length (tag, length, value) of the element at the start of `bytes`.
pub(crate) fn tlv_len(bytes: &[u8]) -> Option<usize> {
    let (header, len) = header(bytes)?;
    let total = header.checked_add(len)?;
    (total <= bytes.len()).then_some(total)
}

/// The header length and the value length of the element at the start of `bytes`
/// (the value may be longer than what `bytes` holds: a file cut short).
pub(crate) fn header(bytes: &[u8]) -> Option<(usize, usize)> {
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some((2, first as usize));
    }
    let n = (first & 0x7f) as usize;
    if n == 0 || n > 4 {
        return None;
    }
    Some((2 + n, bytes.get(2..2 + n)?.iter().fold(0usize, |acc, b| (acc << 8) | *b as usize)))
}

/// The value of the element at the start of `bytes`.
pub(crate) fn value(bytes: &[u8]) -> Option<&[u8]> {
    let total = tlv_len(bytes)?;
    bytes.get(header(bytes)?.0..total)
}

/// The elements (whole TLVs) of a constructed value, in order.
pub(crate) fn elements(mut content: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let len = tlv_len(content)?;
        out.push(&content[..len]);
        content = &content[len..];
    }
    Some(out)
}

/// `value` under `tag`, with its DER length.
pub(crate) fn wrap(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_and_walk_round_trip() {
        let long = vec![7u8; 300];
        let seq = wrap(0x30, &[wrap(0x04, b"ab"), wrap(0x04, &long)].concat());
        let items = elements(value(&seq).unwrap()).unwrap();
        assert_eq!(value(items[0]), Some(&b"ab"[..]));
        assert_eq!(value(items[1]).map(<[u8]>::len), Some(300));
        assert_eq!(tlv_len(&seq[..5]), None);
    }
}
