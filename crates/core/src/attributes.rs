//! The kinds of abuse the built-in model scores ("attributes", like Perspective's), and what a
//! site does with each score: hold, reject or nothing, set one by one or through a preset.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One kind of abuse, scored 0–1 for every comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    /// Rude, disrespectful or abusive on the whole.
    Toxicity,
    /// An attack on a person: name-calling, questioning their intelligence or worth.
    Insult,
    /// Hate or derogation aimed at a group for who they are (religion, ethnicity, nationality,
    /// gender, sexual orientation, disability), with or without swear words.
    IdentityAttack,
    /// A threat or a call for violence against a person, group, country, army or leader.
    Threat,
    /// People or groups likened to vermin, insects, disease, filth or animals.
    Dehumanization,
    /// Swearing and obscene words, whoever they are aimed at.
    Profanity,
}

impl Attribute {
    pub const ALL: [Attribute; 6] = [
        Attribute::Toxicity,
        Attribute::Insult,
        Attribute::IdentityAttack,
        Attribute::Threat,
        Attribute::Dehumanization,
        Attribute::Profanity,
    ];

    /// The stable name used in reasons, the API, the config and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Attribute::Toxicity => "toxicity",
            Attribute::Insult => "insult",
            Attribute::IdentityAttack => "identity_attack",
            Attribute::Threat => "threat",
            Attribute::Dehumanization => "dehumanization",
            Attribute::Profanity => "profanity",
        }
    }

    pub fn parse(s: &str) -> Option<Attribute> {
        Attribute::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Its position in [`Attribute::ALL`] (and in per-attribute arrays).
    pub fn index(self) -> usize {
        self as usize
    }

    /// How an author is told what the comment may be read as: "This may be read as {phrase}".
    pub fn phrase(self) -> &'static str {
        match self {
            Attribute::Toxicity => "abusive",
            Attribute::Insult => "an insult",
            Attribute::IdentityAttack => "an attack on a group of people",
            Attribute::Threat => "a threat or a call for violence",
            Attribute::Dehumanization => "dehumanizing people",
            Attribute::Profanity => "profanity",
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a site does with one attribute's score: hold at or above `hold`, reject at or above
/// `reject`; `None` turns that step off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct AttributeRule {
    #[serde(default)]
    pub hold: Option<f32>,
    #[serde(default)]
    pub reject: Option<f32>,
}

impl AttributeRule {
    pub const OFF: AttributeRule = AttributeRule {
        hold: None,
        reject: None,
    };

    pub fn hold_at(hold: f32) -> AttributeRule {
        AttributeRule {
            hold: Some(hold),
            reject: None,
        }
    }

    /// Both thresholds between 0 and 1, and rejecting no lower than holding.
    pub fn is_valid(&self) -> bool {
        let in_range = |t: Option<f32>| t.is_none_or(|t| (0.0..=1.0).contains(&t));
        let ordered = match (self.hold, self.reject) {
            (Some(h), Some(r)) => r >= h,
            _ => true,
        };
        in_range(self.hold) && in_range(self.reject) && ordered
    }
}

/// A rule for every attribute, in [`Attribute::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(from = "RulesByName", into = "RulesByName")]
pub struct AttributeRules(pub [AttributeRule; 6]);

impl AttributeRules {
    pub fn get(&self, attribute: Attribute) -> AttributeRule {
        self.0[attribute.index()]
    }

    pub fn set(&mut self, attribute: Attribute, rule: AttributeRule) {
        self.0[attribute.index()] = rule;
    }

    pub fn is_valid(&self) -> bool {
        self.0.iter().all(AttributeRule::is_valid)
    }
}

impl Default for AttributeRules {
    fn default() -> Self {
        Preset::Balanced.rules()
    }
}

/// The JSON form: `{"threat": {"hold": 0.5, "reject": null}, …}`; a missing attribute is off.
#[derive(Serialize, Deserialize, Default)]
struct RulesByName(std::collections::BTreeMap<Attribute, AttributeRule>);

impl From<RulesByName> for AttributeRules {
    fn from(by_name: RulesByName) -> Self {
        let mut rules = AttributeRules([AttributeRule::OFF; 6]);
        for (attribute, rule) in by_name.0 {
            rules.set(attribute, rule);
        }
        rules
    }
}

impl From<AttributeRules> for RulesByName {
    fn from(rules: AttributeRules) -> Self {
        RulesByName(
            Attribute::ALL
                .into_iter()
                .map(|a| (a, rules.get(a)))
                .collect(),
        )
    }
}

/// Three ready-made sets of thresholds a publisher picks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// Holds more, rejects the clearest threats and dehumanization; profanity held too.
    Strict,
    /// The default: holds attacks, hate and threats; profanity alone holds nothing.
    #[default]
    Balanced,
    /// Holds only clear attacks, hate and threats; rejects nothing.
    Lenient,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Strict, Preset::Balanced, Preset::Lenient];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Strict => "strict",
            Preset::Balanced => "balanced",
            Preset::Lenient => "lenient",
        }
    }

    pub fn parse(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The thresholds of this preset, per attribute in [`Attribute::ALL`] order (toxicity,
    /// insult, identity attack, threat, dehumanization, profanity).
    pub fn rules(self) -> AttributeRules {
        let rule = |hold: f32, reject: Option<f32>| AttributeRule {
            hold: Some(hold),
            reject,
        };
        AttributeRules(match self {
            Preset::Strict => [
                rule(0.5, None),
                rule(0.5, None),
                rule(0.35, None),
                rule(0.4, Some(0.9)),
                rule(0.4, Some(0.9)),
                rule(0.6, None),
            ],
            Preset::Balanced => [
                rule(0.7, None),
                rule(0.6, None),
                rule(0.45, None),
                rule(0.5, None),
                rule(0.5, None),
                AttributeRule::OFF,
            ],
            Preset::Lenient => [
                rule(0.85, None),
                rule(0.8, None),
                rule(0.6, None),
                rule(0.7, None),
                rule(0.7, None),
                AttributeRule::OFF,
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Attribute::ALL {
            assert_eq!(Attribute::parse(a.as_str()), Some(a));
            assert_eq!(Attribute::ALL[a.index()], a);
        }
        for p in Preset::ALL {
            assert_eq!(Preset::parse(p.as_str()), Some(p));
            assert!(p.rules().is_valid());
        }
        assert_eq!(Attribute::parse("nope"), None);
    }

    #[test]
    fn rules_serialize_by_name_and_missing_means_off() {
        let rules = Preset::Balanced.rules();
        let json = serde_json::to_string(&rules).unwrap();
        assert!(json.contains("\"threat\":{\"hold\":0.5,\"reject\":null}"));
        assert_eq!(
            serde_json::from_str::<AttributeRules>(&json).unwrap(),
            rules
        );
        let partial: AttributeRules = serde_json::from_str(r#"{"threat":{"hold":0.3}}"#).unwrap();
        assert_eq!(partial.get(Attribute::Threat), AttributeRule::hold_at(0.3));
        assert_eq!(partial.get(Attribute::Insult), AttributeRule::OFF);
    }

    #[test]
    fn balanced_holds_nothing_for_profanity_alone() {
        assert_eq!(
            Preset::Balanced.rules().get(Attribute::Profanity),
            AttributeRule::OFF
        );
        let bad = AttributeRule {
            hold: Some(0.8),
            reject: Some(0.5),
        };
        assert!(!bad.is_valid());
    }
}
