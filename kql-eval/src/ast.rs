//! The syntax tree of the KQL subset the evaluator reads. Every node that can be
//! wrong at run time carries its position.

use super::error::Pos;
use super::value::{Type, Value};

/// A whole query: `let` statements, then one tabular expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The `let` statements, in order.
    pub lets: Vec<Let>,
    /// The query's result.
    pub body: Tabular,
}

/// `let name = ...;`
#[derive(Debug, Clone, PartialEq)]
pub struct Let {
    /// The name bound.
    pub name: String,
    /// What it is bound to.
    pub value: LetValue,
    /// Where the name is written.
    pub pos: Pos,
}

/// What a `let` binds.
#[derive(Debug, Clone, PartialEq)]
pub enum LetValue {
    /// A scalar (or `dynamic`) value.
    Scalar(Expr),
    /// A table.
    Tabular(Tabular),
}

/// A source and the operators piped after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tabular {
    /// Where rows come from.
    pub source: Source,
    /// `| op` after it, in order.
    pub ops: Vec<Op>,
}

/// Where a tabular expression's rows come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A table given by the caller, or a `let`-bound table.
    Name {
        /// The name.
        name: String,
        /// Where.
        pos: Pos,
    },
    /// `_GetWatchlist('alias')`: the caller's table of that name.
    Watchlist {
        /// The alias.
        alias: String,
        /// Where.
        pos: Pos,
    },
    /// `datatable(col:type, ...)[values]`.
    Datatable {
        /// The schema.
        columns: Vec<(String, Type)>,
        /// The values, row after row.
        values: Vec<Expr>,
        /// Where.
        pos: Pos,
    },
    /// `union A, B, ...` at the start of an expression.
    Union {
        /// The inputs.
        inputs: Vec<Tabular>,
        /// Where `union` is written.
        pos: Pos,
    },
    /// `( tabular )`.
    Nested(Box<Tabular>),
}

/// A tabular operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `where predicate`.
    Where(Expr),
    /// `project a, b = expr`.
    Project(Vec<NamedExpr>),
    /// `project-away a, b*`.
    ProjectAway(Vec<(String, Pos)>),
    /// `extend a = expr`.
    Extend(Vec<NamedExpr>),
    /// `join kind=... (right) on ...`.
    Join {
        /// The kind.
        kind: JoinKind,
        /// The right side.
        right: Box<Tabular>,
        /// Pairs of (left column, right column).
        on: Vec<JoinKey>,
        /// Where `join` is written.
        pos: Pos,
    },
    /// `| union A, B`.
    Union {
        /// The inputs after the piped one.
        inputs: Vec<Tabular>,
        /// Where `union` is written.
        pos: Pos,
    },
    /// `distinct a, b` (`None`: `distinct *`).
    Distinct(Option<Vec<(String, Pos)>>),
    /// `order by` / `sort by`.
    Sort(Vec<SortKey>),
    /// `take n` / `limit n`.
    Take(Expr),
    /// `summarize [name =] count() by ...`, or `summarize by ...`.
    Summarize {
        /// The name of the count column, if `count()` is asked for.
        count: Option<String>,
        /// The group-by columns.
        by: Vec<NamedExpr>,
    },
}

/// An output column: its name and the expression that computes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedExpr {
    /// The output column's name.
    pub name: String,
    /// Its value.
    pub expr: Expr,
}

/// The join kinds the evaluator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `kind=inner`: every matching pair.
    Inner,
    /// `kind=leftouter`: every matching pair, and unmatched left rows with empty right columns.
    LeftOuter,
    /// `kind=leftanti`: left rows with no match, left columns only.
    LeftAnti,
}

/// One equality of a join: left column == right column.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinKey {
    /// The left column and where it is named.
    pub left: (String, Pos),
    /// The right column and where it is named.
    pub right: (String, Pos),
}

/// One `order by` key.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// What to sort by.
    pub expr: Expr,
    /// Descending (Kusto's default).
    pub desc: bool,
    /// Nulls first (default: first when ascending, last when descending).
    pub nulls_first: bool,
}

/// A scalar expression and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it starts (for operators: where the operator is written).
    pub pos: Pos,
}

/// Scalar expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Literal(Value),
    /// A column, or a `let`-bound scalar.
    Name(String),
    /// Member access and indexing: `x.a['b'][0]`.
    Path(Box<Expr>, Vec<Step>),
    /// A function call.
    Call(Func, Vec<Expr>),
    /// `a and b and ...`.
    And(Vec<Expr>),
    /// `a or b or ...`.
    Or(Vec<Expr>),
    /// `a == b`, `a < b`, ...
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// `a has b`, `a !contains b`, ...
    StrOp {
        /// The operator.
        op: StrOp,
        /// `!has` and friends.
        negated: bool,
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
    },
    /// `a in (...)`, `a !in~ (...)`, `a has_any (...)`.
    List {
        /// The operator.
        op: ListOp,
        /// `!in`, `!in~`.
        negated: bool,
        /// Left side.
        lhs: Box<Expr>,
        /// The list.
        items: Vec<ListItem>,
    },
}

/// One step of a member path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `.Field` or `['Field']`.
    Member(String),
    /// `[i]` (negative counts from the end).
    Index(i64),
}

/// One element of an `in` / `has_any` list.
#[derive(Debug, Clone, PartialEq)]
pub enum ListItem {
    /// A scalar (a `dynamic` array is flattened) or a `let`-bound name (a bound
    /// table gives its first column).
    Scalar(Expr),
    /// An inline tabular expression: its first column.
    Tabular(Tabular),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`.
    Eq,
    /// `!=` (or `<>`).
    Ne,
    /// `=~`.
    EqCi,
    /// `!~`.
    NeCi,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// String operators, each computed by the function of the same name in `kql`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrOp {
    /// `has`.
    Has,
    /// `has_cs`.
    HasCs,
    /// `hasprefix`.
    HasPrefix,
    /// `hassuffix`.
    HasSuffix,
    /// `contains`.
    Contains,
    /// `contains_cs`.
    ContainsCs,
    /// `startswith`.
    StartsWith,
    /// `endswith`.
    EndsWith,
}

impl StrOp {
    /// The operator written as `name`, if the evaluator implements it.
    pub fn from_name(name: &str) -> Option<StrOp> {
        Some(match name {
            "has" => StrOp::Has,
            "has_cs" => StrOp::HasCs,
            "hasprefix" => StrOp::HasPrefix,
            "hassuffix" => StrOp::HasSuffix,
            "contains" => StrOp::Contains,
            "contains_cs" => StrOp::ContainsCs,
            "startswith" => StrOp::StartsWith,
            "endswith" => StrOp::EndsWith,
            _ => return None,
        })
    }

    /// The function that computes it.
    pub fn function(self) -> fn(&str, &str) -> bool {
        match self {
            StrOp::Has => detections::kql::has,
            StrOp::HasCs => detections::kql::has_cs,
            StrOp::HasPrefix => detections::kql::hasprefix,
            StrOp::HasSuffix => detections::kql::hassuffix,
            StrOp::Contains => detections::kql::contains,
            StrOp::ContainsCs => detections::kql::contains_cs,
            StrOp::StartsWith => detections::kql::startswith,
            StrOp::EndsWith => detections::kql::endswith,
        }
    }
}

/// List operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOp {
    /// `in`: equal to an element, case-sensitive.
    In,
    /// `in~`: equal to an element, ASCII case-insensitive.
    InCi,
    /// `has_any`: `has` of an element.
    HasAny,
}

/// The scalar functions the evaluator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `tolower(s)`.
    ToLower,
    /// `toupper(s)`.
    ToUpper,
    /// `strcat(a, b, ...)`.
    Strcat,
    /// `trim_end(regex, s)`.
    TrimEnd,
    /// `replace_regex(s, regex, rewrite)`, with a literal rewrite.
    ReplaceRegex,
    /// `tostring(x)`.
    ToString,
    /// `parse_json(s)` (also `todynamic`, `parsejson`).
    ParseJson,
    /// `extract(regex, group, s)`.
    Extract,
    /// `iff(c, a, b)` (also `iif`).
    Iff,
    /// `isempty(x)`.
    IsEmpty,
    /// `isnotempty(x)`.
    IsNotEmpty,
    /// `isnull(x)`.
    IsNull,
    /// `isnotnull(x)`.
    IsNotNull,
    /// `not(b)`.
    Not,
    /// `tolong(x)` (also `toint`).
    ToLong,
    /// `ipv4_is_in_any_range(ip, range, ...)`.
    Ipv4InAnyRange,
    /// `ipv6_is_in_any_range(ip, range, ...)`.
    Ipv6InAnyRange,
    /// `ago(span)`: the time the query runs at, less a constant timespan.
    Ago,
    /// `now([span])`: the time the query runs at, plus an optional constant
    /// timespan.
    Now,
}

impl Func {
    /// The function called `name`, with its least and greatest argument counts.
    pub fn from_name(name: &str) -> Option<(Func, usize, usize)> {
        Some(match name {
            "tolower" => (Func::ToLower, 1, 1),
            "toupper" => (Func::ToUpper, 1, 1),
            "strcat" => (Func::Strcat, 1, 64),
            "trim_end" => (Func::TrimEnd, 2, 2),
            "replace_regex" => (Func::ReplaceRegex, 3, 3),
            "tostring" => (Func::ToString, 1, 1),
            "parse_json" | "todynamic" | "parsejson" => (Func::ParseJson, 1, 1),
            "extract" => (Func::Extract, 3, 3),
            "iff" | "iif" => (Func::Iff, 3, 3),
            "isempty" => (Func::IsEmpty, 1, 1),
            "isnotempty" => (Func::IsNotEmpty, 1, 1),
            "isnull" => (Func::IsNull, 1, 1),
            "isnotnull" => (Func::IsNotNull, 1, 1),
            "not" => (Func::Not, 1, 1),
            "tolong" | "toint" => (Func::ToLong, 1, 1),
            "ipv4_is_in_any_range" => (Func::Ipv4InAnyRange, 2, 64),
            "ipv6_is_in_any_range" => (Func::Ipv6InAnyRange, 2, 64),
            "ago" => (Func::Ago, 1, 1),
            "now" => (Func::Now, 0, 1),
            _ => return None,
        })
    }
}
