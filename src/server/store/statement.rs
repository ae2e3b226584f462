//! A statement and its rows, in a form both databases take: the SQL text (one set for
//! both dialects, `$1`-style placeholders) with its values bound and owned, so it can
//! travel to SQLite's writer thread, or be bound to a sqlx query for PostgreSQL.

use sqlx::{any::AnyArguments, query::Query, Any};

/// A bound value. A NULL keeps its type: PostgreSQL needs it to type the parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    NullInt,
    NullText,
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_string())
    }
}

impl From<Vec<u8>> for Value {
    fn from(value: Vec<u8>) -> Self {
        Value::Blob(value)
    }
}

impl From<Option<i64>> for Value {
    fn from(value: Option<i64>) -> Self {
        value.map_or(Value::NullInt, Value::Int)
    }
}

impl From<Option<String>> for Value {
    fn from(value: Option<String>) -> Self {
        value.map_or(Value::NullText, Value::Text)
    }
}

/// SQL with its values.
#[derive(Debug, Clone)]
pub(super) struct Statement {
    pub sql: &'static str,
    pub values: Vec<Value>,
}

impl Statement {
    pub fn new(sql: &'static str) -> Self {
        Self {
            sql,
            values: Vec::new(),
        }
    }

    /// Binds the next placeholder (`$1`, then `$2`, …).
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.values.push(value.into());
        self
    }

    /// The same statement as a sqlx query (for PostgreSQL), its text and blobs bound by
    /// reference: the statement stays whole, so it can run again.
    pub fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        self.values
            .iter()
            .fold(sqlx::query(self.sql), |query, value| match value {
                Value::Int(value) => query.bind(*value),
                Value::Real(value) => query.bind(*value),
                Value::Text(value) => query.bind(value.as_str()),
                Value::Blob(value) => query.bind(value.as_slice()),
                Value::NullInt => query.bind(None::<i64>),
                Value::NullText => query.bind(None::<String>),
            })
    }
}

/// A row SQLite's writer returned, by column name.
#[derive(Debug)]
pub(super) struct Values {
    pub names: std::sync::Arc<[String]>,
    pub values: Vec<Value>,
}

impl Values {
    fn value(&self, name: &str) -> Option<&Value> {
        let at = self.names.iter().position(|column| column == name)?;
        self.values.get(at)
    }
}

/// A type a column can be read as, from either kind of row.
pub(super) trait Column: Sized + for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> {
    fn from_value(value: &Value) -> Option<Self>;
}

impl Column for i64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(value) => Some(*value),
            _ => None,
        }
    }
}

impl Column for String {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(value) => Some(value.clone()),
            _ => None,
        }
    }
}

impl Column for Vec<u8> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Blob(value) => Some(value.clone()),
            _ => None,
        }
    }
}

impl<T: Column> Column for Option<T>
where
    Option<T>: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any>,
{
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::NullInt | Value::NullText => Some(None),
            value => T::from_value(value).map(Some),
        }
    }
}

/// Rows of either kind: the pool's and the writer's.
pub(super) trait ReadRow {
    fn read<T: Column>(&self, name: &str) -> Result<T, String>;
}

impl ReadRow for sqlx::any::AnyRow {
    fn read<T: Column>(&self, name: &str) -> Result<T, String> {
        sqlx::Row::try_get(self, name).map_err(|error| error.to_string())
    }
}

impl ReadRow for Values {
    fn read<T: Column>(&self, name: &str) -> Result<T, String> {
        let value = self
            .value(name)
            .ok_or_else(|| format!("no column {name:?}"))?;
        T::from_value(value).ok_or_else(|| format!("column {name:?} has another type"))
    }
}

/// A row a writing statement returned: from PostgreSQL's pool or from SQLite's writer.
pub(super) enum Row {
    Pool(sqlx::any::AnyRow),
    Writer(Values),
}

impl ReadRow for Row {
    fn read<T: Column>(&self, name: &str) -> Result<T, String> {
        match self {
            Row::Pool(row) => row.read(name),
            Row::Writer(row) => row.read(name),
        }
    }
}

/// What a statement's caller wants back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    /// How many rows it changed.
    Changed,
    /// The rows it returned (`RETURNING`).
    Rows,
}

/// What a writing statement answers: the rows it changed, or the rows it returned (the
/// writer's own kind of row: SQLite's [`Values`], PostgreSQL's `AnyRow`).
#[derive(Debug)]
pub(super) enum Outcome<R = Values> {
    Changed(u64),
    Rows(Vec<R>),
}

impl<R> Outcome<R> {
    /// How many rows the statement changed (or returned).
    pub fn changed(self) -> u64 {
        match self {
            Outcome::Changed(changed) => changed,
            Outcome::Rows(rows) => rows.len() as u64,
        }
    }

    /// The rows the statement returned (none, if it was not asked for rows).
    pub fn rows(self) -> Vec<R> {
        match self {
            Outcome::Rows(rows) => rows,
            Outcome::Changed(_) => Vec::new(),
        }
    }

    /// The same answer, each row made into another kind.
    pub fn map<T>(self, row: impl FnMut(R) -> T) -> Outcome<T> {
        match self {
            Outcome::Changed(changed) => Outcome::Changed(changed),
            Outcome::Rows(rows) => Outcome::Rows(rows.into_iter().map(row).collect()),
        }
    }
}
