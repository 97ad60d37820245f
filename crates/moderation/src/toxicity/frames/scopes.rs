//! Which words the author does not say in their own voice: words inside quotation marks (unless
//! the author endorses the quote), words under a negation ("they are not vermin"), and what
//! someone else is reported to have said when the author condemns it ("calling them rats is
//! disgusting"). Such words may lower a score but not raise it.

use super::lexicon::{CLAUSE_BREAKS, CONDEMNATION, ENDORSEMENT, NEGATIONS, NOT_NEGATED, SPEECH};
use super::wordlist::WordList;
use super::View;
use crate::toxicity::groups::is_group;

/// How far a negation reaches, in words, when no clause break comes first.
const NEGATION_REACH: usize = 9;

/// Marks in `muted` the words the author does not say in their own voice.
pub(super) fn mute(view: &View<'_>, muted: &mut [bool]) {
    quoted(view, muted);
    negated(view, muted);
    reported(view, muted);
    judged_act(view, muted);
}

/// Verdicts on an act of speech that opens a sentence: "Calling them idiots is not helpful",
/// "Saying that is cruel". The act, from the gerund to the verdict, is muted.
static VERDICTS: WordList = WordList::new(&[
    "stupid",
    "idiotic",
    "ignorant",
    "cruel",
    "mean",
    "rude",
    "unfair",
    "unkind",
    "pointless",
    "unhelpful",
    "inappropriate",
    "childish",
    "pathetic",
    "cowardly",
    "uncalled",
    "ugly",
    "misguided",
    "ignorance",
    "small",
    "narrow",
    "horrible",
    "terrible",
    "awful",
    "nasty",
    "sad",
]);

fn judged_act(view: &View<'_>, muted: &mut [bool]) {
    for sentence in view.sentences() {
        let first = view.word(sentence.start);
        if !(first.ends_with("ing") && SPEECH.contains(&first)) {
            continue;
        }
        let verb = sentence.clone().skip(1).find(|&i| {
            matches!(
                view.word(i),
                "is" | "was" | "isnt" | "wasnt" | "makes" | "just" | "shows" | "says" | "proves"
            )
        });
        let Some(verb) = verb else { continue };
        let verdict = (verb..sentence.end).any(|i| {
            let w = view.word(i);
            NEGATIONS.contains(&w) || CONDEMNATION.contains(&w) || VERDICTS.contains(&w)
        });
        if verdict {
            muted[sentence.start..verb]
                .iter_mut()
                .for_each(|m| *m = true);
        }
    }
}

/// Words between quotation marks, when the author's own words around them are more than a
/// word or two and do not agree with the quote.
fn quoted(view: &View<'_>, muted: &mut [bool]) {
    let inside: Vec<bool> = (0..view.len()).map(|i| view.in_quotes(i)).collect();
    let outside: Vec<usize> = (0..view.len()).filter(|&i| !inside[i]).collect();
    let endorsed = outside.iter().any(|&i| ENDORSEMENT.contains(&view.word(i)));
    if outside.len() < 2 || outside.len() == view.len() || endorsed {
        return;
    }
    for (i, quoted) in inside.into_iter().enumerate() {
        muted[i] |= quoted;
    }
    judgements_of_speech(view, 0..view.len(), muted);
}

/// Someone a judgement can be about: the reader, or a person spoken of ("he is a liar").
static PEOPLE_JUDGED: WordList = WordList::new(&[
    "you", "your", "youre", "u", "ur", "he", "she", "hes", "shes", "him", "her",
]);

/// Words judging what was quoted or reported ("a disgusting thing to write") are about the
/// words, not about a person: muted too, unless the sentence speaks to or of someone ("you",
/// "he is a liar").
fn judgements_of_speech(view: &View<'_>, range: std::ops::Range<usize>, muted: &mut [bool]) {
    if range.clone().any(|i| PEOPLE_JUDGED.contains(&view.word(i))) {
        return;
    }
    for i in range {
        if CONDEMNATION.contains(&view.word(i)) {
            muted[i] = true;
        }
    }
}

/// The words after a negated statement about someone: a negated predicate ("they are not
/// vermin", "you aren't an idiot"), a negated opinion ("I don't think …", "I would never call
/// …"), or a negated duty or wish ("no one should …", "they should never be …"). Up to a clause
/// break, the end of the sentence, or [`NEGATION_REACH`] words. A negation elsewhere ("you
/// can't fix stupid", "didn't take much rope for the village idiot") leaves its words as they
/// are: what it negates is not what makes them abusive.
#[allow(clippy::needless_range_loop)] // `j` reads the view as well as `muted`
fn negated(view: &View<'_>, muted: &mut [bool]) {
    for i in 0..view.len() {
        if !negates_statement(view, i) {
            continue;
        }
        for j in i + 1..view.len().min(i + 1 + NEGATION_REACH) {
            if view.starts_sentence(j) || view.breaks_clause_before(j) {
                break;
            }
            if CLAUSE_BREAKS.contains(&view.word(j)) {
                break;
            }
            muted[j] = true;
        }
    }
}

fn negates_statement(view: &View<'_>, i: usize) -> bool {
    let word = view.word(i);
    if !NEGATIONS.contains(&word) {
        return false;
    }
    let before = (i > 0 && !view.starts_sentence(i)).then(|| view.word(i - 1));
    let after = |k: usize| (i + k < view.len()).then(|| view.word(i + k));
    if after(1).is_some_and(|w| NOT_NEGATED.contains(&w)) {
        return false;
    }
    // "could not have been more idiotic", "couldn't be any dumber": a degree, not a denial.
    let intensifier = after(1).is_some_and(|w| matches!(w, "be" | "have" | "get"))
        && (2..=3).any(|k| after(k).is_some_and(|w| matches!(w, "more" | "any")));
    if intensifier {
        return false;
    }
    let predicate = COPULAR.contains(&word)
        || (matches!(
            word,
            "not" | "never" | "no" | "nicht" | "kein" | "keine" | "pas"
        ) && before.is_some_and(|w| COPULAS.contains(&w) || MODAL_VERBS.contains(&w)));
    let opinion = (1..=2).any(|k| after(k).is_some_and(|w| OPINIONS.contains(&w)));
    let nobody = matches!(word, "nobody" | "noone" | "none" | "niemand" | "personne")
        || (word == "no" && after(1) == Some("one"));
    let duty = nobody
        && after(1 + usize::from(word == "no"))
            .is_some_and(|w| MODAL_VERBS.contains(&w) || COPULAS.contains(&w));
    // "No (black) person ought to …", "no Muslim should …": a duty denied for everyone.
    let no_one_of = word == "no"
        && after(1).is_some_and(|w| is_group(w) || PERSONS.contains(&w))
        && (2..=3).any(|k| after(k).is_some_and(|w| MODAL_VERBS.contains(&w) || w == "ought"));
    // "… do not deserve to …", "… does not want …".
    let done = word == "not"
        && matches!(before, Some("do" | "does" | "did"))
        && after(1).is_some_and(|w| matches!(w, "deserve" | "deserves" | "need" | "want"));
    predicate || opinion || duty || no_one_of || done
}

/// Words for a person, after "no" ("no person should …").
static PERSONS: WordList = WordList::new(&[
    "person",
    "people",
    "human",
    "child",
    "man",
    "woman",
    "citizen",
    "individual",
    "member",
]);

/// Negations that are a copula themselves.
static COPULAR: WordList = WordList::new(&["isnt", "arent", "wasnt", "werent", "aint"]);
static COPULAS: WordList = WordList::new(&[
    "are", "is", "was", "were", "am", "be", "been", "r", "sind", "ist", "sont", "est",
]);
static MODAL_VERBS: WordList = WordList::new(&[
    "should", "would", "will", "must", "can", "could", "shall", "deserve", "deserves", "wants",
    "has", "have", "sollte", "sollten", "darf", "doit",
]);
/// Verbs of opinion and attitude: negating them takes back what follows.
static OPINIONS: WordList = WordList::new(&[
    "think", "believe", "hate", "dislike", "say", "said", "call", "called", "consider", "agree",
    "feel", "mean", "want", "wish", "hope", "claim", "despise", "suggest", "imply", "denke",
    "glaube", "hasse", "pense", "crois", "deteste",
]);

/// What follows a verb of saying, to the end of its clause, when the same sentence (or the
/// next one: "They said X. That is vile.") condemns it.
#[allow(clippy::needless_range_loop)] // `j` reads the view as well as `muted`
fn reported(view: &View<'_>, muted: &mut [bool]) {
    let sentences = view.sentences();
    for (n, sentence) in sentences.iter().enumerate() {
        let condemned =
            |s: &std::ops::Range<usize>| s.clone().any(|i| CONDEMNATION.contains(&view.word(i)));
        let next_condemns = sentences.get(n + 1).is_some_and(condemned);
        if !condemned(sentence) && !next_condemns {
            continue;
        }
        for i in sentence.clone() {
            if !SPEECH.contains(&view.word(i)) || retort(view, i) {
                continue;
            }
            for j in i + 1..sentence.end {
                if view.breaks_clause_before(j) && j > i + 1 {
                    break;
                }
                muted[j] = true;
            }
            judgements_of_speech(view, sentence.clone(), muted);
        }
    }
}

/// "Says the hypocrite who …": a verb of saying opening a sentence before the one who says it
/// reports nothing; what follows is the author's own description of the speaker.
fn retort(view: &View<'_>, i: usize) -> bool {
    view.starts_sentence(i)
        && matches!(view.word(i), "says" | "said")
        && i + 1 < view.len()
        && matches!(
            view.word(i + 1),
            "the" | "a" | "an" | "someone" | "somebody" | "this"
        )
}
