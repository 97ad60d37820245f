//! The contempt shapes on sentences written for these tests: each kind held, with its hard
//! negatives beside it (warm and neutral mentions, reports, quotes, negation, condemnation).

use super::tests::has;
use rostra_core::attributes::Attribute::IdentityAttack;

fn held(text: &str) -> bool {
    has(text, IdentityAttack)
}

#[test]
fn hatred_felt_by_the_speaker() {
    assert!(held("Honestly I really despise refugees."));
    assert!(held("I'm so sick of Muslims."));
    assert!(held("Fed up with all these foreigners."));
    assert!(held("I have nothing but contempt for gay people."));
    assert!(held("We can't stand those immigrants."));
    assert!(held("Jews disgust me."));
    assert!(held("There is nothing worse than a Muslim."));
    assert!(!held("Nothing is worse than a cold shower."));
    // Someone else's hatred, hatred of what is done to a group, hatred of the haters.
    assert!(!held("My uncle hates Muslims and it breaks my heart."));
    assert!(!held("I hate how refugees are treated in the camps."));
    assert!(!held("I hate people who attack gay couples."));
    assert!(!held("Muslims are sick of being blamed for everything."));
    assert!(!held("I'm tired of gay people being treated as a joke."));
    assert!(!held("I don't hate immigrants at all."));
    assert!(held("I will never respect gay people."));
    assert!(held("Honestly we don't want Somalis in this town."));
    assert!(!held("I don't want refugees to suffer."));
    assert!(!held("I don't like how Muslims are portrayed on TV."));
    assert!(!held(
        "She doesn't trust Muslims, and I think she is wrong."
    ));
}

#[test]
fn derogatory_claims_about_a_whole_group() {
    assert!(held("Honestly, Mexicans are just so lazy."));
    assert!(held("Why are Christians such hypocrites and frauds?"));
    assert!(held("Why are disabled people always so useless?"));
    assert!(held("I met a few Roma last year and they are all thieves."));
    assert!(!held("Mexicans are hard-working and generous."));
    assert!(!held("Immigrants are not criminals."));
    assert!(!held("Saying that women are stupid is just sexist."));
    assert!(!held(
        "\"Muslims are violent\" is the kind of lie that gets people killed."
    ));
}

#[test]
fn worth_denied() {
    assert!(held("Women are simply not capable of leading a country."));
    assert!(held("Immigrants can never be trusted."));
    assert!(held("Trans women will never be real women."));
    assert!(held("Gay men should not be allowed to adopt."));
    assert!(held("Disabled people have no place in our workplaces."));
    assert!(held("No woman can ever be a good surgeon."));
    assert!(held("Refugees like these do not deserve to live."));
    assert!(!held("Refugees do not deserve this treatment."));
    assert!(!held("No Muslim should be harassed for praying."));
    // Reports and history; a denial of a negative; a claim negated as a whole.
    assert!(!held("In 1900 women were not allowed to vote."));
    assert!(!held("Refugees are not a burden on anyone."));
    assert!(!held(
        "Black people are no less intelligent than anyone else."
    ));
    assert!(!held(
        "No one should claim that Muslims are not trustworthy."
    ));
    assert!(!held("Women are not safe walking home at night."));
}

#[test]
fn exclusion_of_a_group() {
    assert!(held("Migrants should all go back where they came from."));
    assert!(held("Muslims need to be banned from this country."));
    assert!(held("Keep the immigrants out."));
    assert!(held("Never trust a Jew."));
    assert!(held(
        "This country would be much better off without immigrants."
    ));
    assert!(held("Refugees are ruining our neighbourhoods."));
    assert!(held("Women belong in the kitchen, full stop."));
    assert!(!held("Refugees should be welcomed into our towns."));
    assert!(!held("Immigrants are rebuilding our neighbourhoods."));
    assert!(!held(
        "Keep the immigrants' stories in the curriculum, they matter."
    ));
    assert!(!held("Women belong in every boardroom."));
    assert!(!held("It is wrong to say that migrants should go back."));
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
