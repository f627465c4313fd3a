//! Repair of UTF-8 that was mis-decoded as Windows-1252 ("âœ…" for "✅").
//!
//! Only for display: the Markdown round trip keeps the original bytes. A run of non-ASCII
//! characters is turned back into the bytes Windows-1252 gives them; every part of those bytes
//! that is valid UTF-8 replaces its characters, the rest stays as written. Genuine Latin text
//! ("café") is left alone because its bytes are not valid multi-byte UTF-8.

/// Windows-1252's characters for bytes 0x80–0x9F (`None`: the byte is undefined there).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

fn to_cp1252(c: char) -> Option<u8> {
    let u = c as u32;
    if (0xA0..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    // Undefined bytes are often carried through as the C1 control of the same value.
    if (0x80..=0x9F).contains(&u) {
        return Some(u as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&x| x == Some(c))
        .map(|i| 0x80 + i as u8)
}

/// The text as its author meant it. Returns the input unchanged when nothing is repairable.
pub fn repair(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if to_cp1252(c).is_some() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn flush(run: &mut Vec<char>, out: &mut String) {
    if run.is_empty() {
        return;
    }
    let bytes: Vec<u8> = run.iter().map(|&c| to_cp1252(c).expect("in run")).collect();
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        out.push_str(valid);
        at += valid.len();
        let bad = chunk.invalid().len();
        // EF B8 is a variation selector (U+FE0F after an emoji) whose last byte, 0x8F, has no
        // Windows-1252 character and was lost; the selector is invisible, so drop its remains.
        // Other bytes map 1:1 to the run's characters, so they give back their characters.
        if chunk.invalid() != [0xEF, 0xB8] {
            out.extend(&run[at..at + bad]);
        }
        at += bad;
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::repair;

    #[test]
    fn repairs_emoji_mis_decoded_as_windows_1252() {
        assert_eq!(repair("âœ… **Pre-Deployment**"), "✅ **Pre-Deployment**");
        assert_eq!(repair("ðŸŽ¯ MAIE"), "🎯 MAIE");
        assert_eq!(repair("Coverage â‰¥90%"), "Coverage ≥90%");
        assert_eq!(repair("Documentation ðŸ“š"), "Documentation 📚");
    }

    #[test]
    fn leaves_genuine_text_alone() {
        assert_eq!(repair("café crème"), "café crème");
        assert_eq!(repair("✅ already fine"), "✅ already fine");
        assert_eq!(repair("naïve"), "naïve");
    }

    #[test]
    fn keeps_what_cannot_be_repaired() {
        // 0x8F was lost from this emoji (🏗️); which byte is missing is ambiguous, so it stays
        // as written, while the invisible variation selector's remains go.
        assert_eq!(repair("Infrastructure ðŸ—ï¸"), "Infrastructure ðŸ—");
        assert_eq!(repair("Configuration âš™ï¸"), "Configuration ⚙");
    }
}
