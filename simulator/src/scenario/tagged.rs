//! A TOML table read as a serde enum tagged by one of its keys, keeping the
//! position of every key and value.
//!
//! The generator table holds the generator's own fields, `template = "<name>"`
//! and that template's parameters side by side. Serde reads the parameters as an
//! enum (one variant per template, each a struct that denies unknown fields), but
//! serde's own internally tagged enums buffer the table and lose where each value
//! was. Here the table's entries, each with its span, are handed to the enum as
//! `{<tag value>: {<other entries>}}`, so every error says which key it is about
//! and where that key is.

use std::fmt;
use std::ops::Range;
use std::slice;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Error as _, IntoDeserializer, Visitor};
use toml::{Spanned, Value};

/// One entry of a table: its key and its value, each with its span.
pub(super) type Entry<'a> = (&'a Spanned<String>, &'a Spanned<Value>);

/// A problem reading the enum, with the key it is about and where.
#[derive(Debug)]
pub(super) struct FieldError {
    /// The key (a missing field's name, an unknown field, or the key whose value
    /// is wrong).
    pub(super) key: Option<String>,
    /// Where in the text; `None` for a missing field.
    pub(super) span: Option<Range<usize>>,
    /// What is wrong.
    pub(super) message: String,
    /// For an unknown field: the fields the variant takes.
    pub(super) expected: Option<&'static [&'static str]>,
}

impl FieldError {
    fn at(mut self, key: &Spanned<String>, span: Range<usize>) -> FieldError {
        self.key.get_or_insert_with(|| key.get_ref().clone());
        self.span.get_or_insert(span);
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

impl de::Error for FieldError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FieldError {
            key: None,
            span: None,
            message: msg.to_string(),
            expected: None,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        FieldError {
            key: Some(field.to_owned()),
            ..FieldError::custom(format_args!("missing field `{field}`"))
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        FieldError {
            key: Some(field.to_owned()),
            expected: Some(expected),
            ..FieldError::custom(format_args!("unknown field `{field}`"))
        }
    }
}

/// Read `T`, a serde enum, from a table: `tag`'s value names the variant and
/// `fields` are the variant's fields.
pub(super) fn read<T: DeserializeOwned>(
    tag: Entry<'_>,
    fields: &[Entry<'_>],
) -> Result<T, FieldError> {
    T::deserialize(Tagged { tag, fields })
}

/// The table as an enum.
struct Tagged<'a> {
    tag: Entry<'a>,
    fields: &'a [Entry<'a>],
}

impl<'de, 'a> de::Deserializer<'de> for Tagged<'a> {
    type Error = FieldError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, 'a> de::EnumAccess<'de> for Tagged<'a> {
    type Error = FieldError;
    type Variant = Fields<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Fields<'a>), FieldError> {
        let (key, value) = self.tag;
        let variant = match value.get_ref() {
            Value::String(name) => seed.deserialize(name.as_str().into_deserializer()),
            other => Err(de::Error::custom(format_args!(
                "expected a name, found {}",
                other.type_str()
            ))),
        };
        let variant = variant.map_err(|e: FieldError| e.at(key, value.span()))?;
        Ok((variant, Fields(self.fields)))
    }
}

/// The variant's fields, as a map.
struct Fields<'a>(&'a [Entry<'a>]);

impl<'de, 'a> de::VariantAccess<'de> for Fields<'a> {
    type Error = FieldError;

    fn unit_variant(self) -> Result<(), FieldError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, FieldError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}

impl<'de, 'a> de::Deserializer<'de> for Fields<'a> {
    type Error = FieldError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_map(FieldsAccess {
            entries: self.0.iter(),
            current: None,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Walks the fields: each key, then its value, read by TOML's own deserializer.
struct FieldsAccess<'a> {
    entries: slice::Iter<'a, Entry<'a>>,
    current: Option<Entry<'a>>,
}

impl<'de, 'a> de::MapAccess<'de> for FieldsAccess<'a> {
    type Error = FieldError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, FieldError> {
        let Some(&(key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.current = Some((key, value));
        seed.deserialize(key.get_ref().as_str().into_deserializer())
            .map(Some)
            .map_err(|e: FieldError| e.at(key, key.span()))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, FieldError> {
        let (key, value) = self
            .current
            .take()
            .ok_or_else(|| de::Error::custom("a value was asked for before its key"))?;
        seed.deserialize(ValueDeserializer(value.get_ref().clone()))
            .map_err(|e| FieldError::custom(e.message()).at(key, value.span()))
    }
}

/// TOML's own reading of a value, except that a value that is not a string where
/// one of a list of names is expected says so (TOML's own message is "unit
/// variant, expected string only").
struct ValueDeserializer(Value);

impl<'de> de::Deserializer<'de> for ValueDeserializer {
    type Error = toml::de::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(visitor)
    }

    // A value that is there is `Some` (absent fields are `None`), as in TOML.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(_) => self.0.deserialize_enum(name, variants, visitor),
            other => Err(de::Error::custom(format_args!(
                "expected one of `{}`, found {}",
                variants.join("`, `"),
                other.type_str()
            ))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}
