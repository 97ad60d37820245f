//! Words naming groups people are targeted for (religion, ethnicity, nationality, gender,
//! sexual orientation, disability, migration), in normalized form. The features read every one
//! of them as the same word, so no group's name raises a score by itself: what is said about
//! a group does, learned from every group at once (and from groups the data never named).

use super::frames::WordList;

const GROUPS: &[&str] = &[
    "muslims", "muslim", "moslems", "moslem", "islamic", "jews", "jew", "jewish", "christians",
    "christian", "hindus", "hindu", "sikhs", "sikh", "catholics", "catholic", "atheists",
    "buddhists", "immigrants", "immigrant", "refugees", "refugee", "migrants", "migrant",
    "foreigners", "foreigner", "blacks", "black", "whites", "white", "asians", "asian",
    "africans", "african", "arabs", "arab", "latinos", "latino", "latinas", "hispanics",
    "hispanic", "roma", "gypsies", "mexicans", "mexican", "chinese", "russians", "russian",
    "ukrainians", "ukrainian", "americans", "germans", "poles", "polish", "indians", "indian",
    "pakistanis", "pakistani", "syrians", "syrian", "palestinians", "palestinian", "israelis",
    "israeli", "iranians", "iranian", "turks", "turkish", "kurds", "kurdish", "somalis",
    "somali", "nigerians", "serbs", "albanians", "women", "woman", "girls", "females", "female",
    "men", "males", "gays", "gay", "lesbians", "lesbian", "bisexuals", "bisexual", "trans",
    "transgender", "transgenders", "transwomen", "transmen", "queers", "queer", "homosexuals",
    "homosexual", "disabled", "autistic", "deaf", "blind", "immigration", "muslime", "juden",
    "jude", "auslander", "fluchtlinge", "migranten", "turken", "frauen", "schwule", "musulmans",
    "musulman", "juifs", "juif", "arabes", "immigres", "refugies", "femmes", "noirs",
    "homosexuels", "africains",
];

/// Whether a normalized word names a group.
pub(crate) fn is_group(word: &str) -> bool {
    static SET: WordList = WordList::new(GROUPS);
    SET.contains(&word)
}
