//! Compiled conditions: predicates (`field op (values)`), `any` and `all`, and the
//! [`Match`]es that explain them.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::event::{Event, Field};
use crate::ioc::{IocKind, KindSet};
use crate::kql;
use crate::matcher::indicator::{row_address, AddressSet, DigestSet, MatchKind, PortMatch, UrlSet};
use crate::matcher::{HasAny, HasAnyFast, HasAnyReference};
use crate::spec::OpName;

/// Which `has_any` implementation a compiled detection runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// [`HasAnyFast`]: the term-start index (see [`crate::matcher`]).
    #[default]
    Fast,
    /// [`HasAnyReference`]: one plain `has` per needle.
    Reference,
}

/// A compiled predicate: `field op (values)`, true when it holds for any value.
#[derive(Debug, Clone)]
pub struct Pred {
    field: Field,
    op: OpName,
    /// Shared by the predicates that read the same list (`values_from`).
    values: Arc<[String]>,
    has_any: Option<Box<dyn HasAnyDyn>>,
    /// The kind of the indicator list `values_from` named, if any.
    list: Option<IocKind>,
    /// An address, URL or digest list's matcher (`in` over such a list).
    indicator: Option<Indicator>,
    /// Whether an `ip:port` list needs the row's port (the hunt's `match`).
    ports: PortMatch,
}

/// A typed indicator list's matcher: how an `in` over addresses, URLs or
/// digests holds.
#[derive(Debug, Clone)]
enum Indicator {
    Addresses(AddressSet),
    Urls(UrlSet),
    Digests(DigestSet),
}

trait HasAnyDyn: HasAny + fmt::Debug + Send + Sync {
    fn clone_box(&self) -> Box<dyn HasAnyDyn>;
}
impl<T: HasAny + fmt::Debug + Clone + Send + Sync + 'static> HasAnyDyn for T {
    fn clone_box(&self) -> Box<dyn HasAnyDyn> {
        Box::new(self.clone())
    }
}
impl Clone for Box<dyn HasAnyDyn> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

impl Pred {
    /// A predicate; `has` and `has_any` run on `engine`. The caller has checked
    /// that `values` is not empty and holds no empty value.
    pub(super) fn new(field: Field, op: OpName, values: Arc<[String]>, engine: Engine) -> Self {
        let has_any: Option<Box<dyn HasAnyDyn>> = match op {
            OpName::Has | OpName::HasAny => Some(match engine {
                Engine::Fast => Box::new(HasAnyFast::new(&values)),
                Engine::Reference => Box::new(HasAnyReference::new(&values)),
            }),
            _ => None,
        };
        Self {
            field,
            op,
            values,
            has_any,
            list: None,
            indicator: None,
            ports: PortMatch::default(),
        }
    }

    /// A predicate over the indicator list of `kind` (`values_from`): a
    /// domain list runs as written (`has_any`); an address, URL or digest
    /// list, which the compiler allows under `in` only, runs its kind's
    /// matcher (`ports` says whether an `ip:port` needs the row's port).
    pub(super) fn over_list(
        field: Field,
        op: OpName,
        values: Arc<[String]>,
        engine: Engine,
        kind: IocKind,
        ports: PortMatch,
    ) -> Self {
        let indicator = match kind {
            IocKind::Domain => None,
            IocKind::Ipv4 | IocKind::Ipv6 | IocKind::IpPort | IocKind::Cidr => {
                Some(Indicator::Addresses(AddressSet::new(kind, &values, ports)))
            }
            IocKind::Url => Some(Indicator::Urls(UrlSet::new(&values))),
            IocKind::Sha256 | IocKind::Sha1 | IocKind::Md5 => {
                Some(Indicator::Digests(DigestSet::new(kind, &values)))
            }
        };
        // The compiler allows these lists under `in` only: no `has` matcher
        // is built beside the kind's own.
        let mut p = Pred::new(field, op, values, engine);
        p.list = Some(kind);
        p.indicator = indicator;
        p.ports = ports;
        p
    }

    /// On a row, the first indicator this predicate's list matches: its
    /// position, the row's value it matched on, and how. `None` for a
    /// predicate that is not over an indicator matcher, or no match.
    fn indicator_match<'e>(&self, ev: &'e Event) -> Option<(usize, &'e str, MatchKind)> {
        let ind = self.indicator.as_ref()?;
        let net = ev.net.as_ref();
        match ind {
            Indicator::Addresses(set) => {
                let v = ev.field(self.field)?;
                let port = match self.field {
                    Field::RemoteIp => net.and_then(|n| n.remote_port),
                    _ => None,
                };
                let (i, how) = set.find(row_address(v)?, port)?;
                Some((i, v, how))
            }
            Indicator::Urls(set) => match ev.field(Field::Url) {
                // A row with the full URL is judged on it alone.
                Some(url) => set.find_url(url).map(|(i, how)| (i, url, how)),
                None => {
                    let host = ev.field(Field::RemoteHost)?;
                    set.find_host(host).map(|(i, how)| (i, host, how))
                }
            },
            Indicator::Digests(set) => {
                let v = ev.field(self.field)?;
                set.find(v).map(|(i, how)| (i, v, how))
            }
        }
    }

    /// How a domain list's match holds: on a name the program asked for, or
    /// on the sensor's own reverse lookup.
    fn domain_how(&self, ev: &Event) -> Option<MatchKind> {
        (self.list == Some(IocKind::Domain)).then(|| {
            let reverse = self.field == Field::RemoteHost
                && ev.net.as_ref().is_some_and(|n| n.reverse_lookup);
            if reverse {
                MatchKind::DomainReverseLookup
            } else {
                MatchKind::Domain
            }
        })
    }

    /// Index of the first value the field's content satisfies, if any.
    fn first_match(&self, v: &str) -> Option<usize> {
        if let Some(m) = &self.has_any {
            return m.first_match(v);
        }
        let test: fn(&str, &str) -> bool = match self.op {
            OpName::Has | OpName::HasAny => kql::has,
            OpName::HasCs => kql::has_cs,
            OpName::HasPrefix => kql::hasprefix,
            OpName::HasSuffix => kql::hassuffix,
            OpName::Contains => kql::contains,
            OpName::ContainsCs => kql::contains_cs,
            OpName::StartsWith => kql::startswith,
            OpName::EndsWith => kql::endswith,
            OpName::Eq | OpName::In => kql::eq,
            OpName::EqCi | OpName::InCi => kql::eq_ci,
        };
        self.values.iter().position(|r| test(v, r))
    }

    /// The kind of the indicator list `values_from` named, if any.
    pub(super) fn list(&self) -> Option<IocKind> {
        self.list
    }

    fn term(&self) -> Term<'_> {
        Term {
            field: self.field,
            op: self.op,
            values: &self.values,
            list: self.list,
            ports: self.ports,
        }
    }
}

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum Cond {
    /// One predicate.
    Pred(Pred),
    /// Any of these.
    Any(Vec<Cond>),
    /// All of these.
    All(Vec<Cond>),
}

/// One predicate as a dialect sees it: the field, the operator and the
/// right-hand values.
#[derive(Debug, Clone, Copy)]
pub struct Term<'c> {
    /// The field read.
    pub field: Field,
    /// The operator.
    pub op: OpName,
    /// The right-hand values (the predicate holds when the operator holds for any).
    pub values: &'c [String],
    /// The kind of the indicator list the values are (`values_from`), if any:
    /// an address, URL or digest list matches by its kind's rule, not by `op`.
    pub list: Option<IocKind>,
    /// Whether an `ip:port` list needs the row's port (the hunt's `match`).
    pub ports: PortMatch,
}

/// A language a condition is written in (KQL, Sigma, the text of
/// [`Cond`]'s `Display`): what a predicate becomes, and how the parts of an
/// `any` and of an `all` are joined. [`Cond::write`] walks the typed condition
/// once, depth first, and hands each level to the dialect.
pub trait Dialect<'c> {
    /// What a condition becomes.
    type Out;
    /// One predicate.
    fn term(&self, t: Term<'c>) -> Self::Out;
    /// Any of these parts holds.
    fn any(&self, parts: Vec<Self::Out>) -> Self::Out;
    /// All of these parts hold.
    fn all(&self, parts: Vec<Self::Out>) -> Self::Out;
}

/// The text of a condition, and whether it is compound (written in
/// parentheses where it is an operand).
struct Text;

impl<'c> Dialect<'c> for Text {
    type Out = (String, bool);

    fn term(&self, t: Term<'c>) -> (String, bool) {
        let values = match t.values {
            [one] => crate::export::literal::kql_string(one),
            many => {
                let list: Vec<String> = many
                    .iter()
                    .map(|v| crate::export::literal::kql_string(v))
                    .collect();
                format!("({})", list.join(", "))
            }
        };
        (
            format!("{} {} {values}", field_name(t.field), t.op.kql()),
            false,
        )
    }

    fn any(&self, parts: Vec<(String, bool)>) -> (String, bool) {
        (Text::join(parts, " or "), true)
    }

    fn all(&self, parts: Vec<(String, bool)>) -> (String, bool) {
        (Text::join(parts, " and "), true)
    }
}

impl Text {
    fn join(parts: Vec<(String, bool)>, joiner: &str) -> String {
        parts
            .into_iter()
            .map(|(s, compound)| if compound { format!("({s})") } else { s })
            .collect::<Vec<_>>()
            .join(joiner)
    }
}

/// The condition as one line of text, KQL-like: `image_name =~ "msiexec.exe"`,
/// `parent_image_name in~ ("cmd.exe", "powershell.exe")`, operands of `any`
/// joined by `or` and of `all` by `and`, compound operands in parentheses.
impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.write(&Text).0)
    }
}

/// Which predicate matched, and on what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The field read.
    pub field: Field,
    /// The KQL operator.
    pub op: &'static str,
    /// The value on the row.
    pub value: String,
    /// The right-hand value that matched (the IOC, the artifact name, the path).
    pub matched: String,
    /// How an indicator matched (`address_port`, `url_host`, ...): on
    /// predicates over an indicator list only.
    #[serde(rename = "match_kind", skip_serializing_if = "Option::is_none")]
    pub how: Option<MatchKind>,
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:?} {} {:?}",
            field_name(self.field),
            self.value,
            self.op,
            self.matched
        )
    }
}

/// The snake-case name of a field.
pub fn field_name(f: Field) -> &'static str {
    match f {
        Field::QueryName => "query_name",
        Field::FileName => "file_name",
        Field::FilePath => "file_path",
        Field::Image => "image",
        Field::ImageName => "image_name",
        Field::CommandLine => "command_line",
        Field::ParentImage => "parent_image",
        Field::ParentImageName => "parent_image_name",
        Field::ParentCommandLine => "parent_command_line",
        Field::Company => "company",
        Field::Signer => "signer",
        Field::TaskName => "task_name",
        Field::RemoteIp => "remote_ip",
        Field::SourceIp => "source_ip",
        Field::Url => "url",
        Field::RemoteHost => "remote_host",
        Field::Sha256 => "sha256",
        Field::Sha1 => "sha1",
        Field::Md5 => "md5",
    }
}

/// A value as a content file spells it (a TOML string: a Windows path in
/// single quotes, as written).
fn toml_text(v: &str) -> String {
    toml::Value::String(v.to_owned()).to_string()
}

/// Where a condition's walk reports the predicates that held. A sink that keeps
/// no explanation (the scoring path) keeps the default methods, which do nothing.
pub(super) trait Matches {
    /// Predicate `p` held on the row's `value`, by its right-hand value `i`
    /// (`how`, for an indicator list).
    fn held(&mut self, _p: &Pred, _value: &str, _i: usize, _how: Option<MatchKind>) {}
    /// A point to come back to.
    fn mark(&self) -> usize {
        0
    }
    /// Forget what was reported since `mark` (an `all` that failed part-way).
    fn rewind(&mut self, _mark: usize) {}
}

/// Keeps nothing: the walk only answers whether the condition holds.
impl Matches for () {}

/// Keeps every match, in walk order.
impl Matches for Vec<Match> {
    fn held(&mut self, p: &Pred, value: &str, i: usize, how: Option<MatchKind>) {
        self.push(Match {
            field: p.field,
            op: p.op.kql(),
            value: value.to_owned(),
            matched: p.values[i].clone(),
            how,
        });
    }
    fn mark(&self) -> usize {
        self.len()
    }
    fn rewind(&mut self, mark: usize) {
        self.truncate(mark);
    }
}

impl Cond {
    /// The one walk of a condition: whether it holds, reporting to `out` the
    /// predicates that made it hold (the first that holds of an `any`, every one of
    /// an `all`). A missing field makes its predicate false, so absent evidence never
    /// satisfies a condition (conditions have no negation).
    pub(super) fn walk(&self, ev: &Event, out: &mut impl Matches) -> bool {
        match self {
            Cond::Pred(p) => {
                if p.indicator.is_some() {
                    let Some((i, v, how)) = p.indicator_match(ev) else {
                        return false;
                    };
                    out.held(p, v, i, Some(how));
                    return true;
                }
                let Some(v) = ev.field(p.field) else {
                    return false;
                };
                let Some(i) = p.first_match(v) else {
                    return false;
                };
                out.held(p, v, i, p.domain_how(ev));
                true
            }
            Cond::Any(cs) => cs.iter().any(|c| c.walk(ev, out)),
            Cond::All(cs) => {
                let mark = out.mark();
                let all = cs.iter().all(|c| c.walk(ev, out));
                if !all {
                    out.rewind(mark);
                }
                all
            }
        }
    }

    /// Evaluate, with the predicates that made the condition hold.
    pub fn eval(&self, ev: &Event) -> Option<Vec<Match>> {
        let mut matches = Vec::new();
        self.walk(ev, &mut matches).then_some(matches)
    }

    /// Whether the condition holds, without building an explanation.
    pub fn holds(&self, ev: &Event) -> bool {
        self.walk(ev, &mut ())
    }

    /// Which predicates decided the condition on a row, as a content file
    /// spells them: when it holds, those that made it hold (as
    /// [`Cond::eval`] finds them); when it does not, the one that failed (of
    /// an `all`, the first that failed; of an `any`, each branch's), each
    /// with the row's value.
    pub fn decided_by(&self, ev: &Event) -> String {
        if let Some(matches) = self.eval(ev) {
            let held: Vec<String> = matches
                .iter()
                .map(|m| {
                    format!(
                        "{{field = {:?}, op = {:?}}} ({} matched {})",
                        field_name(m.field),
                        m.op,
                        toml_text(&m.value),
                        toml_text(&m.matched)
                    )
                })
                .collect();
            return format!("held at {}", held.join(" and "));
        }
        let mut failed = Vec::new();
        self.failing(ev, &mut failed);
        let failed: Vec<String> = failed
            .iter()
            .map(|p| {
                let name = field_name(p.field);
                let row = ev.field(p.field).map_or_else(
                    || format!("the row has no {name}"),
                    |v| format!("the row's {}", toml_text(v)),
                );
                format!("{{field = {name:?}, op = {:?}}} ({row})", p.op.kql())
            })
            .collect();
        format!("false at {}", failed.join(" and at "))
    }

    /// The predicates that make a condition that does not hold false.
    fn failing<'c>(&'c self, ev: &Event, out: &mut Vec<&'c Pred>) {
        match self {
            Cond::Pred(p) => out.push(p),
            Cond::All(cs) => {
                if let Some(c) = cs.iter().find(|c| !c.holds(ev)) {
                    c.failing(ev, out);
                }
            }
            Cond::Any(cs) => cs.iter().for_each(|c| c.failing(ev, out)),
        }
    }

    /// The kinds of the indicator lists (`values_from`) its predicates read.
    pub fn indicator_kinds(&self) -> KindSet {
        match self {
            Cond::Pred(p) => p.list.into_iter().collect(),
            Cond::Any(cs) | Cond::All(cs) => cs
                .iter()
                .fold(KindSet::EMPTY, |s, c| s.union(c.indicator_kinds())),
        }
    }

    /// Whether any predicate reads a process field.
    pub(super) fn reads_process(&self) -> bool {
        match self {
            Cond::Pred(p) => p.field.is_process_field(),
            Cond::Any(cs) | Cond::All(cs) => cs.iter().any(Cond::reads_process),
        }
    }

    /// The condition in a dialect: the one typed walk every written form of a
    /// condition (KQL, Sigma, text) is built on.
    pub fn write<'c, D: Dialect<'c>>(&'c self, d: &D) -> D::Out {
        match self {
            Cond::Pred(p) => d.term(p.term()),
            Cond::Any(cs) => d.any(cs.iter().map(|c| c.write(d)).collect()),
            Cond::All(cs) => d.all(cs.iter().map(|c| c.write(d)).collect()),
        }
    }

    /// The condition with the predicates on fields `keep` refuses taken out
    /// of its `any`s; `None` when one sits in an `all` or alone (taking it
    /// out would widen the condition), or an `any` is left empty.
    pub fn restricted(&self, keep: impl Fn(Field) -> bool + Copy) -> Option<Cond> {
        match self {
            Cond::Pred(p) => keep(p.field).then(|| self.clone()),
            Cond::Any(cs) => {
                let kept: Vec<Cond> = cs.iter().filter_map(|c| c.restricted(keep)).collect();
                (!kept.is_empty()).then_some(Cond::Any(kept))
            }
            Cond::All(cs) => cs
                .iter()
                .map(|c| c.restricted(keep))
                .collect::<Option<Vec<Cond>>>()
                .map(Cond::All),
        }
    }

    /// Every predicate, depth first.
    pub fn predicates(&self) -> Vec<Term<'_>> {
        match self {
            Cond::Pred(p) => vec![p.term()],
            Cond::Any(cs) | Cond::All(cs) => cs.iter().flat_map(Cond::predicates).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pred(field: Field, op: OpName, values: &[&str]) -> Cond {
        let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
        Cond::Pred(Pred::new(field, op, values.into(), Engine::Fast))
    }

    /// Every operator's KQL spelling reads back, as a content file writes it, as
    /// the same operator.
    #[test]
    fn every_operator_is_spelled_as_content_files_write_it() {
        use OpName::*;
        let all = [
            Has, HasCs, HasAny, HasPrefix, HasSuffix, Contains, ContainsCs, StartsWith, EndsWith,
            Eq, EqCi, In, InCi,
        ];
        for op in all {
            let read: OpName =
                serde_json::from_value(serde_json::Value::String(op.kql().to_owned())).unwrap();
            assert_eq!(read, op, "{}", op.kql());
        }
    }

    /// The text form writes each value as the exports do (KQL's escapes, not
    /// Rust's): a quote, a line separator and a Windows path.
    #[test]
    fn values_are_written_as_kql_literals() {
        let c = pred(Field::CommandLine, OpName::Contains, &["a\"b\u{2028}"]);
        assert_eq!(c.to_string(), r#"command_line contains "a\"b\u2028""#);
        let c = Cond::Any(vec![
            pred(Field::Image, OpName::EqCi, &[r"C:\Temp\a.exe"]),
            pred(Field::ImageName, OpName::In, &["a.exe", "b.exe"]),
        ]);
        assert_eq!(
            c.to_string(),
            r#"image =~ @"C:\Temp\a.exe" or image_name in ("a.exe", "b.exe")"#
        );
    }
}
