//! The moderation policy on a site's admin page: reading it from the form (the preset picker,
//! the per-attribute threshold table, the nudge), checking it, showing it, and saying what a
//! save changed for the audit log.

use super::{AdminError, FormFields};
use rostra_core::attributes::{Attribute, AttributeRule, AttributeRules, Preset};
use rostra_core::moderation::{ModerationMode, SitePolicy};

/// The picker's value for thresholds that match no preset.
pub const CUSTOM: &str = "custom";

/// One row of the threshold table.
pub struct RuleRow {
    pub name: &'static str,
    pub about: &'static str,
    pub hold: String,
    pub reject: String,
}

/// A preset in the picker, with its thresholds for the page's script to fill the table with.
pub struct PresetOption {
    pub value: &'static str,
    pub label: &'static str,
    /// `{"threat":["0.5",""],…}`: hold and reject as the table shows them.
    pub rules: String,
}

fn about(a: Attribute) -> &'static str {
    match a {
        Attribute::Toxicity => "rude, disrespectful or abusive on the whole",
        Attribute::Insult => "attacks on a person: name-calling, belittling",
        Attribute::IdentityAttack => "hate against a group for who they are",
        Attribute::Threat => "threats and calls for violence",
        Attribute::Dehumanization => "people likened to vermin, disease, animals",
        Attribute::Profanity => "swearing, whoever it is aimed at",
    }
}

fn shown(t: Option<f32>) -> String {
    t.map(|t| t.to_string()).unwrap_or_default()
}

pub fn rows(rules: &AttributeRules) -> Vec<RuleRow> {
    Attribute::ALL
        .into_iter()
        .map(|a| RuleRow {
            name: a.as_str(),
            about: about(a),
            hold: shown(rules.get(a).hold),
            reject: shown(rules.get(a).reject),
        })
        .collect()
}

pub fn presets() -> Vec<PresetOption> {
    let mut all = vec![PresetOption {
        value: CUSTOM,
        label: "Custom (the table below)",
        rules: String::new(),
    }];
    for p in Preset::ALL {
        let rules: serde_json::Map<String, serde_json::Value> = rows(&p.rules())
            .into_iter()
            .map(|r| (r.name.to_string(), serde_json::json!([r.hold, r.reject])))
            .collect();
        all.push(PresetOption {
            value: p.as_str(),
            label: match p {
                Preset::Strict => "Strict: holds more, rejects clear threats and dehumanization",
                Preset::Balanced => "Balanced (default): holds attacks, hate and threats",
                Preset::Lenient => "Lenient: holds only clear attacks, hate and threats",
            },
            rules: serde_json::Value::Object(rules).to_string(),
        });
    }
    all
}

/// The preset whose thresholds these are, or [`CUSTOM`].
pub fn preset_of(rules: &AttributeRules) -> &'static str {
    Preset::ALL
        .into_iter()
        .find(|p| p.rules() == *rules)
        .map_or(CUSTOM, Preset::as_str)
}

fn number<T: std::str::FromStr>(f: &FormFields, name: &str) -> Result<T, AdminError> {
    f.get(name)
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| AdminError::BadRequest(format!("{name} must be a number")))
}

/// The policy the form asks for; `current` fills what the form leaves out.
pub fn read(f: &FormFields, current: &SitePolicy) -> Result<SitePolicy, AdminError> {
    Ok(SitePolicy {
        mode: f
            .get("mode")
            .and_then(ModerationMode::parse)
            .ok_or_else(|| AdminError::BadRequest("unknown mode".into()))?,
        max_links: number(f, "max_links")?,
        edit_window_secs: number(f, "edit_window_secs")?,
        close_after_days: number(f, "close_after_days")?,
        reports_to_hold: number::<u32>(f, "reports_to_hold")?.max(1),
        banned_words: f.lines("banned_words"),
        suspect_words: f.lines("suspect_words"),
        trust_after: f
            .get("trust_after")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0),
        attributes: attribute_rules(f, &current.attributes)?,
        nudge: f.get("nudge").is_some(),
    })
}

/// A preset picked anew (other than the one the page showed) replaces the thresholds; else the
/// table is read, a field left out of the form keeping its current value.
fn attribute_rules(f: &FormFields, current: &AttributeRules) -> Result<AttributeRules, AdminError> {
    let picked = f.get("preset").unwrap_or(CUSTOM);
    if picked != CUSTOM {
        let preset = Preset::parse(picked)
            .ok_or_else(|| AdminError::BadRequest(format!("unknown preset: {picked}")))?;
        if f.get("preset_shown") != Some(picked) {
            return Ok(preset.rules());
        }
    }
    let mut rules = *current;
    for a in Attribute::ALL {
        let mut rule = rules.get(a);
        for (step, value) in [("hold", &mut rule.hold), ("reject", &mut rule.reject)] {
            if let Some(text) = f.get(&format!("{step}_{a}")) {
                *value = threshold(text).ok_or_else(|| {
                    AdminError::BadRequest(format!(
                        "{a}: the {step} threshold ({}) must be a number from 0 to 1 \
                         (empty or 0: off)",
                        text.trim()
                    ))
                })?;
            }
        }
        if !rule.is_valid() {
            return Err(AdminError::BadRequest(format!(
                "{a}: rejecting ({}) must not start below holding ({})",
                shown(rule.reject),
                shown(rule.hold)
            )));
        }
        rules.set(a, rule);
    }
    Ok(rules)
}

/// A threshold from the table: `Some(None)` for off (empty or 0), `None` when invalid.
fn threshold(text: &str) -> Option<Option<f32>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    let t: f32 = text.parse().ok()?;
    (0.0..=1.0)
        .contains(&t)
        .then_some(Some(t).filter(|t| *t > 0.0))
}

fn rule_text(r: AttributeRule) -> String {
    match (r.hold, r.reject) {
        (None, None) => "off".into(),
        (h, j) => format!("hold {}, reject {}", shown_or_off(h), shown_or_off(j)),
    }
}

fn shown_or_off(t: Option<f32>) -> String {
    t.map_or_else(|| "off".into(), |t| t.to_string())
}

fn words_changed(what: &str, old: &[String], new: &[String]) -> Option<String> {
    let added: Vec<&str> = new
        .iter()
        .filter(|w| !old.contains(w))
        .map(String::as_str)
        .collect();
    let removed: Vec<&str> = old
        .iter()
        .filter(|w| !new.contains(w))
        .map(String::as_str)
        .collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", removed.join(", ")));
    }
    (!parts.is_empty()).then(|| format!("{what}: {}", parts.join("; ")))
}

/// What differs between two policies, one change per entry ("threat hold 0.5 → 0.4").
pub fn changes(old: &SitePolicy, new: &SitePolicy) -> Vec<String> {
    let pairs = setting_pairs(old, new);
    let mut out: Vec<String> = pairs
        .into_iter()
        .filter(|(_, was, is)| was != is)
        .map(|(name, was, is)| format!("{name} {was} → {is}"))
        .collect();
    out.extend(words_changed(
        "banned words",
        &old.banned_words,
        &new.banned_words,
    ));
    out.extend(words_changed(
        "suspect words",
        &old.suspect_words,
        &new.suspect_words,
    ));
    let presets = (preset_of(&old.attributes), preset_of(&new.attributes));
    if presets.0 != presets.1 {
        out.insert(0, format!("preset {} → {}", presets.0, presets.1));
    }
    out
}

/// Each setting of a policy by name, as it was and as it is.
fn setting_pairs(old: &SitePolicy, new: &SitePolicy) -> Vec<(&'static str, String, String)> {
    let on = |b: bool| (if b { "on" } else { "off" }).to_string();
    let both = |f: fn(&SitePolicy) -> String| (f(old), f(new));
    let mut pairs = Vec::new();
    for (name, (was, is)) in [
        ("mode", both(|p| p.mode.as_str().to_string())),
        ("max_links", both(|p| p.max_links.to_string())),
        ("edit_window_secs", both(|p| p.edit_window_secs.to_string())),
        ("close_after_days", both(|p| p.close_after_days.to_string())),
        ("reports_to_hold", both(|p| p.reports_to_hold.to_string())),
        ("trust_after", both(|p| p.trust_after.to_string())),
    ] {
        pairs.push((name, was, is));
    }
    for a in Attribute::ALL {
        let (was, is) = (
            rule_text(old.attributes.get(a)),
            rule_text(new.attributes.get(a)),
        );
        pairs.push((a.as_str(), was, is));
    }
    pairs.push(("nudge", on(old.nudge), on(new.nudge)));
    pairs
}
