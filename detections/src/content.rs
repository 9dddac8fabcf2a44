//! The ready detection: compiled from a [`Spec`], always valid, and the verdicts it
//! gives.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::event::{Event, Field, Kind};
use crate::ioc::{normalize_domain, Ioc, Normalisation};
use crate::kql;
use crate::matcher::{HasAny, HasAnyFast, HasAnyReference};
use crate::spec::{CondSpec, ExampleSpec, Expect, OpName, RowKind, Spec};

/// The built-in NanoCore content file.
pub const NANOCORE_TOML: &str = include_str!("../content/nanocore.toml");

/// Which `has_any` implementation a compiled detection runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Engine {
    /// [`HasAnyFast`]: the term-start index (see [`crate::matcher`]).
    #[default]
    Fast,
    /// [`HasAnyReference`]: one plain `has` per needle.
    Reference,
}

/// One problem found while loading a content file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// Where in the file's structure (`hunts[0].when.any[1]`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Loading failed; every problem found is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in {origin}:\n{}", problems.len(), problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
pub struct LoadError {
    /// The file (as the caller named it).
    pub origin: String,
    /// Every problem.
    pub problems: Vec<Problem>,
}

/// A change the loader made to an indicator value, reported to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// 1-based line.
    pub line: usize,
    /// The value as written.
    pub written: String,
    /// The value as loaded.
    pub loaded: String,
    /// Each change made.
    pub changes: Vec<Normalisation>,
}

/// A compiled predicate: `field op (values)`, true when it holds for any value.
#[derive(Debug, Clone)]
pub struct Pred {
    field: Field,
    op: OpName,
    values: Vec<String>,
    has_any: Option<Box<dyn HasAnyDyn>>,
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

    /// The KQL spelling of the operator.
    pub fn op_kql(&self) -> &'static str {
        op_kql(self.op)
    }
}

fn op_kql(op: OpName) -> &'static str {
    match op {
        OpName::Has => "has",
        OpName::HasCs => "has_cs",
        OpName::HasAny => "has_any",
        OpName::HasPrefix => "hasprefix",
        OpName::HasSuffix => "hassuffix",
        OpName::Contains => "contains",
        OpName::ContainsCs => "contains_cs",
        OpName::StartsWith => "startswith",
        OpName::EndsWith => "endswith",
        OpName::Eq => "==",
        OpName::EqCi => "=~",
        OpName::In => "in",
        OpName::InCi => "in~",
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
    }
}

impl Cond {
    /// Evaluate; a missing field makes its predicate false, so absent evidence never
    /// satisfies a condition (conditions have no negation).
    pub fn eval(&self, ev: &Event) -> Option<Vec<Match>> {
        match self {
            Cond::Pred(p) => {
                let v = ev.field(p.field)?;
                let i = p.first_match(v)?;
                Some(vec![Match {
                    field: p.field,
                    op: p.op_kql(),
                    value: v.to_owned(),
                    matched: p.values[i].clone(),
                }])
            }
            Cond::Any(cs) => cs.iter().find_map(|c| c.eval(ev)),
            Cond::All(cs) => {
                let mut all = Vec::new();
                for c in cs {
                    all.extend(c.eval(ev)?);
                }
                Some(all)
            }
        }
    }

    /// Whether the condition holds, without building an explanation.
    pub fn holds(&self, ev: &Event) -> bool {
        match self {
            Cond::Pred(p) => ev.field(p.field).and_then(|v| p.first_match(v)).is_some(),
            Cond::Any(cs) => cs.iter().any(|c| c.holds(ev)),
            Cond::All(cs) => cs.iter().all(|c| c.holds(ev)),
        }
    }

    /// Whether any predicate reads a process field.
    fn reads_process(&self) -> bool {
        match self {
            Cond::Pred(p) => p.field.is_process_field(),
            Cond::Any(cs) | Cond::All(cs) => cs.iter().any(Cond::reads_process),
        }
    }

    /// Every predicate, depth first.
    pub fn predicates(&self) -> Vec<(Field, &'static str, &[String])> {
        match self {
            Cond::Pred(p) => vec![(p.field, p.op_kql(), p.values.as_slice())],
            Cond::Any(cs) | Cond::All(cs) => cs.iter().flat_map(Cond::predicates).collect(),
        }
    }
}

/// A ready hunt.
#[derive(Debug, Clone)]
pub struct Hunt {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The KQL it encodes.
    pub kql: Option<String>,
    /// Which rows it reads.
    pub reads: Vec<RowKind>,
    /// Its condition.
    pub when: Cond,
    /// Indices (into [`Detection::exclusions`]) of its exclusions, in order.
    pub exclusions: Vec<usize>,
    examples: Vec<ExampleSpec>,
}

impl Hunt {
    /// Whether the hunt reads rows of this kind.
    pub fn reads_kind(&self, k: Kind) -> bool {
        row_kind(k).is_some_and(|k| self.reads.contains(&k))
    }
}

/// A ready exclusion.
#[derive(Debug, Clone)]
pub struct Exclusion {
    /// Stable id.
    pub id: String,
    /// The documented scenario's title.
    pub scenario: String,
    /// The documented scenario's description.
    pub description: String,
    /// The source's exclusion text.
    pub seed_text: String,
    /// How this content reads the text.
    pub interpretation: Option<String>,
    /// Which rows it applies to.
    pub applies_to: Vec<RowKind>,
    /// When it suppresses.
    pub when: Cond,
    examples: Vec<ExampleSpec>,
}

fn row_kind(k: Kind) -> Option<RowKind> {
    match k {
        Kind::Dns => Some(RowKind::Dns),
        Kind::Process => Some(RowKind::Process),
        Kind::File => Some(RowKind::File),
        Kind::Other => None,
    }
}

/// What one exclusion did to one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Its condition held: the row is suppressed.
    Suppressed {
        /// The predicates that held.
        because: Vec<Match>,
    },
    /// Evaluated, and it does not suppress (or the row is of a kind it does not cover).
    DidNotApply,
    /// The row has no process context, so a process-based exclusion cannot be
    /// evaluated (server-side DNS); the alert stands.
    NotEvaluable,
}

impl Outcome {
    /// The outcome's name.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Suppressed { .. } => "suppressed",
            Outcome::DidNotApply => "did not apply",
            Outcome::NotEvaluable => "not evaluable",
        }
    }
}

impl Exclusion {
    /// Evaluate this exclusion on a row.
    pub fn evaluate(&self, ev: &Event) -> Outcome {
        let Some(kind) = row_kind(ev.kind()) else {
            return Outcome::DidNotApply;
        };
        if !self.applies_to.contains(&kind) {
            return Outcome::DidNotApply;
        }
        if ev.process.is_none() && self.when.reads_process() {
            return Outcome::NotEvaluable;
        }
        match self.when.eval(ev) {
            Some(because) => Outcome::Suppressed { because },
            None => Outcome::DidNotApply,
        }
    }
}

/// A hunt that fired on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HuntHit {
    /// The hunt's id.
    pub hunt: String,
    /// What matched.
    pub matched: Vec<Match>,
}

/// One exclusion's outcome on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionResult {
    /// The exclusion's id.
    pub exclusion: String,
    /// What it did.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Why the detection did or did not alert on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The hunts that fired.
    pub hunts: Vec<HuntHit>,
    /// Each exclusion of the fired hunts, with its outcome.
    pub exclusions: Vec<ExclusionResult>,
    /// The first exclusion that suppressed the row, when no alert stands.
    pub suppressed_by: Option<String>,
    /// True when a hunt fired and no exclusion suppressed it.
    pub alert: bool,
}

/// The compact result of [`Detection::decide`]: bit masks, no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Decision {
    /// Bit `i` set when hunt `i` fired, before exclusions (at most 64 hunts).
    pub fired: u64,
    /// Bit `i` set when hunt `i` fired and none of its exclusions suppressed it.
    pub alerted: u64,
    /// Bit `x` set when exclusion `x` suppressed a fired hunt on this row.
    pub suppressing: u64,
    /// Bit `x` set when exclusion `x` could not be evaluated on a fired hunt's row.
    pub not_evaluable: u64,
    /// The first exclusion that suppressed the row, when no alert stands.
    pub suppressed_by: Option<usize>,
    /// True when a hunt fired and no exclusion suppressed it.
    pub alert: bool,
}

/// A ready detection: IOCs, hunts, exclusions.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Where the indicators came from.
    pub source: String,
    /// The indicators, values normalised.
    pub iocs: Vec<Ioc>,
    /// The hunts, in file order.
    pub hunts: Vec<Hunt>,
    /// The exclusions, in file order.
    pub exclusions: Vec<Exclusion>,
    /// Changes made to indicator values while loading.
    pub notes: Vec<Note>,
}

fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The table an offset of a TOML text falls in, as `iocs[1]` or `exclusions[3]`
/// (array-of-tables entries counted from 0), `hunts[0].examples[2]`, or
/// `(top level)`.
fn table_at(src: &str, offset: usize) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut current = "(top level)".to_owned();
    let mut parents: BTreeMap<String, String> = BTreeMap::new();
    let mut pos = 0;
    for line in src.split_inclusive('\n') {
        if pos > offset {
            break;
        }
        pos += line.len();
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let name = name.trim().to_owned();
            let n = counts
                .entry(name.clone())
                .and_modify(|c| *c += 1)
                .or_insert(0);
            // A nested array (`hunts.examples`) is numbered under its parent entry.
            let label = match name.rsplit_once('.') {
                Some((parent, leaf)) => {
                    let p = parents
                        .get(parent)
                        .cloned()
                        .unwrap_or_else(|| parent.to_owned());
                    let key = format!("{p}.{leaf}");
                    let m = counts
                        .entry(key.clone())
                        .and_modify(|c| *c += 1)
                        .or_insert(0);
                    format!("{key}[{m}]")
                }
                None => format!("{name}[{n}]"),
            };
            parents.insert(name, label.clone());
            current = label;
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            let name = name.trim();
            current = match name.rsplit_once('.') {
                Some((parent, leaf)) => format!(
                    "{}.{leaf}",
                    parents
                        .get(parent)
                        .cloned()
                        .unwrap_or_else(|| parent.to_owned())
                ),
                None => name.to_owned(),
            };
        }
    }
    current
}

/// Parse and compile a content file. `origin` names it in errors.
pub fn load(src: &str, origin: &str, engine: Engine) -> Result<Detection, LoadError> {
    let spec: Spec = toml::from_str(src).map_err(|e| LoadError {
        origin: origin.to_owned(),
        problems: vec![Problem {
            line: e.span().map(|s| line_of(src, s.start)),
            path: e
                .span()
                .map_or_else(|| "(file)".to_owned(), |s| table_at(src, s.start)),
            message: e.message().trim().to_owned(),
        }],
    })?;
    compile(spec, src, origin, engine)
}

/// The built-in NanoCore detection.
pub fn builtin(engine: Engine) -> Detection {
    load(NANOCORE_TOML, "detections/content/nanocore.toml", engine)
        .expect("the built-in content is valid (checked by the content test)")
}

struct Compiler<'a> {
    src: &'a str,
    problems: Vec<Problem>,
    engine: Engine,
    domains: Vec<String>,
}

impl Compiler<'_> {
    fn problem(
        &mut self,
        line: Option<usize>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push(Problem {
            line,
            path: path.into(),
            message: message.into(),
        });
    }

    fn cond(&mut self, c: &CondSpec, path: &str) -> Option<Cond> {
        let is_pred =
            c.field.is_some() || c.op.is_some() || c.values.is_some() || c.values_from.is_some();
        let groups = usize::from(c.any.is_some()) + usize::from(c.all.is_some());
        if groups + usize::from(is_pred) != 1 {
            self.problem(
                None,
                path,
                "a condition is exactly one of: a predicate (field, op, values or values_from), `any = [...]`, `all = [...]`",
            );
            return None;
        }
        if let Some(list) = c.any.as_ref().or(c.all.as_ref()) {
            let key = if c.any.is_some() { "any" } else { "all" };
            if list.is_empty() {
                self.problem(None, format!("{path}.{key}"), "empty list of conditions");
                return None;
            }
            let compiled: Vec<Option<Cond>> = list
                .iter()
                .enumerate()
                .map(|(i, s)| self.cond(s, &format!("{path}.{key}[{i}]")))
                .collect();
            let compiled: Option<Vec<Cond>> = compiled.into_iter().collect();
            let compiled = compiled?;
            return Some(if c.any.is_some() {
                Cond::Any(compiled)
            } else {
                Cond::All(compiled)
            });
        }
        let (Some(field), Some(op)) = (c.field, c.op) else {
            self.problem(None, path, "a predicate needs both `field` and `op`");
            return None;
        };
        let values = match (&c.values, &c.values_from) {
            (Some(v), None) => v.clone(),
            (None, Some(from)) if from == "iocs.domain" => {
                if self.domains.is_empty() {
                    self.problem(
                        None,
                        format!("{path}.values_from"),
                        "empty IOC list: no domain indicators to match",
                    );
                    return None;
                }
                self.domains.clone()
            }
            (None, Some(from)) => {
                self.problem(
                    None,
                    format!("{path}.values_from"),
                    format!("unknown source `{from}` (known: `iocs.domain`)"),
                );
                return None;
            }
            _ => {
                self.problem(
                    None,
                    path,
                    "a predicate needs exactly one of `values` and `values_from`",
                );
                return None;
            }
        };
        if values.is_empty() {
            self.problem(None, format!("{path}.values"), "empty list of values");
            return None;
        }
        if let Some(i) = values.iter().position(String::is_empty) {
            self.problem(
                None,
                format!("{path}.values[{i}]"),
                "empty value (it would never match)",
            );
            return None;
        }
        let has_any: Option<Box<dyn HasAnyDyn>> = match op {
            OpName::Has | OpName::HasAny => Some(match self.engine {
                Engine::Fast => Box::new(HasAnyFast::new(&values)),
                Engine::Reference => Box::new(HasAnyReference::new(&values)),
            }),
            _ => None,
        };
        Some(Cond::Pred(Pred {
            field,
            op,
            values,
            has_any,
        }))
    }
}

/// Compile a specification. `src` is the text it came from (for line numbers).
pub fn compile(
    spec: Spec,
    src: &str,
    origin: &str,
    engine: Engine,
) -> Result<Detection, LoadError> {
    let mut c = Compiler {
        src,
        problems: Vec::new(),
        engine,
        domains: Vec::new(),
    };
    let mut iocs = Vec::new();
    let mut notes = Vec::new();
    let mut seen_values: HashSet<String> = HashSet::new();
    for (i, s) in spec.iocs.iter().enumerate() {
        let line = line_of(c.src, s.value.span().start);
        let written = s.value.get_ref();
        if s.confidence > 100 {
            c.problem(
                Some(line),
                format!("iocs[{i}].confidence"),
                "confidence is a percentage, 0 to 100",
            );
        }
        if s.ioc_type != "domain" {
            c.problem(
                Some(line),
                format!("iocs[{i}].type"),
                format!("unsupported IOC type `{}` (supported: domain)", s.ioc_type),
            );
            continue;
        }
        match normalize_domain(written) {
            Ok((value, changes)) => {
                if !seen_values.insert(value.clone()) {
                    c.problem(
                        Some(line),
                        format!("iocs[{i}].value"),
                        format!("duplicate IOC `{value}`"),
                    );
                    continue;
                }
                if !changes.is_empty() {
                    notes.push(Note {
                        line,
                        written: written.clone(),
                        loaded: value.clone(),
                        changes,
                    });
                }
                c.domains.push(value.clone());
                iocs.push(Ioc {
                    ioc_type: s.ioc_type.clone(),
                    value,
                    threat_type: s.threat_type.clone(),
                    first_seen: s.first_seen.clone(),
                    confidence: s.confidence,
                    malware_family: s.malware_family.clone(),
                    source: s.source.clone(),
                });
            }
            Err(e) => c.problem(Some(line), format!("iocs[{i}].value"), e.to_string()),
        }
    }

    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut exclusions = Vec::new();
    for (i, s) in spec.exclusions.iter().enumerate() {
        let line = line_of(c.src, s.id.span().start);
        let path = format!("exclusions[{i}]");
        check_id(&mut c, &mut ids, s.id.get_ref(), line, &path);
        if s.applies_to.is_empty() {
            c.problem(
                Some(line),
                format!("{path}.applies_to"),
                "an exclusion must apply to at least one kind of row",
            );
        }
        if let Some(when) = c.cond(&s.when, &format!("{path}.when")) {
            exclusions.push(Exclusion {
                id: s.id.get_ref().clone(),
                scenario: s.scenario.clone(),
                description: s.description.clone(),
                seed_text: s.seed_text.clone(),
                interpretation: s.interpretation.clone(),
                applies_to: s.applies_to.clone(),
                when,
                examples: s.examples.clone(),
            });
        }
    }
    let mut used = vec![false; spec.exclusions.len()];
    let mut hunts = Vec::new();
    if spec.hunts.is_empty() {
        c.problem(None, "hunts", "no hunts");
    }
    if spec.hunts.len() > 64 {
        c.problem(None, "hunts", "at most 64 hunts per detection");
    }
    if spec.exclusions.len() > 64 {
        c.problem(None, "exclusions", "at most 64 exclusions per detection");
    }
    for (i, s) in spec.hunts.iter().enumerate() {
        let line = line_of(c.src, s.id.span().start);
        let path = format!("hunts[{i}]");
        check_id(&mut c, &mut ids, s.id.get_ref(), line, &path);
        if s.reads.is_empty() {
            c.problem(
                Some(line),
                format!("{path}.reads"),
                "a hunt must read at least one kind of row",
            );
        }
        let mut idx = Vec::new();
        for (j, e) in s.exclusions.iter().enumerate() {
            match spec
                .exclusions
                .iter()
                .position(|x| x.id.get_ref() == e.get_ref())
            {
                Some(k) => {
                    used[k] = true;
                    idx.push(k);
                }
                None => {
                    let l = line_of(c.src, e.span().start);
                    c.problem(
                        Some(l),
                        format!("{path}.exclusions[{j}]"),
                        format!("unknown exclusion `{}`", e.get_ref()),
                    );
                }
            }
        }
        if let Some(when) = c.cond(&s.when, &format!("{path}.when")) {
            hunts.push(Hunt {
                id: s.id.get_ref().clone(),
                title: s.title.clone(),
                description: s.description.clone(),
                kql: s.kql.clone(),
                reads: s.reads.clone(),
                when,
                exclusions: idx,
                examples: s.examples.clone(),
            });
        }
    }
    for (k, s) in spec.exclusions.iter().enumerate() {
        if !used[k] {
            let line = line_of(c.src, s.id.span().start);
            c.problem(
                Some(line),
                format!("exclusions[{k}]"),
                format!("exclusion `{}` is used by no hunt", s.id.get_ref()),
            );
        }
    }
    if !c.problems.is_empty() {
        return Err(LoadError {
            origin: origin.to_owned(),
            problems: c.problems,
        });
    }
    Ok(Detection {
        id: spec.id,
        title: spec.title,
        description: spec.description,
        source: spec.source,
        iocs,
        hunts,
        exclusions,
        notes,
    })
}

fn check_id(
    c: &mut Compiler<'_>,
    ids: &mut BTreeMap<String, usize>,
    id: &str,
    line: usize,
    path: &str,
) {
    let valid = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid {
        c.problem(
            Some(line),
            format!("{path}.id"),
            format!("id `{id}` must be lower-case letters, digits and `-`"),
        );
    }
    if let Some(first) = ids.insert(id.to_owned(), line) {
        c.problem(
            Some(line),
            format!("{path}.id"),
            format!("duplicate id `{id}` (first at line {first})"),
        );
    }
}

/// An example that did not behave as it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    /// `hunt nanocore-c2-dns` or `exclusion backup-job`.
    pub owner: String,
    /// The example's name.
    pub name: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: example {:?}: {}",
            self.owner, self.name, self.message
        )
    }
}

fn example_event(ex: &ExampleSpec) -> Result<Event, String> {
    let json = serde_json::to_value(&ex.row).map_err(|e| e.to_string())?;
    match json {
        serde_json::Value::Object(m) => crate::fields::parse_row(&m).map_err(|e| e.to_string()),
        _ => Err("row is not a table".into()),
    }
}

impl Detection {
    /// Whether hunt `h` fires on `ev` (ignoring exclusions).
    pub fn hunt_fires(&self, h: &Hunt, ev: &Event) -> bool {
        h.reads_kind(ev.kind()) && h.when.holds(ev)
    }

    /// The compact decision for a row: the scoring hot path. Agrees with
    /// [`Detection::verdict`] on `alert` and `suppressed_by`.
    pub fn decide(&self, ev: &Event) -> Decision {
        let mut d = Decision::default();
        for (i, h) in self.hunts.iter().enumerate() {
            if !self.hunt_fires(h, ev) {
                continue;
            }
            d.fired |= 1 << i;
            let mut suppressed = false;
            for &x in &h.exclusions {
                match self.exclusions[x].evaluate(ev) {
                    Outcome::Suppressed { .. } => {
                        if d.suppressed_by.is_none() {
                            d.suppressed_by = Some(x);
                        }
                        d.suppressing |= 1 << x;
                        suppressed = true;
                    }
                    Outcome::NotEvaluable => d.not_evaluable |= 1 << x,
                    Outcome::DidNotApply => {}
                }
            }
            if !suppressed {
                d.alerted |= 1 << i;
            }
        }
        d.alert = d.alerted != 0;
        if d.alert {
            d.suppressed_by = None;
        }
        d
    }

    /// The full, explained verdict for a row.
    pub fn verdict(&self, ev: &Event) -> Verdict {
        let mut hunts = Vec::new();
        let mut results: Vec<ExclusionResult> = Vec::new();
        let mut any_unsuppressed = false;
        let mut suppressed_by = None;
        for h in &self.hunts {
            if !h.reads_kind(ev.kind()) {
                continue;
            }
            let Some(matched) = h.when.eval(ev) else {
                continue;
            };
            hunts.push(HuntHit {
                hunt: h.id.clone(),
                matched,
            });
            let mut suppressed = false;
            for &x in &h.exclusions {
                let ex = &self.exclusions[x];
                let outcome = ex.evaluate(ev);
                if matches!(outcome, Outcome::Suppressed { .. }) {
                    if suppressed_by.is_none() {
                        suppressed_by = Some(ex.id.clone());
                    }
                    suppressed = true;
                }
                if !results.iter().any(|r| r.exclusion == ex.id) {
                    results.push(ExclusionResult {
                        exclusion: ex.id.clone(),
                        outcome,
                    });
                }
            }
            any_unsuppressed |= !suppressed;
        }
        Verdict {
            hunts,
            exclusions: results,
            suppressed_by: if any_unsuppressed {
                None
            } else {
                suppressed_by
            },
            alert: any_unsuppressed,
        }
    }

    /// Check every hunt's and exclusion's examples; an empty list means all passed.
    pub fn check_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for h in &self.hunts {
            for ex in &h.examples {
                let owner = format!("hunt {}", h.id);
                let fail = |message: String| ExampleFailure {
                    owner: owner.clone(),
                    name: ex.name.clone(),
                    message,
                };
                match example_event(ex) {
                    Err(e) => failures.push(fail(format!("row does not read: {e}"))),
                    Ok(ev) => {
                        let fired = self.hunt_fires(h, &ev);
                        let ok = match ex.expect {
                            Expect::Fires => fired,
                            Expect::Silent => !fired,
                            other => {
                                failures.push(fail(format!(
                                    "a hunt example expects `fires` or `silent`, not {other:?}"
                                )));
                                continue;
                            }
                        };
                        if !ok {
                            failures.push(fail(format!(
                                "expected {:?}, but the hunt {}",
                                ex.expect,
                                if fired { "fired" } else { "stayed silent" }
                            )));
                        }
                    }
                }
            }
        }
        for x in &self.exclusions {
            for ex in &x.examples {
                let owner = format!("exclusion {}", x.id);
                let fail = |message: String| ExampleFailure {
                    owner: owner.clone(),
                    name: ex.name.clone(),
                    message,
                };
                match example_event(ex) {
                    Err(e) => failures.push(fail(format!("row does not read: {e}"))),
                    Ok(ev) => {
                        let got = x.evaluate(&ev);
                        let ok = match ex.expect {
                            Expect::Suppressed => matches!(got, Outcome::Suppressed { .. }),
                            Expect::DidNotApply => got == Outcome::DidNotApply,
                            Expect::NotEvaluable => got == Outcome::NotEvaluable,
                            other => {
                                failures.push(fail(format!("an exclusion example expects `suppressed`, `did_not_apply` or `not_evaluable`, not {other:?}")));
                                continue;
                            }
                        };
                        if !ok {
                            failures.push(fail(format!(
                                "expected {:?}, got {}",
                                ex.expect,
                                got.name()
                            )));
                        }
                    }
                }
            }
        }
        failures
    }

    /// Index of a hunt by id.
    pub fn hunt_index(&self, id: &str) -> Option<usize> {
        self.hunts.iter().position(|h| h.id == id)
    }

    /// Index of an exclusion by id.
    pub fn exclusion_index(&self, id: &str) -> Option<usize> {
        self.exclusions.iter().position(|x| x.id == id)
    }

    /// The domain indicator values, in file order.
    pub fn domains(&self) -> Vec<&str> {
        self.iocs
            .iter()
            .filter(|i| i.ioc_type == "domain")
            .map(|i| i.value.as_str())
            .collect()
    }

    /// The number of examples the content carries.
    pub fn example_count(&self) -> usize {
        self.hunts.iter().map(|h| h.examples.len()).sum::<usize>()
            + self
                .exclusions
                .iter()
                .map(|x| x.examples.len())
                .sum::<usize>()
    }
}
