//! Differential check of the BRE/ERE translation against the regex
//! engine's own parser: whatever recon accepts as a GNU pattern must be a
//! regex the engine compiles (in recon's byte mode); nothing panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use recon_shell::regex::{Dialect, translate};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(pattern) = std::str::from_utf8(rest) else { return };
    if pattern.contains('\n') {
        return;
    }
    let dialect = if selector % 2 == 0 { Dialect::Basic } else { Dialect::Extended };
    if let Ok(t) = translate(pattern, dialect) {
        let full = format!("(?-u){}", t.regex);
        let parsed = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(&full);
        assert!(parsed.is_ok(), "{pattern:?} ({dialect:?}) -> {full:?}: {:?}", parsed.err());
    }
});
