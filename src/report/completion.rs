//! The bash completion clap_complete writes, mended and filled in: its case labels for a
//! hyphenated binary name (clap-rs/clap#6421: `altinn__subcmd__doctor…` where the lookup
//! builds `altinn__doctor…`), and the values of the flags that take one of a list, the
//! check IDs, and the scenario names.

/// The indentation clap_complete gives a flag's value branch.
const BRANCH: &str = "\n                    COMPREPLY=($(compgen -f \"${cur}\"))";

/// The script, mended, with the word lists: `(flag, words)`, and the words `explain`
/// takes.
pub(crate) fn bash(script: &str, lists: &[(&str, String)], explain: &str) -> String {
    let mut out = script.replace("altinn__subcmd__doctor", "altinn__doctor");
    for (flag, words) in lists {
        let from = format!("                {flag}){BRANCH}");
        let to = format!(
            "                {flag})\n                    COMPREPLY=($(compgen -W \"{words}\" -- \"${{cur}}\"))"
        );
        out = out.replace(&from, &to);
    }
    // `explain`'s argument: a check ID (or exit-codes) where clap offers only flags.
    let head = "        altinn__doctor__subcmd__explain)\n            opts=\"";
    if let Some(at) = out.find(head) {
        let start = at + head.len();
        out.insert_str(start, &format!("{explain} "));
    }
    out
}
