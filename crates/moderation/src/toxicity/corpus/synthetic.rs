//! Contrast sentences written by us (none taken from any data set or test suite): the same
//! groups, countries and people in civil, supportive, reporting and counter-speech sentences
//! and in hateful, dehumanizing and threatening ones. They teach the attributes what the public
//! sets have too little of — threats and dehumanization, and group names in ordinary news talk —
//! so that a group's name alone raises nothing.

use super::{Labeled, Labels};
use rostra_core::attributes::Attribute::{
    Dehumanization as Dehum, IdentityAttack as Identity, Insult, Threat, Toxicity as Tox,
};

/// Groups people are targeted for (religion, ethnicity, nationality, gender, sexual orientation,
/// disability, migration).
const GROUPS: &[&str] = &[
    "Muslims",
    "Jews",
    "Christians",
    "Hindus",
    "Sikhs",
    "Catholics",
    "atheists",
    "immigrants",
    "refugees",
    "migrants",
    "asylum seekers",
    "Black people",
    "white people",
    "Asians",
    "Africans",
    "Arabs",
    "Latinos",
    "Roma",
    "Mexicans",
    "Chinese people",
    "Russians",
    "Ukrainians",
    "Americans",
    "Germans",
    "Poles",
    "Indians",
    "Pakistanis",
    "Syrians",
    "Palestinians",
    "Israelis",
    "Iranians",
    "Turks",
    "Kurds",
    "Somalis",
    "women",
    "men",
    "trans people",
    "gay people",
    "lesbians",
    "bisexual people",
    "gay men",
    "disabled people",
    "deaf people",
    "autistic people",
    "foreigners",
    "Nigerians",
    "Serbs",
    "Albanians",
];

/// Countries, armies and leaders, for threats aimed at them and reports about them.
const POWERS: &[&str] = &[
    "Russia",
    "Ukraine",
    "Israel",
    "Iran",
    "China",
    "America",
    "Gaza",
    "Serbia",
    "their army",
    "the president",
    "the prime minister",
    "those generals",
    "their soldiers",
    "the regime",
];

/// Civil mentions of a group: news talk, everyday life, questions.
const NEUTRAL: &[&str] = &[
    "{} make up about a tenth of the town's population, according to the census.",
    "The reporter spoke to several {} about the new housing rules.",
    "Our neighbours are {} and we share a vegetable garden.",
    "Many {} in this city work at the hospital or the university.",
    "Turnout among {} was higher than in the last election.",
    "I went to school with {} and we still meet every summer.",
    "The survey asked {} what they think of the transport plan.",
    "There is a meeting about the budget for {} at the library on Tuesday.",
    "How many {} sit on the city council these days?",
    "{} have lived in this valley for centuries.",
    "The museum is opening an exhibition on the history of {}.",
    "The law applies to {} the same way it applies to everyone else.",
    "Several {} wrote letters to the editor about this story.",
    "As one of the {} in this town, I see the bus changes differently.",
    "The article would be better with more voices of {} in it.",
    "My grandmother told me stories about the {} who lived on our street.",
    "The study followed {} over ten years and found no difference.",
    "Is it true that the festival was organised by {} this year?",
    "The columnist seems to know very little about {}, but the facts are right.",
    "Both candidates spoke to {} at the town hall last night.",
];

/// Warm or supportive mentions of a group.
const SUPPORTIVE: &[&str] = &[
    "{} have made this city a better place to live.",
    "I admire the {} who set up the food bank last winter.",
    "{} deserve the same respect and safety as anyone else.",
    "Some of the kindest colleagues I ever had were {}.",
    "Thank you to the {} who volunteered at the shelter.",
    "{} are welcome in this town, whatever the comments here say.",
    "I am proud to stand with {} in this.",
    "{} bring so much to our schools and sports clubs.",
    "I really enjoy working with {}, they are great teammates.",
    "We should listen to {} more when we write these laws.",
    "{} are brilliant at organising these festivals.",
    "{} are some of the most generous people I know.",
    "{} are hard-working and deserve better pay.",
    "{} are an important part of this country's story.",
    "{} are strong, funny and kind.",
    "{} are just as capable as anyone else.",
];

/// A hateful claim about a group, then someone calling it out, negating it or quoting it to
/// condemn it: none of them is abusive.
const COUNTERED: &[&str] = &[
    "Calling {} animals is disgusting and has no place in this paper.",
    "People who claim {} are criminals are spreading hate, plain and simple.",
    "Saying that all {} are terrorists is just wrong.",
    "I'm tired of comments suggesting {} are parasites. Moderators, please step in.",
    "Stop repeating the lie that {} are stealing our jobs.",
    "It is simply false that {} are more violent than anyone else.",
    "No, {} are not taking over the country. That is a conspiracy theory.",
    "I don't think {} are any worse than the rest of us.",
    "{} are not vermin, they are our neighbours.",
    "Nobody should ever say that {} deserve to die.",
    "\"{} should be shot\" is not an opinion, it is a threat, and it should be reported.",
    "The commenter above wrote that {} are rats. That is dehumanizing and I reported it.",
];

/// Derogation and conspiracy talk about a group, without swear words.
const DEROGATORY: &[&str] = &[
    "{} are all criminals, every last one of them.",
    "You can never trust {}, it is in their nature to lie.",
    "{} are slowly replacing us and the government is helping them.",
    "{} secretly control the banks and the media.",
    "{} should go back to where they came from.",
    "Everything that goes wrong here is the fault of {}.",
    "{} are too stupid to run their own lives.",
    "Honestly, {} ruin every neighbourhood they move into.",
];

/// Strong dislike of a group, said outright.
const LOATHING: &[&str] = &[
    "I hate {} so much.",
    "{} make me sick to my stomach.",
    "I can't stand {}, never could.",
    "Honestly I despise {} and everything they stand for.",
    "{} disgust me.",
    "Nothing fills me with more contempt than {}.",
    "I'd be happy if I never had to see {} again.",
    "{} are the worst thing that ever happened to this town.",
];

/// Dehumanizing language about a group.
const DEHUMANIZING: &[&str] = &[
    "{} are vermin and should be treated like it.",
    "{} breed like rats.",
    "{} are a cancer eating this country alive.",
    "{} are parasites living off our taxes.",
    "{} are not even human.",
    "{} are cockroaches swarming into our cities.",
    "{} are filthy animals.",
    "{} are a plague on this continent.",
];

/// Threats and calls for violence against a group.
const THREATENING: &[&str] = &[
    "We need to get rid of {} once and for all.",
    "{} should all be shot.",
    "Someone should burn their houses down and see how {} like it.",
    "Line the {} up against a wall.",
    "{} deserve to die.",
    "I will make sure {} suffer for this.",
    "Every one of these {} should be hanged.",
    "Time to take up arms against {}.",
];

/// Threats against countries, armies and leaders.
const THREATS_TO_POWERS: &[&str] = &[
    "{} should be wiped off the map.",
    "Nuke {} already and be done with it.",
    "{} deserves a bullet.",
    "Bomb {} until nothing is left standing.",
    "I hope someone puts {} in the ground soon.",
];

/// Reports of violence, history, and condemnation of threats: not threats.
const REPORTS: &[&str] = &[
    "Witnesses said {} fired on the convoy near the border.",
    "The report says {} bombed two villages last spring.",
    "Historians still argue about what {} did in 1946.",
    "Threats to kill the envoy of {} were condemned by every party.",
    "The tribunal found that {} had ordered the executions.",
    "Nobody should call for {} to be bombed, whatever we think of them.",
];

/// Person-directed attacks, including polite ones that question someone's intelligence, and
/// their civil counterparts.
const INSULTS: &[(&str, bool)] = &[
    (
        "Do you even have a brain, or did you leave it at home today?",
        true,
    ),
    ("Only an idiot would believe what you just wrote.", true),
    (
        "I doubt you can read past the headline, judging by this comment.",
        true,
    ),
    (
        "With all due respect, you are clearly too dim to follow the argument.",
        true,
    ),
    ("People like you should not be allowed to vote.", true),
    ("You are a pathetic little troll.", true),
    (
        "Have you considered that you might not be very bright?",
        true,
    ),
    ("What a clueless moron.", true),
    (
        "I respectfully disagree with your point about the tax rates.",
        false,
    ),
    (
        "I think you may have misread the second paragraph of the article.",
        false,
    ),
    (
        "Thanks for the reply, you changed my mind on the bus lanes.",
        false,
    ),
    (
        "Good question. The figures are in the council's report.",
        false,
    ),
    (
        "I see it differently, but I understand why you wrote that.",
        false,
    ),
    ("Could you share a source for the number you quoted?", false),
];

/// Every contrast sentence with its labels.
pub(super) fn contrast_sentences() -> Vec<Labeled> {
    let mut out = Vec::new();
    let mut add = |templates: &[&str], targets: &[&str], labels: Labels| {
        for template in templates {
            for target in targets {
                out.push(Labeled {
                    text: fill(template, target),
                    labels: labels.0,
                    source: "ours",
                });
            }
        }
    };
    let civil = Labels::civil();
    let hate = Labels::default().with(Tox, true).with(Identity, true);
    add(NEUTRAL, GROUPS, civil);
    add(SUPPORTIVE, GROUPS, civil);
    add(COUNTERED, GROUPS, civil);
    add(
        DEROGATORY,
        GROUPS,
        hate.with(Threat, false).with(Dehum, false),
    );
    add(
        LOATHING,
        GROUPS,
        hate.with(Threat, false).with(Dehum, false),
    );
    add(
        DEHUMANIZING,
        GROUPS,
        hate.with(Dehum, true).with(Threat, false),
    );
    add(THREATENING, GROUPS, hate.with(Threat, true));
    let threat = Labels::default().with(Tox, true).with(Threat, true);
    add(THREATS_TO_POWERS, POWERS, threat.with(Dehum, false));
    add(REPORTS, POWERS, civil);
    for (text, abusive) in INSULTS {
        let labels = match abusive {
            true => Labels::default()
                .with(Tox, true)
                .with(Insult, true)
                .with(Identity, false)
                .with(Threat, false),
            false => civil,
        };
        out.push(Labeled {
            text: text.to_string(),
            labels: labels.0,
            source: "ours",
        });
    }
    out
}

/// The template with its `{}` replaced, capitalized when the target opens the sentence.
fn fill(template: &str, target: &str) -> String {
    let text = template.replacen("{}", target, 1);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if template.starts_with("{}") => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_filled_and_labeled() {
        let all = contrast_sentences();
        assert!(all.len() > 3_000);
        let first = all
            .iter()
            .find(|e| e.text.starts_with("Muslims make up"))
            .unwrap();
        assert_eq!(first.labels, [Some(false); 6]);
        assert!(all.iter().all(|e| !e.text.contains("{}")));
        let threat = all
            .iter()
            .find(|e| e.text == "Russia should be wiped off the map.");
        assert_eq!(threat.unwrap().labels[Threat.index()], Some(true));
        assert_eq!(
            fill("{} are welcome.", "trans people"),
            "Trans people are welcome."
        );
    }
}
