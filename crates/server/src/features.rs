//! Each feature's own state, kept in `AppState` by its type so that the shared state names no
//! feature: a feature's state is put in when the server starts (`AppState::new` in `lib.rs`)
//! and the feature finds it again by its type.

use std::any::{Any, TypeId};
use std::collections::HashMap;

#[derive(Default)]
pub struct Features(HashMap<TypeId, Box<dyn Any + Send + Sync>>);

impl Features {
    /// Keeps `value` as the one state of its type (replacing any before it).
    pub fn insert<T: Any + Send + Sync>(&mut self, value: T) {
        self.0.insert(TypeId::of::<T>(), Box::new(value));
    }

    /// The state of type `T`, when it was put in.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.get(&TypeId::of::<T>())?.downcast_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::Features;

    #[test]
    fn each_type_finds_its_own_state() {
        let mut features = Features::default();
        assert_eq!(features.get::<u32>(), None);
        features.insert(7u32);
        features.insert(String::from("seven"));
        assert_eq!(features.get::<u32>(), Some(&7));
        assert_eq!(features.get::<String>().map(String::as_str), Some("seven"));
        features.insert(8u32);
        assert_eq!(features.get::<u32>(), Some(&8));
    }
}
