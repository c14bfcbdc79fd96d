//! Near-duplicate article fingerprints.
//!
//! Takes an article's text (a `Document.text`: paragraphs separated by blank
//! lines or newlines) and gives a 64-bit SimHash over word 4-gram shingles
//! ([`simhash`]); two fingerprints within Hamming distance 3 are near duplicates
//! ([`near_duplicate`]).
//!
//! Words are Unicode alphanumeric runs, lower-cased, so case, punctuation, quote
//! styles and whitespace do not matter. Shingles never cross a paragraph
//! boundary. Only *body* paragraphs feed the hash — at least
//! [`MIN_BODY_WORDS`] words — so what syndication usually changes (headline,
//! byline, dateline-only lines, "© … All rights reserved" footers, photo
//! credits) does not move the fingerprint; when an article has fewer than
//! [`MIN_BODY_TOTAL`] words in such paragraphs, every paragraph is used. Each
//! shingle is hashed with a fixed function (FNV-1a 64 with a SplitMix64
//! finaliser), so fingerprints are stable across runs, platforms and releases
//! and can be stored.
//!
//! Limits: 3 bits of 64 is strict. Changing a share `x` of the body shingles
//! flips about `64 * acos(1 - x) / pi` bits on average, so a copy is reliably
//! caught when its body paragraphs are the same; a single edited word in a
//! ~300-word article stays within 3 bits only about half the time (longer
//! articles fare better), and a copy that rewrote or cut a noticeable share of
//! the body is not a near duplicate.

/// Paragraphs with fewer words than this are treated as headline, byline or
/// footer material and left out of the fingerprint.
pub const MIN_BODY_WORDS: usize = 12;

/// If the body paragraphs hold fewer words than this, all paragraphs are used.
pub const MIN_BODY_TOTAL: usize = 40;

/// Maximal Hamming distance of two near-duplicate fingerprints.
pub const NEAR_DUPLICATE_BITS: u32 = 3;

const SHINGLE: usize = 4;

/// 64-bit SimHash of `text` over word 4-gram shingles (see the module docs).
/// Text with no words gives 0.
pub fn simhash(text: &str) -> u64 {
    let paragraphs: Vec<Vec<String>> = text
        .split('\n')
        .map(words)
        .filter(|w| !w.is_empty())
        .collect();
    let body: Vec<&Vec<String>> = paragraphs
        .iter()
        .filter(|p| p.len() >= MIN_BODY_WORDS)
        .collect();
    let body_words: usize = body.iter().map(|p| p.len()).sum();
    let chosen: Vec<&Vec<String>> = if body_words >= MIN_BODY_TOTAL {
        body
    } else {
        paragraphs.iter().collect()
    };
    let mut weights = [0i64; 64];
    let mut any = false;
    for p in chosen {
        let n = if p.len() >= SHINGLE {
            p.len() - SHINGLE + 1
        } else {
            1
        };
        for i in 0..n {
            let h = shingle_hash(&p[i..(i + SHINGLE).min(p.len())]);
            any = true;
            for (bit, w) in weights.iter_mut().enumerate() {
                if h >> bit & 1 == 1 {
                    *w += 1;
                } else {
                    *w -= 1;
                }
            }
        }
    }
    if !any {
        return 0;
    }
    weights
        .iter()
        .enumerate()
        .filter(|(_, &w)| w > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// Number of differing bits of two fingerprints.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// True when two [`simhash`] fingerprints differ in at most
/// [`NEAR_DUPLICATE_BITS`] bits.
pub fn near_duplicate(a: u64, b: u64) -> bool {
    hamming(a, b) <= NEAR_DUPLICATE_BITS
}

/// Lower-cased Unicode alphanumeric runs (apostrophes inside words dropped, so
/// "don't" and "don’t" are one word).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’')
            && !cur.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            // keep the word together, drop the apostrophe
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn shingle_hash(words: &[String]) -> u64 {
    // FNV-1a 64 over the words joined by a separator byte ...
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in w.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // ... then SplitMix64's finaliser so every output bit depends on every input bit.
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Floodwaters forced thousands of residents from their homes in Riverton on Friday after the Sable River burst its banks following three days of torrential rain, officials said.\n\n\
Emergency crews used boats to reach families stranded on rooftops in the low-lying eastern districts, where water rose more than two metres overnight, according to the regional fire service.\n\n\
\"We have never seen the river rise this quickly,\" said Mayor Elena Brandt, who declared a state of emergency and asked residents in six neighbourhoods to leave immediately.\n\n\
At least four people were killed and eleven were reported missing, the regional health authority said in a statement late on Friday, adding that the toll was likely to rise.\n\n\
Schools and the central railway station were closed, and the army sent two hundred soldiers to help reinforce levees along the northern stretch of the river with sandbags.\n\n\
Forecasters warned that more rain was expected over the weekend, and that the river was not likely to peak before Sunday evening at the earliest.\n\n\
The last major flood in Riverton, in 2011, destroyed more than nine hundred homes and caused damage estimated at forty million euros.";

    fn syndicated_copy() -> String {
        // New headline, byline and dateline, a wire footer and a photo credit,
        // different quotes and paragraph breaks, some case changes.
        let body = STORY
            .replace('"', "\u{201c}")
            .replace("\n\n", "\n")
            .replace("Floodwaters forced", "FLOODWATERS forced");
        format!(
            "Thousands flee as Sable River bursts its banks\nBy Staff Reporter, Continental Wire Service\nRIVERTON, Sept 20\n{body}\n\
Photo: J. Example/CWS\n\u{a9} 2024 Continental Wire Service. All rights reserved. Republished with permission.\n"
        )
    }

    const OTHER_STORY: &str = "Heavy rain caused flooding in several villages along the upper Sable River on Tuesday, forcing dozens of residents to leave their homes, local officials said.\n\n\
The river rose more than a metre overnight near the town of Harford, where emergency crews evacuated a care home and closed two bridges to traffic.\n\n\
\"The water came into the houses within an hour,\" said one resident, who spent the night with relatives in a neighbouring village.\n\n\
No one was killed, the regional fire service said, but two people were taken to hospital with hypothermia after their car was swept off a road.\n\n\
Forecasters said the rain would ease on Wednesday, although the river was expected to stay high for several days downstream.\n\n\
Farmers in the valley warned that the flooding had destroyed much of the autumn harvest and called on the government for emergency aid.";

    #[test]
    fn syndicated_copy_is_near_duplicate() {
        let a = simhash(STORY);
        let b = simhash(&syndicated_copy());
        assert_ne!(a, 0);
        assert!(
            near_duplicate(a, b),
            "distance {} > {NEAR_DUPLICATE_BITS}",
            hamming(a, b)
        );
    }

    #[test]
    fn single_word_edits_mostly_stay_near_duplicates() {
        // One changed word replaces 4 of ~315 shingles, which flips ~3.3 of
        // the 64 bits on average (64 * angle / pi), so in a ~320-word article
        // only about half of such edits stay within 3 bits (measured: 26/45);
        // longer articles fare better. Measured over many edits, not one.
        let long = format!("{STORY}\n\n{OTHER_STORY}");
        let base = simhash(&long);
        let words: Vec<&str> = long.split(' ').collect();
        let mut near = 0;
        let mut total = 0;
        for i in (5..words.len()).step_by(7) {
            let mut edited = words.clone();
            edited[i] = "zebra";
            total += 1;
            if near_duplicate(base, simhash(&edited.join(" "))) {
                near += 1;
            }
        }
        assert!(total >= 40, "{total}");
        assert!(
            near * 2 >= total,
            "only {near}/{total} edits stayed near duplicates"
        );
        // A rewritten article is not: replace every 6th word.
        let mut rewritten = words.clone();
        for w in rewritten.iter_mut().step_by(6) {
            *w = "zebra";
        }
        assert!(!near_duplicate(base, simhash(&rewritten.join(" "))));
    }

    #[test]
    fn different_story_on_same_topic_is_not() {
        let a = simhash(STORY);
        let b = simhash(OTHER_STORY);
        assert!(
            hamming(a, b) > 3 * NEAR_DUPLICATE_BITS,
            "distance only {}",
            hamming(a, b)
        );
        assert!(!near_duplicate(a, b));
        // Nor is the other story's syndicated-looking copy.
        let c = simhash(&format!("Villages flooded\nBy Staff\n{OTHER_STORY}"));
        assert!(!near_duplicate(simhash(&syndicated_copy()), c));
    }

    #[test]
    fn stable_and_edge_cases() {
        assert_eq!(simhash(""), 0);
        assert_eq!(simhash(" \n\n ,.;"), 0);
        assert_eq!(simhash(STORY), simhash(STORY));
        // Short texts still hash (all paragraphs used) and differ from each other.
        let s1 = simhash("Bridge reopens after repairs");
        let s2 = simhash("Council approves the new budget");
        assert_ne!(s1, 0);
        assert_ne!(s1, s2);
        assert_ne!(simhash("one"), 0);
        // One shingle: the fingerprint is that shingle's hash; case and
        // punctuation do not matter.
        assert_eq!(
            simhash("the quick brown fox"),
            shingle_hash(&words("The quick, brown fox!"))
        );
        // Fixed hash function: stored fingerprints must stay valid.
        assert_eq!(simhash(STORY), 0x0292_0b66_6b55_586f);
        assert!(near_duplicate(5, 5 ^ 0b111));
        assert!(!near_duplicate(5, 5 ^ 0b1111));
    }

    #[test]
    fn words_normalise_case_and_apostrophes() {
        assert_eq!(words("Don’t STOP-now"), vec!["dont", "stop", "now"]);
        assert_eq!(words("don't"), words("Don’t"));
    }
}
