//! Each attribute on sentences written for these tests: what it must hold, and the hard
//! negatives it must let through under the balanced preset (reporting, history, quoting,
//! negating, condemning, swearing at no one, ordinary mentions of groups).

use rostra_core::attributes::{Attribute, Preset};
use rostra_core::moderation::{SitePolicy, Verdict};
use rostra_core::SiteId;
use rostra_moderation::checks::CheckInput;
use rostra_moderation::{assess, Outcome, Pipeline};

fn decide(text: &str) -> Outcome {
    let policy = SitePolicy::with_preset(Preset::Balanced);
    let input = CheckInput {
        site: SiteId(1),
        body: text,
        author_name: None,
        policy: &policy,
        now: 0,
    };
    Pipeline::standard(0).run(&input)
}

/// The text is held, and one of its reasons is `attribute` with a span inside the text.
fn held_for(text: &str, attribute: Attribute) {
    let outcome = decide(text);
    assert_ne!(outcome.verdict, Verdict::Allow, "{text:?} was let through");
    let reason = outcome
        .reasons
        .iter()
        .find(|r| r.check == attribute.as_str())
        .unwrap_or_else(|| panic!("{text:?}: no {attribute} reason in {:?}", outcome.reasons));
    assert!(reason.score.is_some_and(|s| s > 0.0));
    for span in &reason.spans {
        assert_eq!(&text[span.start..span.end], span.text, "{text:?}");
    }
}

fn let_through(text: &str) {
    let outcome = decide(text);
    assert_eq!(
        outcome.verdict,
        Verdict::Allow,
        "{text:?} held: {:?}",
        outcome.reasons
    );
}

#[test]
fn threats_are_held_also_against_countries_and_leaders() {
    held_for("Those protesters should all be shot.", Attribute::Threat);
    held_for("I will hunt you down and kill you.", Attribute::Threat);
    held_for(
        "Their whole country should be wiped off the map.",
        Attribute::Threat,
    );
    held_for("The president deserves a bullet.", Attribute::Threat);
    held_for("Nuke them all and be done with it.", Attribute::Threat);
    let reason = decide("Those protesters should all be shot.");
    let threat = reason.reasons.iter().find(|r| r.check == "threat").unwrap();
    assert_eq!(threat.spans[0].text, "should all be shot");
}

#[test]
fn reporting_history_and_condemning_violence_are_not_threats() {
    let_through("The army bombed the town last night, the agency reported.");
    let_through("He was hanged in 1946 after the tribunal.");
    let_through("Police say the man threatened to kill his neighbour.");
    let_through("Nobody should be shot for what they believe.");
    let_through("Writing that refugees should be shot is vile and I reported it.");
}

#[test]
fn hate_against_groups_is_held_without_swear_words() {
    held_for("Refugees are vermin.", Attribute::Dehumanization);
    held_for("Those people breed like rats.", Attribute::Dehumanization);
    held_for("I despise Muslims.", Attribute::IdentityAttack);
    held_for("Immigrants are all criminals.", Attribute::IdentityAttack);
}

#[test]
fn ordinary_and_warm_mentions_of_groups_are_not_held() {
    let_through("Many Muslims in our town volunteer at the food bank.");
    let_through("Refugees from the war arrived at the station this morning.");
    let_through("My neighbours are Jewish and invited us for dinner.");
    let_through("Trans people deserve the same safety as anyone.");
    let_through("Gay couples have been able to marry here since 2014.");
}

#[test]
fn counter_speech_quotes_and_negation_are_not_held() {
    let_through("No one should say that Muslims are vermin.");
    let_through("Calling people idiots is not helpful.");
    let_through("\"Immigrants are vermin\" is a disgusting thing to write.");
    let_through("Women are not inferior to anyone.");
}

#[test]
fn swearing_at_no_one_is_profanity_not_abuse() {
    let_through("This fucking rain has not stopped for a week.");
    let scores = assess("This fucking rain has not stopped for a week.");
    assert!(scores.score(Attribute::Profanity) >= 0.5);
    held_for("You are a fucking idiot.", Attribute::Toxicity);
}

#[test]
fn insults_are_aimed_at_a_person() {
    let scores = assess("You are a pathetic idiot and everyone here is sick of you.");
    assert!(scores.score(Attribute::Insult) >= 0.6, "{scores:?}");
    let scores = assess("What a stupid idea this council had.");
    assert!(scores.score(Attribute::Insult) <= 0.3, "{scores:?}");
}
