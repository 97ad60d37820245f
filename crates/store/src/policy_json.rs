//! A site's per-attribute thresholds as stored: the JSON form of `AttributeRules` in one text
//! column (`{"threat": {"hold": 0.5, "reject": null}, …}`; an attribute left out is off).

use rostra_core::attributes::AttributeRules;
use rostra_core::StoreError;

pub(crate) fn rules_to_json(rules: &AttributeRules) -> String {
    serde_json::to_string(rules).unwrap_or_else(|_| "{}".into())
}

pub(crate) fn rules_from_json(text: &str) -> Result<AttributeRules, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Other(format!("a site policy's attribute thresholds: {e}")))
}
