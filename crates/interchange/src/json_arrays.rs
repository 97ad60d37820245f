//! Streaming the arrays of a JSON export document (`{"version":…, "comments":[…], …}`) element
//! by element, so a document of any size is read in bounded memory. One pass reads one array.

use crate::ReadError;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::fmt;
use std::io::Read;

type OnElement<'a, T> = dyn FnMut(T) -> Result<(), ReadError> + 'a;

/// Reads the document, handing each element of the array under `key` to `on_element` (and
/// skipping the rest). Answers the document's `version` when it has one.
pub(crate) fn stream_array<T: DeserializeOwned>(
    input: impl Read,
    key: &str,
    on_element: &mut OnElement<'_, T>,
) -> Result<Option<i64>, ReadError> {
    let mut failure = None;
    let mut version = None;
    let mut object = Object {
        key,
        on_element,
        failure: &mut failure,
        version: &mut version,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let outcome = de::Deserializer::deserialize_map(&mut de, &mut object).and_then(|()| de.end());
    if let Some(f) = failure {
        return Err(f);
    }
    outcome.map_err(|e| ReadError::json(&e))?;
    Ok(version)
}

struct Object<'a, 'b, T> {
    key: &'a str,
    on_element: &'a mut OnElement<'b, T>,
    failure: &'a mut Option<ReadError>,
    version: &'a mut Option<i64>,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for &mut Object<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(k) = map.next_key::<String>()? {
            if k == "version" {
                *self.version = map.next_value::<Option<i64>>()?;
            } else if k == self.key {
                map.next_value_seed(Array {
                    on_element: &mut *self.on_element,
                    failure: &mut *self.failure,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Array<'a, 'b, T> {
    on_element: &'a mut OnElement<'b, T>,
    failure: &'a mut Option<ReadError>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Array<'_, '_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Array<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array")
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while let Some(element) = seq.next_element::<T>()? {
            if let Err(e) = (self.on_element)(element) {
                *self.failure = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}
