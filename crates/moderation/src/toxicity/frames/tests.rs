//! The frames on hand-written sentences: what is muted and what shapes are found, with the hard
//! negatives (reporting, quoting, negating, condemning) beside the positives.

use super::*;
use crate::toxicity::text::tokenize;

fn muted_words(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    let frames = analyze(text, &tokens);
    tokens
        .tokens
        .iter()
        .zip(&frames.muted)
        .filter(|(_, &m)| m)
        .map(|(t, _)| tokens.norm(t).to_string())
        .collect()
}

pub(super) fn hits(text: &str) -> Vec<(Attribute, String)> {
    let tokens = tokenize(text);
    analyze(text, &tokens)
        .hits
        .iter()
        .map(|h| {
            let (s, e) = (
                tokens.tokens[h.range.start].original.start,
                tokens.tokens[h.range.end - 1].original.end,
            );
            (h.attribute, text[s..e].to_string())
        })
        .collect()
}

pub(super) fn has(text: &str, attribute: Attribute) -> bool {
    hits(text).iter().any(|(a, _)| *a == attribute)
}

#[test]
fn threats_against_people_groups_countries_and_leaders() {
    assert_eq!(
        hits("These traitors should all be shot."),
        [(Attribute::Threat, "should all be shot".into())]
    );
    assert!(has(
        "We need to get rid of them and kill every one.",
        Attribute::Threat
    ));
    assert!(has("Nuke them all.", Attribute::Threat));
    assert!(has("Death to the regime.", Attribute::Threat));
    assert!(has(
        "That country should be wiped off the map.",
        Attribute::Threat
    ));
    assert!(has("The general deserves a bullet.", Attribute::Threat));
    assert!(has("I will hunt you down and kill you.", Attribute::Threat));
    assert!(has("Refugees deserve to die.", Attribute::Threat));
}

#[test]
fn reports_history_quotes_and_condemnation_are_not_threats() {
    assert!(!has(
        "The army bombed the town last night.",
        Attribute::Threat
    ));
    assert!(!has(
        "He was hanged in 1946 after the trial.",
        Attribute::Threat
    ));
    assert!(!has(
        "Police say he threatened to kill his neighbour.",
        Attribute::Threat
    ));
    assert!(!has(
        "Nobody should ever be shot for their faith.",
        Attribute::Threat
    ));
    assert!(!has(
        "The court said he will be executed in May.",
        Attribute::Threat
    ));
    assert!(!has(
        "\"They should all be shot\" is a disgusting thing to write.",
        Attribute::Threat
    ));
    assert!(!has("I would love to see the war end.", Attribute::Threat));
}

#[test]
fn dehumanization_and_its_negation() {
    assert!(has("Those people are vermin.", Attribute::Dehumanization));
    assert!(has(
        "Immigrants are nothing but parasites.",
        Attribute::Dehumanization
    ));
    assert!(has("They breed like rabbits.", Attribute::Dehumanization));
    assert!(has("Muslims are not human.", Attribute::Dehumanization));
    assert!(!has("Muslims are not vermin.", Attribute::Dehumanization));
    assert!(!has(
        "We found rats in the basement.",
        Attribute::Dehumanization
    ));
    assert!(!has(
        "No one should say that refugees are parasites.",
        Attribute::Dehumanization
    ));
}

#[test]
fn negated_statements_are_muted_but_not_orders_or_swearing() {
    assert_eq!(muted_words("They are not idiots."), ["idiots"]);
    assert_eq!(
        muted_words("I don't think you are an idiot, but you are wrong."),
        ["think", "you", "are", "an", "idiot"]
    );
    assert!(muted_words("Don't be an idiot.").is_empty());
    assert!(muted_words("You can't fix stupid.").is_empty());
    assert!(muted_words("I ain't giving a shit.")
        .iter()
        .all(|w| w != "shit"));
}

#[test]
fn quotes_and_reported_speech_are_muted_when_condemned() {
    assert_eq!(
        muted_words("\"Women are stupid\" is a vile thing to say."),
        ["women", "are", "stupid", "vile"]
    );
    assert!(muted_words("\"Women are stupid\" so true").is_empty());
    let muted = muted_words("Calling gay people animals is not okay.");
    assert!(muted.contains(&"animals".to_string()));
    let muted = muted_words("Stop saying that Jews are rats, it is antisemitic.");
    assert!(muted.contains(&"rats".to_string()));
    assert!(muted_words("People keep saying Jews are rats and they are right.").is_empty());
}

#[test]
fn reported_threats_and_denied_duties_are_not_threats() {
    assert!(!has(
        "He was banned for saying they would shoot every refugee.",
        Attribute::Threat
    ));
    assert!(has(
        "I said it before: I will shoot them all.",
        Attribute::Threat
    ));
    assert!(!has(
        "No Roma person ought to be executed.",
        Attribute::Threat
    ));
    assert!(muted_words("Refugees do not deserve to be hanged.").contains(&"hanged".to_string()));
}

#[test]
fn condemnation_words_are_muted_only_around_a_quote() {
    assert!(muted_words("Gypsies are disgusting.").is_empty());
    assert!(
        muted_words("\"Gypsies are disgusting\" is a vile thing to write.")
            .contains(&"disgusting".to_string())
    );
}

#[test]
fn the_authors_own_judgements_of_a_speaker_and_degrees_are_not_muted() {
    // A retort, not a report: the description of the speaker is the author's own.
    assert!(
        muted_words("Says the hypocrite who refuses to denounce a disgusting racist.").is_empty()
    );
    // A judgement of the person who speaks stays; of the words alone it is muted.
    let muted = muted_words("He claims he is the Christ, he is a liar and a racist.");
    assert!(!muted.contains(&"liar".to_string()), "{muted:?}");
    assert!(!muted.contains(&"racist".to_string()), "{muted:?}");
    assert!(muted_words("Saying that refugees are rats is racist.").contains(&"rats".to_string()));
    // "Could not have been more …" is a degree, not a denial.
    assert!(muted_words("The voters could not have been more idiotic.").is_empty());
    assert_eq!(
        muted_words("They are not more dangerous than anyone."),
        ["more", "dangerous", "than", "anyone"]
    );
}
