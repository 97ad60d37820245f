//! The words the frames look for, in normalized form (lower case, accents folded, apostrophes
//! dropped: "don't" is `dont`). English first, then German and French where the frame exists
//! there too. Written by us.

use super::wordlist::WordList;

/// Words that negate what follows them in the clause.
pub(super) static NEGATIONS: WordList = WordList::new(&[
    "not", "no", "never", "nobody", "noone", "none", "neither", "nor", "nothing", "cannot",
    "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt", "wont",
    "wouldnt", "shouldnt", "mustnt", "aint", "hardly", "nicht", "kein", "keine",
    "keiner", "nie", "niemals", "niemand", "pas", "jamais", "personne", "aucun", "aucune",
]);

/// Words after which a negation does not reach ("not only", "no wonder").
pub(super) static NOT_NEGATED: WordList = WordList::new(&["only", "just", "wonder", "doubt", "longer", "matter"
]);

/// Words that end a negation's reach within a sentence.
pub(super) static CLAUSE_BREAKS: WordList = WordList::new(&[
    "but", "yet", "however", "although", "though", "because", "since", "while", "whereas",
    "instead", "aber", "sondern", "doch", "mais", "pourtant",
]);

/// Saying, claiming, calling: what someone else says is reported, not said by the author.
pub(super) static SPEECH: WordList = WordList::new(&[
    "say", "says", "said", "saying", "call", "calls", "called", "calling", "claim", "claims",
    "claimed", "claiming", "write", "writes", "wrote", "writing", "written", "post", "posts",
    "posted", "posting", "tweet", "tweets", "tweeted", "suggest", "suggests", "suggested",
    "suggesting", "imply", "implies", "implying", "describe", "describes", "described",
    "describing", "refer", "referring", "label", "labels", "labelling", "labeling", "insist",
    "insisting", "argue", "argues", "arguing", "repeat", "repeating", "spread", "spreading",
    "tell", "telling", "told", "shout", "shouting", "chant", "chanting", "accuse", "accusing",
    "comment", "comments", "statement", "statements", "remark", "remarks", "words", "rhetoric",
    "language", "slogan", "slogans", "sagen", "sagt", "gesagt", "nennen", "behaupten",
    "behauptet", "dire", "dit", "disent", "traiter", "pretendre",
]);

/// Judgements of what was said: the author condemns it.
pub(super) static CONDEMNATION: WordList = WordList::new(&[
    "wrong", "unacceptable", "disgusting", "hateful", "racist", "racism", "bigoted", "bigotry",
    "bigot", "bigots", "sexist", "homophobic", "transphobic", "xenophobic", "islamophobic",
    "antisemitic", "offensive", "shameful", "shame", "appalling", "vile", "dangerous", "harmful",
    "hurtful", "false", "untrue", "nonsense", "lies", "lie", "lying", "myth", "ashamed",
    "report", "reported", "reporting", "banned", "stop", "quit", "condemn", "condemned", "condemns", "tired",
    "sick", "enough", "dehumanizing", "dehumanising", "hatred", "propaganda", "trope",
    "conspiracy", "disgrace", "disgraceful", "outrageous", "inexcusable", "unforgivable",
    "falsch", "rassistisch", "widerlich", "inakzeptabel", "luge", "hetze", "faux", "raciste",
    "inacceptable", "honteux", "mensonge",
]);

/// Words of agreement that make a quotation the author's own ("so true").
pub(super) static ENDORSEMENT: WordList = WordList::new(&[
    "true", "agree", "agreed", "exactly", "correct", "facts", "fact", "amen", "based",
    "indeed", "absolutely", "right", "yes", "yep", "truth",
]);

/// Words that make what follows a wish, a plan, an order or a duty, not a report.
pub(super) static MODALS: WordList = WordList::new(&[
    "should", "must", "shall", "will", "ll", "ill", "youll", "theyll", "gonna", "wanna", "would", "need", "needs",
    "ought", "deserve", "deserves", "have", "has", "lets", "let", "time", "going", "want",
    "wants", "love", "hope", "gotta", "id", "sollte", "sollten", "muss", "mussen", "werden",
    "doit", "doivent", "faut",
]);

/// Verbs of violence (base and -ing forms; the participles are in [`VIOLENT_DONE`]).
pub(super) static VIOLENT: WordList = WordList::new(&[
    "kill", "shoot", "hang", "hunt", "lynch", "murder", "slaughter", "exterminate", "execute",
    "behead", "bomb", "nuke", "gas", "burn", "stab", "beat", "rape", "torture", "strangle",
    "drown", "hurt", "harm", "attack", "massacre", "butcher", "eradicate", "annihilate",
    "destroy", "eliminate", "wipe", "erase", "genocide", "punch", "smash", "bash", "cleanse",
    "die", "rot", "killing", "shooting", "hanging", "bombing", "burning", "gassing",
    "toten", "umbringen", "erschiessen", "aufhangen", "vergasen", "tuer", "pendre", "bruler",
    "crever", "abattre",
]);

/// Participles of violence, for "should be shot".
pub(super) static VIOLENT_DONE: WordList = WordList::new(&[
    "killed", "shot", "hanged", "hung", "lynched", "murdered", "slaughtered", "exterminated",
    "executed", "beheaded", "bombed", "nuked", "gassed", "burned", "burnt", "stabbed",
    "beaten", "raped", "tortured", "strangled", "drowned", "hurt", "harmed", "attacked",
    "massacred", "butchered", "eradicated", "annihilated", "destroyed", "eliminated",
    "wiped", "erased", "punished", "deported", "removed", "culled", "neutered", "sterilized",
    "getotet", "erschossen", "aufgehangt", "vergast", "tues", "pendus", "brules", "abattus",
]);

/// Fixed phrases that threaten whatever follows or precedes them.
pub(super) const THREAT_PHRASES: &[&[&str]] = &[
    &["death", "to"],
    &["deserves", "a", "bullet"],
    &["deserve", "a", "bullet"],
    &["put", "a", "bullet"],
    &["off", "the", "map"],
    &["against", "the", "wall"],
    &["line", "them", "up"],
    &["in", "the", "ground"],
    &["six", "feet", "under"],
    &["final", "solution"],
    &["gas", "chambers"],
    &["take", "up", "arms"],
];

/// What people are likened to when they are dehumanized.
pub(super) static DEHUMANIZING: WordList = WordList::new(&[
    "vermin", "rats", "rat", "cockroaches", "cockroach", "roaches", "insects", "insect",
    "bugs", "parasites", "parasite", "lice", "leeches", "leech", "maggots", "animals",
    "animal", "beasts", "savages", "savage", "apes", "monkeys", "pigs", "swine", "dogs",
    "subhuman", "subhumans", "untermenschen", "disease", "cancer", "plague", "virus",
    "infestation", "filth", "garbage", "trash", "scum", "locusts", "termites", "snakes",
    "germs", "tumor", "tumour", "pests", "pest", "cattle", "breeders", "barbarians", "zoo",
    "cage", "cages", "kennel", "vet", "leash",
    "ungeziefer", "ratten", "parasiten", "tiere", "abschaum", "vermine", "cafards", "animaux",
    "sauvages",
]);

/// Verbs that liken people to vermin by what they do ("they infest", "breed like").
pub(super) static DEHUMANIZING_VERBS: WordList = WordList::new(&[
    "infest", "infesting", "infested", "breed", "breeding", "swarm", "swarming", "swarmed",
    "spawn", "spawning", "multiply", "multiplying",
]);

/// Words for people as a group, besides the groups' names (`groups`).
pub(super) static PEOPLE: WordList = WordList::new(&[
    "they", "them", "these", "those", "people", "folks", "kind", "lot", "all", "every",
    "leftists", "liberals", "conservatives", "soldiers", "troops", "army", "nation", "country",
    "race", "invaders", "illegals", "savages",
]);

/// Words that make a sentence a report of violence, not a call for it.
pub(super) static REPORTING: WordList = WordList::new(&[
    "according", "reported", "reports", "sentenced", "court", "police", "officials",
    "witnesses", "threatened", "threatens", "threatening", "threat", "threats", "accused",
    "charged", "convicted", "trial", "verdict", "allegedly", "history", "historians",
]);

/// Verbs of hatred and contempt, for "I despise …".
pub(super) static LOATHING: WordList = WordList::new(&[
    "hate", "hated", "despise", "detest", "loathe", "abhor", "resent", "cant", "hasse",
    "verachte", "deteste", "hais", "meprise",
]);

/// What a group "is", said of all of it, that derogates it.
pub(super) static NEGATIVE_TRAITS: WordList = WordList::new(&[
    "disgusting", "filthy", "dirty", "evil", "worthless", "useless", "inferior", "dangerous",
    "criminals", "terrorists", "rapists", "thieves", "liars", "lazy", "violent", "stupid",
    "dumb", "primitive", "backward", "degenerate", "degenerates", "perverts", "pedophiles",
    "paedophiles", "sick", "mentally", "vile", "pathetic", "repulsive", "disease", "burden",
    "leeches", "scum", "trash", "garbage", "cancer", "plague", "invaders", "freaks", "abominations",
    "abomination", "unnatural", "incapable", "inbred", "barbaric",
]);

/// Verbs a group is said to do to the speaker, for "… disgust me".
pub(super) static REVOLTING: WordList = WordList::new(&["disgust", "sicken", "repulse", "revolt", "nauseate"
]);
