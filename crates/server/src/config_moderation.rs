//! The `[moderation]` settings: the defaults of every site's policy (mode, the preset of
//! per-attribute thresholds and its overrides, the nudge) and the external classifier. Part of
//! the configuration tree in `config`.

use rostra_core::attributes::{Attribute, AttributeRule, AttributeRules, Preset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ModerationConfig {
    /// `post_moderation` (publish unless a check holds it), `pre_moderation` (hold everything) or
    /// `pre_moderate_newcomers` (hold commenters with no published comment yet).
    pub mode: String,
    /// Hold comments with more links than this.
    pub max_links: u32,
    /// Distinct readers' reports that hold a published comment.
    pub reports_to_hold: u32,
    /// The thresholds the built-in model's attributes (toxicity, insult, identity_attack,
    /// threat, dehumanization, profanity) hold and reject at: `strict`, `balanced` or `lenient`
    /// (docs/moderating.md lists each preset's numbers).
    pub preset: String,
    /// Changes to the preset, per attribute: the score (0 to 1) from which it holds or rejects a
    /// comment, as `attributes.threat = { hold = 0.4, reject = 0.9 }` under `[moderation]` (or a
    /// `[moderation.attributes.threat]` table). A threshold left out keeps the preset's; 0 turns
    /// that step off (`hold = 0` and `reject = 0` turn the attribute off).
    pub attributes: BTreeMap<String, AttributeOverride>,
    /// Tell authors before their comment is stored when it would be held, with the words why;
    /// they may edit it or post it anyway.
    pub nudge: bool,
    /// Under pre-moderation, publish at once the comments of verified commenters (accounts with
    /// a confirmed address, guests who confirmed one) with this many approved comments (0: never).
    pub trust_after: u32,
    /// The same or nearly the same text posted again within this many seconds is held (0: the
    /// check is off).
    pub duplicate_window_secs: u64,
    /// URL of an external classifier to POST each comment to (empty: none; nothing leaves the
    /// server unless this is set). Plain `http://` (put a TLS proxy in front for remote ones).
    pub external_url: String,
    /// Secret for the `X-Rostra-Signature` HMAC-SHA256 of each request to the classifier.
    /// Secret: never printed.
    pub external_secret: String,
    /// Milliseconds to wait for the classifier.
    pub external_timeout_ms: u64,
    /// When the classifier fails or times out: `true` publishes as if it allowed the comment,
    /// `false` holds the comment for a moderator.
    pub external_fail_open: bool,
    /// Deprecated (before attributes): the toxicity attribute's `hold`. Still read, with a
    /// warning; `[moderation.attributes.toxicity]` wins when both are set.
    #[schemars(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toxicity_hold: Option<f64>,
    /// Deprecated: the toxicity attribute's `reject` (0: never), read like `toxicity_hold`.
    #[schemars(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toxicity_reject: Option<f64>,
}

/// One attribute's thresholds in the configuration: absent keeps the preset's, 0 turns it off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject: Option<f64>,
}

impl Default for ModerationConfig {
    fn default() -> Self {
        ModerationConfig {
            mode: "post_moderation".into(),
            max_links: 2,
            reports_to_hold: 3,
            preset: Preset::default().as_str().into(),
            attributes: BTreeMap::new(),
            nudge: true,
            trust_after: 0,
            duplicate_window_secs: 600,
            external_url: String::new(),
            external_secret: String::new(),
            external_timeout_ms: 2000,
            external_fail_open: true,
            toxicity_hold: None,
            toxicity_reject: None,
        }
    }
}

/// A configured threshold: 0 is off.
fn threshold(t: f64) -> Option<f32> {
    Some(t as f32).filter(|t| *t > 0.0)
}

fn in_range(t: f64) -> bool {
    (0.0..=1.0).contains(&t)
}

/// Applies one attribute's configured thresholds to `rules`; `label` names the setting in
/// problems (`moderation.attributes.threat`, or `moderation.toxicity` for the deprecated
/// `toxicity_hold` and `toxicity_reject`).
fn apply(
    rules: &mut AttributeRules,
    attribute: Attribute,
    label: &str,
    o: AttributeOverride,
    problems: &mut Vec<String>,
) {
    let legacy = label == "moderation.toxicity";
    let mut rule = rules.get(attribute);
    for (key, t, step) in [
        ("hold", o.hold, &mut rule.hold),
        ("reject", o.reject, &mut rule.reject),
    ] {
        let Some(t) = t else { continue };
        if !in_range(t) {
            let name = match legacy {
                true => format!("moderation.toxicity_{key}"),
                false => format!("{label}.{key}"),
            };
            problems.push(format!("{name}: {t} must be between 0 and 1"));
        }
        *step = threshold(t);
    }
    rules.set(attribute, rule);
}

impl ModerationConfig {
    /// The preset with the overrides (and the deprecated toxicity settings) applied, or every
    /// problem with them.
    pub fn attribute_rules(&self) -> Result<AttributeRules, Vec<String>> {
        let Some(preset) = Preset::parse(&self.preset) else {
            return Err(vec![format!(
                "moderation.preset: '{}' must be strict, balanced or lenient",
                self.preset
            )]);
        };
        let mut rules = preset.rules();
        let mut problems = Vec::new();
        let legacy = AttributeOverride {
            hold: self.toxicity_hold,
            reject: self.toxicity_reject,
        };
        let known: Vec<&str> = Attribute::ALL.iter().map(|a| a.as_str()).collect();
        let named = self.attributes.iter().map(|(name, o)| {
            let label = format!("moderation.attributes.{name}");
            (Attribute::parse(name).ok_or(label.clone()), label, *o)
        });
        let all = std::iter::once((
            Ok(Attribute::Toxicity),
            "moderation.toxicity".into(),
            legacy,
        ));
        for (attribute, label, o) in all.chain(named) {
            match attribute {
                Ok(attribute) => apply(&mut rules, attribute, &label, o, &mut problems),
                Err(label) => problems.push(format!(
                    "{label}: unknown attribute (the attributes are {})",
                    known.join(", ")
                )),
            }
        }
        for attribute in Attribute::ALL {
            if let AttributeRule {
                hold: Some(hold),
                reject: Some(reject),
            } = rules.get(attribute)
            {
                if reject < hold {
                    problems.push(format!(
                        "moderation.attributes.{attribute}: reject ({reject}) must not be below \
                         hold ({hold}), counting the {} preset's thresholds",
                        preset.as_str()
                    ));
                }
            }
        }
        match problems.is_empty() {
            true => Ok(rules),
            false => Err(problems),
        }
    }

    /// Settings that still work but should be rewritten.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.toxicity_hold.is_some() || self.toxicity_reject.is_some() {
            w.push(
                "moderation.toxicity_hold and toxicity_reject are deprecated: they are read as \
                 the toxicity attribute's thresholds; write [moderation.attributes.toxicity] \
                 with hold and reject instead"
                    .into(),
            );
        }
        w
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn with(toml_text: &str) -> ModerationConfig {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn the_preset_with_overrides_and_zero_turning_a_step_off() {
        let m = with(
            "preset = \"strict\"\n[attributes.threat]\nhold = 0.3\n[attributes.insult]\nhold = 0\n",
        );
        let rules = m.attribute_rules().unwrap();
        let strict = Preset::Strict.rules();
        assert_eq!(
            rules.get(Attribute::Threat),
            AttributeRule {
                hold: Some(0.3),
                reject: strict.get(Attribute::Threat).reject,
            }
        );
        assert_eq!(rules.get(Attribute::Insult), AttributeRule::OFF);
        assert_eq!(
            rules.get(Attribute::Toxicity),
            strict.get(Attribute::Toxicity)
        );
        assert_eq!(
            ModerationConfig::default().attribute_rules().unwrap(),
            Preset::Balanced.rules()
        );
        assert!(ModerationConfig::default().warnings().is_empty());
    }

    #[test]
    fn every_problem_is_named() {
        let m = with("preset = \"harsh\"\n[attributes.threat]\nhold = 0.4\n");
        assert_eq!(
            m.attribute_rules().unwrap_err(),
            ["moderation.preset: 'harsh' must be strict, balanced or lenient"]
        );
        let m = with(
            "[attributes.sarcasm]\nhold = 0.4\n[attributes.threat]\nhold = 1.5\n\
             [attributes.insult]\nhold = 0.8\nreject = 0.6\n",
        );
        let problems = m.attribute_rules().unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("moderation.attributes.sarcasm: unknown attribute"));
        assert_eq!(
            problems[1],
            "moderation.attributes.threat.hold: 1.5 must be between 0 and 1"
        );
        assert!(problems[2].starts_with(
            "moderation.attributes.insult: reject (0.6) must not be below hold (0.8)"
        ));
        assert!(toml::from_str::<ModerationConfig>("[attributes.threat]\nhld = 0.4\n").is_err());
    }

    #[test]
    fn the_old_toxicity_settings_still_work_with_a_warning() {
        let m = with("toxicity_hold = 0.8\ntoxicity_reject = 0.0\n");
        let rules = m.attribute_rules().unwrap();
        assert_eq!(rules.get(Attribute::Toxicity), AttributeRule::hold_at(0.8));
        assert_eq!(
            rules.get(Attribute::Threat),
            Preset::Balanced.rules().get(Attribute::Threat)
        );
        assert_eq!(m.warnings().len(), 1);
        let both = with("toxicity_hold = 0.8\n[attributes.toxicity]\nhold = 0.6\nreject = 0.95\n");
        assert_eq!(
            both.attribute_rules().unwrap().get(Attribute::Toxicity),
            AttributeRule {
                hold: Some(0.6),
                reject: Some(0.95),
            }
        );
        assert_eq!(
            with("toxicity_hold = 2.0\n").attribute_rules().unwrap_err(),
            ["moderation.toxicity_hold: 2 must be between 0 and 1"]
        );
    }
}
