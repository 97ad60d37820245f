//! The configuration reference, generated from the doc comments of the config tree: the
//! annotated `rostra.toml` that `rostra config default` prints and docs/config.md embeds.

use crate::config::Config;
use serde_json::Value;

/// An annotated `rostra.toml` with every setting at its default.
pub fn annotated_default_toml() -> String {
    let schema = schemars::schema_for!(Config);
    let root = schema.as_value();
    let defaults = serde_json::to_value(Config::default()).unwrap_or(Value::Null);
    let mut out = String::new();
    push_comment(&mut out, description(root));
    let Some(sections) = root.get("properties").and_then(Value::as_object) else {
        return out;
    };
    for (section, section_schema) in sections {
        out.push('\n');
        push_comment(&mut out, description(section_schema));
        out.push_str(&format!("[{section}]\n"));
        let resolved = resolve(root, section_schema);
        let Some(fields) = resolved.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (field, field_schema) in fields {
            push_comment(&mut out, description(field_schema));
            let value = &defaults[section][field];
            if value.as_object().is_some_and(|o| o.is_empty()) {
                // An empty inline table would close the key to later `[section.field.x]` tables.
                out.push_str(&format!("# ({field}: none set)\n"));
                continue;
            }
            out.push_str(&format!("{field} = {}\n", toml_value(value)));
        }
    }
    out
}

fn description(schema: &Value) -> &str {
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Follows a `$ref` into `$defs`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let target = schema
        .get("$ref")
        .or_else(|| {
            schema
                .get("allOf")
                .and_then(|a| a.get(0))
                .and_then(|s| s.get("$ref"))
        })
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"));
    match target {
        Some(name) => &root["$defs"][name],
        None => schema,
    }
}

fn push_comment(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push_str("# ");
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn toml_value(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(toml_value).collect::<Vec<_>>().join(", ")
            )
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_documented_and_parses_back() {
        let text = annotated_default_toml();
        let parsed: Config = toml::from_str(&text).unwrap();
        assert_eq!(
            toml::to_string(&parsed).unwrap(),
            toml::to_string(&Config::default()).unwrap()
        );
        let mut previous = "";
        for line in text.lines() {
            if line.contains(" = ") {
                assert!(previous.starts_with("# "), "undocumented setting: {line}");
            }
            previous = line;
        }
        assert!(text.contains("[server]\n") && text.contains("listen = \"127.0.0.1:8080\""));
    }
}
