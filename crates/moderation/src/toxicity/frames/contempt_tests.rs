//! The contempt shapes on sentences written for these tests: each kind held, with its hard
//! negatives beside it (warm and neutral mentions, reports, quotes, negation, condemnation).

use super::tests::has;
use rostra_core::attributes::Attribute::IdentityAttack;

fn held(text: &str) -> bool {
    has(text, IdentityAttack)
}

/// Every text of `held` has a contempt shape and none of `let_through` has one.
fn expect(held_texts: &[&str], let_through: &[&str]) {
    let wrong: Vec<&str> = held_texts
        .iter()
        .filter(|t| !held(t))
        .chain(let_through.iter().filter(|t| held(t)))
        .copied()
        .collect();
    assert!(wrong.is_empty(), "wrongly judged: {wrong:?}");
}

#[test]
fn hatred_felt_by_the_speaker() {
    expect(
        &[
            "Honestly I really despise refugees.",
            "I'm so sick of Muslims.",
            "Fed up with all these foreigners.",
            "I have nothing but contempt for gay people.",
            "We can't stand those immigrants.",
            "Jews disgust me.",
            "There is nothing worse than a Muslim.",
            "I will never respect gay people.",
            "Honestly we don't want Somalis in this town.",
        ],
        &[
            "Nothing is worse than a cold shower.",
            "My uncle hates Muslims and it breaks my heart.",
            "I hate how refugees are treated in the camps.",
            "I hate people who attack gay couples.",
            "Muslims are sick of being blamed for everything.",
            "I'm tired of gay people being treated as a joke.",
            "I don't hate immigrants at all.",
            "I don't want refugees to suffer.",
            "I don't like how Muslims are portrayed on TV.",
            "She doesn't trust Muslims, and I think she is wrong.",
        ],
    );
}

#[test]
fn derogatory_claims_about_a_whole_group() {
    expect(
        &[
            "Honestly, Mexicans are just so lazy.",
            "Why are Christians such hypocrites and frauds?",
            "Why are disabled people always so useless?",
            "I met a few Roma last year and they are all thieves.",
        ],
        &[
            "Mexicans are hard-working and generous.",
            "Immigrants are not criminals.",
            "Saying that women are stupid is just sexist.",
            "\"Muslims are violent\" is the kind of lie that gets people killed.",
        ],
    );
}

#[test]
fn worth_denied() {
    expect(
        &[
            "Women are simply not capable of leading a country.",
            "Immigrants can never be trusted.",
            "Trans women will never be real women.",
            "Gay men should not be allowed to adopt.",
            "Disabled people have no place in our workplaces.",
            "No woman can ever be a good surgeon.",
            "Refugees like these do not deserve to live.",
        ],
        &[
            "Refugees do not deserve this treatment.",
            "No Muslim should be harassed for praying.",
            "In 1900 women were not allowed to vote.",
            "Refugees are not a burden on anyone.",
            "Black people are no less intelligent than anyone else.",
            "No one should claim that Muslims are not trustworthy.",
            "Women are not safe walking home at night.",
        ],
    );
}

#[test]
fn exclusion_of_a_group() {
    expect(
        &[
            "Migrants should all go back where they came from.",
            "Muslims need to be banned from this country.",
            "Keep the immigrants out.",
            "Never trust a Jew.",
            "This country would be much better off without immigrants.",
            "Refugees are ruining our neighbourhoods.",
            "Women belong in the kitchen, full stop.",
        ],
        &[
            "Refugees should be welcomed into our towns.",
            "Immigrants are rebuilding our neighbourhoods.",
            "Keep the immigrants' stories in the curriculum, they matter.",
            "Women belong in every boardroom.",
            "It is wrong to say that migrants should go back.",
        ],
    );
}

#[test]
fn letters_spaced_out_are_read_as_their_word() {
    assert!(held("I h a t e refugees."));
    assert!(held("Honestly I despise w o m e n."));
    assert!(held("Immigrnts are so lazy."));
    assert!(held("F u c k all the immigrants."));
    // Initials and single letters stay what they are.
    assert!(!held("I a m tired of the U S A politics."));
    assert_eq!(
        super::tests::hits("I h a t e refugees."),
        [(IdentityAttack, "h a t e refugees".to_string())]
    );
}

#[test]
fn praise_of_a_group_is_no_attack_but_praise_then_contempt_is() {
    use crate::toxicity::text::tokenize;
    let praised = |text: &str| {
        let tokens = tokenize(text);
        super::analyze(text, &tokens).praised.iter().any(|&p| p)
    };
    assert!(praised("Refugees like them are truly wonderful."));
    assert!(praised("Deaf people should all be celebrated."));
    assert!(praised("I admire Muslims."));
    assert!(!praised("Refugees are not wonderful."));
    assert!(!praised(
        "Roma are wonderful at stealing, they are all thieves."
    ));
    assert!(held(
        "Gay people can be kind. Don't forget they're still worthless scum."
    ));
}
