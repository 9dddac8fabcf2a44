//! Loading: parse a content file, compile its [`Spec`] into a ready [`Detection`],
//! and report every problem with its line and place in the file.

use sha2::Digest as _;
use std::collections::BTreeMap;
use std::sync::Arc;

use toml::Spanned;

use super::cond::{Cond, Engine, Pred};
use super::detection::{Detection, Exclusion, Hunt, Kinds, KnownGap, Note};
use super::given;
use super::lists::{self, Lists};
use super::problem::{line_of, one_line, table_at};
pub use super::problem::{LoadError, Problem};
use crate::event::Field;
use crate::ioc::{Ioc, IocKind, Parsed};
use crate::key_index::KeyIndex;
use crate::matcher::indicator::PortMatch;
use crate::spec::{
    CondSpec, ExclusionSpec, HuntSpec, IocSpec, KnownGapSpec, OpName, RowKind, Spec,
    UnexpressedSpec,
};

/// Parse and compile a content file. `origin` names it in errors.
pub fn load(src: &str, origin: &str, engine: Engine) -> Result<Detection, LoadError> {
    compile(parse(src, origin)?, src, origin, engine)
}

/// The specification a content file's text holds.
fn parse(src: &str, origin: &str) -> Result<Spec, LoadError> {
    toml::from_str(src).map_err(|e| LoadError {
        origin: origin.to_owned(),
        problems: vec![Problem {
            line: e.span().map(|s| line_of(src, s.start)),
            path: e
                .span()
                .map_or_else(|| "(file)".to_owned(), |s| table_at(src, s.start)),
            message: one_line(e.message()),
        }],
    })
}

struct Compiler<'a> {
    src: &'a str,
    problems: Vec<Problem>,
    engine: Engine,
    /// Each hunted kind's indicator values, for `values_from`.
    lists: Lists,
    /// Each hunt's and exclusion's id, with the line it is on.
    ids: BTreeMap<String, usize>,
    /// The hunt being compiled's `match`, for its `ip:port` lists (`None`
    /// outside a hunt, and in a hunt that does not say).
    port_match: Option<PortMatch>,
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

    /// Begin a hunt or an exclusion at `path`: check its id, and that its list of
    /// row kinds (under `kinds_key`) is not empty, else report `no_kinds`.
    fn entry(
        &mut self,
        path: &str,
        id: &Spanned<String>,
        kinds_key: &str,
        kinds: &[RowKind],
        no_kinds: &str,
    ) {
        let line = line_of(self.src, id.span().start);
        let id = id.get_ref();
        let valid = !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            self.problem(
                Some(line),
                format!("{path}.id"),
                format!("id `{id}` must be lower-case letters, digits and `-`"),
            );
        }
        if let Some(first) = self.ids.insert(id.to_owned(), line) {
            self.problem(
                Some(line),
                format!("{path}.id"),
                format!("duplicate id `{id}` (first at line {first})"),
            );
        }
        if kinds.is_empty() {
            self.problem(Some(line), format!("{path}.{kinds_key}"), no_kinds);
        }
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
        let values: Arc<[String]> = match (&c.values, &c.values_from) {
            (Some(v), None) => Arc::from(v.as_slice()),
            (None, Some(from)) => match self.lists.get(from.get_ref()) {
                Ok(list) => {
                    let kind = IocKind::of_values_from(from.get_ref())?;
                    let line = line_of(self.src, from.span().start);
                    let ports = self.list_fits(kind, field, op, line, path)?;
                    return Some(Cond::Pred(Pred::over_list(
                        field,
                        op,
                        list,
                        self.engine,
                        kind,
                        ports,
                    )));
                }
                Err(missing) => {
                    let line = missing
                        .with_line()
                        .then(|| line_of(self.src, from.span().start));
                    let message = missing.message(from.get_ref());
                    self.problem(line, format!("{path}.values_from"), message);
                    return None;
                }
            },
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
        Some(Cond::Pred(Pred::new(field, op, values, self.engine)))
    }
}

/// Parse and compile a content file with these indicators in place of its own
/// of their kinds (an IOC feed read with [`crate::feed`]), once: its own
/// indicators are checked as written (a problem in them is a load error); of
/// each kind the given indicators hold, the given ones replace its own, and
/// of a kind they hold none of, its own are kept. Its hunts and exclusions are
/// compiled as written, each `values_from` list (`iocs.domain`, `iocs.ip_port`)
/// reading the indicators of its kind. Its examples, written for its own
/// indicators, are not checked, and its own indicators' normalisation notes
/// are not kept.
pub fn load_with_iocs(
    src: &str,
    origin: &str,
    engine: Engine,
    iocs: Vec<Ioc>,
) -> Result<Detection, LoadError> {
    compile_with(parse(src, origin)?, src, origin, engine, Some(iocs))
}

/// [`load_with_iocs`], with every hunt matching `ip:port` indicators as
/// `ports` says, whatever its own `match` (`scan --match`).
pub fn load_with_iocs_matching(
    src: &str,
    origin: &str,
    engine: Engine,
    iocs: Vec<Ioc>,
    ports: PortMatch,
) -> Result<Detection, LoadError> {
    let mut spec = parse(src, origin)?;
    for h in &mut spec.hunts {
        h.port_match = Some(ports);
    }
    compile_with(spec, src, origin, engine, Some(iocs))
}

/// Compile a specification. `src` is the text it came from (for line numbers).
pub fn compile(
    spec: Spec,
    src: &str,
    origin: &str,
    engine: Engine,
) -> Result<Detection, LoadError> {
    compile_with(spec, src, origin, engine, None)
}

/// [`compile`], with `given` indicators (already normalised and checked by
/// whoever read them) in place of the specification's own, which are checked
/// all the same.
fn compile_with(
    spec: Spec,
    src: &str,
    origin: &str,
    engine: Engine,
    given: Option<Vec<Ioc>>,
) -> Result<Detection, LoadError> {
    let mut c = Compiler {
        src,
        problems: Vec::new(),
        engine,
        lists: Lists::default(),
        ids: BTreeMap::new(),
        port_match: None,
    };
    let (own, notes) = c.iocs(&spec.iocs);
    let (iocs, notes) = match given {
        None => (own, notes),
        Some(given) => (given::in_place_of(own, given), Vec::new()),
    };
    c.lists = Lists::of(&iocs);
    let exclusions = c.exclusions(&spec.exclusions);
    let hunts = c.hunts(&spec.hunts, &spec.exclusions);
    let known_gaps = c.known_gaps(&spec.known_gaps, &exclusions);
    let unexpressed = c.unexpressed(&spec.unexpressed, &hunts);
    c.problems
        .extend(super::carried::example_problems(&spec, src));
    if !c.problems.is_empty() {
        return Err(LoadError {
            origin: origin.to_owned(),
            problems: c.problems,
        });
    }
    let (rows_read, carried) = (Kinds::union(&hunts), lists::carried(&iocs));
    Ok(Detection {
        id: spec.id,
        title: spec.title,
        description: spec.description,
        source: spec.source,
        iocs,
        hunts,
        exclusions,
        known_gaps,
        unexpressed,
        notes,
        hunted_kinds: lists::read_by(spec.hunts.iter().map(|h| &h.when)),
        rows_read,
        carried,
        source_sha256: format!("{:x}", sha2::Sha256::digest(src)),
    })
}

/// The parts of a specification, each compiled with its problems.
impl Compiler<'_> {
    /// The indicators, normalised and deduplicated; and a note for each value
    /// normalising changed.
    fn iocs(&mut self, specs: &[IocSpec]) -> (Vec<Ioc>, Vec<Note>) {
        let mut iocs: Vec<Ioc> = Vec::with_capacity(specs.len());
        let mut notes = Vec::new();
        // Each value's position in `iocs`.
        let mut seen = KeyIndex::with_capacity(specs.len());
        for (i, s) in specs.iter().enumerate() {
            let line = line_of(self.src, s.value.span().start);
            let written = s.value.get_ref();
            if s.confidence.is_some_and(|c| c > 100) {
                self.problem(
                    Some(line),
                    format!("iocs[{i}].confidence"),
                    "confidence is a percentage, 0 to 100",
                );
            }
            let kind = match s.ioc_type.parse::<IocKind>() {
                Ok(kind) => kind,
                Err(_) => {
                    self.problem(
                        Some(line),
                        format!("iocs[{i}].type"),
                        format!(
                            "unsupported IOC type `{}` (supported: {})",
                            s.ioc_type,
                            lists::kind_names()
                        ),
                    );
                    continue;
                }
            };
            match kind.parse(written) {
                Ok(Parsed {
                    kind,
                    value,
                    changes,
                }) => {
                    if seen
                        .insert(&value, iocs.len(), |k| &iocs[k].value)
                        .is_some()
                    {
                        self.problem(
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
                    iocs.push(Ioc {
                        kind,
                        value,
                        threat_type: s.threat_type.clone(),
                        first_seen: s.first_seen.clone(),
                        confidence: s.confidence,
                        malware_family: s.malware_family.clone(),
                        source: s.source.clone(),
                        status: s.status.clone(),
                    });
                }
                Err(e) => self.problem(Some(line), format!("iocs[{i}].value"), e.to_string()),
            }
        }
        (iocs, notes)
    }

    /// How a predicate over the indicator list of `kind` matches ports, or
    /// `None` with the problem reported (the operator or field does not fit
    /// the kind, or a hunt over `ip:port`s does not say `match`).
    fn list_fits(
        &mut self,
        kind: IocKind,
        field: Field,
        op: OpName,
        line: usize,
        path: &str,
    ) -> Option<PortMatch> {
        match lists::fits(kind, field, op, self.port_match) {
            Ok(ports) => Some(ports),
            Err(message) => {
                self.problem(Some(line), format!("{path}.values_from"), message);
                None
            }
        }
    }

    /// The exclusions whose condition compiles.
    fn exclusions(&mut self, specs: &[ExclusionSpec]) -> Vec<Exclusion> {
        let mut exclusions = Vec::new();
        for (i, s) in specs.iter().enumerate() {
            let path = format!("exclusions[{i}]");
            self.entry(
                &path,
                &s.id,
                "applies_to",
                &s.applies_to,
                "an exclusion must apply to at least one kind of row",
            );
            if s.when.any.as_ref().is_some_and(|a| a.len() > 64) {
                self.problem(
                    None,
                    format!("{path}.when.any"),
                    "at most 64 branches in an exclusion's top-level `any`",
                );
            }
            if let Some(when) = self.cond(&s.when, &format!("{path}.when")) {
                if let Some(m) = super::inert::problem(&s.applies_to, &when, s.inert.as_deref()) {
                    let line = line_of(self.src, s.id.span().start);
                    self.problem(Some(line), format!("{path}.when"), m);
                }
                exclusions.push(Exclusion {
                    id: s.id.get_ref().clone(),
                    scenario: s.scenario.clone(),
                    description: s.description.clone(),
                    seed_text: s.seed_text.clone(),
                    interpretation: s.interpretation.clone(),
                    applies_to: s.applies_to.clone(),
                    inert: s.inert.clone(),
                    kinds: Kinds::of(&s.applies_to),
                    reads_process: when.reads_process(),
                    when,
                    examples: s.examples.clone(),
                });
            }
        }
        exclusions
    }

    /// The exclusions kept uncompiled: their ids checked with the others',
    /// each hunt they name one of the content's.
    fn unexpressed(&mut self, specs: &[UnexpressedSpec], hunts: &[Hunt]) -> Vec<UnexpressedSpec> {
        for (i, s) in specs.iter().enumerate() {
            let path = format!("unexpressed[{i}]");
            self.entry(
                &path,
                &s.id,
                "applies_to",
                &s.applies_to,
                "an exclusion must apply to at least one kind of row",
            );
            for (j, h) in s.hunts.iter().enumerate() {
                if !hunts.iter().any(|x| &x.id == h.get_ref()) {
                    let l = line_of(self.src, h.span().start);
                    self.problem(
                        Some(l),
                        format!("{path}.hunts[{j}]"),
                        format!("unknown hunt `{}`", h.get_ref()),
                    );
                }
            }
        }
        specs.to_vec()
    }

    /// The hunts whose condition compiles, each with its exclusions' indices;
    /// an exclusion no hunt uses is a problem.
    fn hunts(&mut self, specs: &[HuntSpec], exclusions: &[ExclusionSpec]) -> Vec<Hunt> {
        let mut used = vec![false; exclusions.len()];
        let mut hunts = Vec::new();
        if specs.is_empty() {
            self.problem(None, "hunts", "no hunts");
        }
        if specs.len() > 64 {
            self.problem(None, "hunts", "at most 64 hunts per detection");
        }
        if exclusions.len() > 64 {
            self.problem(None, "exclusions", "at most 64 exclusions per detection");
        }
        for (i, s) in specs.iter().enumerate() {
            let path = format!("hunts[{i}]");
            self.entry(
                &path,
                &s.id,
                "reads",
                &s.reads,
                "a hunt must read at least one kind of row",
            );
            let mut idx = Vec::new();
            for (j, e) in s.exclusions.iter().enumerate() {
                match exclusions
                    .iter()
                    .position(|x| x.id.get_ref() == e.get_ref())
                {
                    Some(k) => {
                        used[k] = true;
                        idx.push(k);
                    }
                    None => {
                        let l = line_of(self.src, e.span().start);
                        self.problem(
                            Some(l),
                            format!("{path}.exclusions[{j}]"),
                            format!("unknown exclusion `{}`", e.get_ref()),
                        );
                    }
                }
            }
            self.port_match = s.port_match;
            let when = self.cond(&s.when, &format!("{path}.when"));
            self.port_match = None;
            if let Some(when) = when {
                if let Some(m) = super::inert::problem(&s.reads, &when, s.inert.as_deref()) {
                    let line = line_of(self.src, s.id.span().start);
                    self.problem(Some(line), format!("{path}.when"), m);
                }
                hunts.push(Hunt {
                    id: s.id.get_ref().clone(),
                    title: s.title.clone(),
                    description: s.description.clone(),
                    origin: s.origin.clone(),
                    kql: s.kql.clone(),
                    as_published: s.as_published,
                    inert: s.inert.clone(),
                    reads: s.reads.clone(),
                    kinds: Kinds::of(&s.reads),
                    when,
                    exclusions: idx,
                    examples: s.examples.clone(),
                });
            }
        }
        for (k, s) in exclusions.iter().enumerate() {
            if !used[k] {
                let line = line_of(self.src, s.id.span().start);
                self.problem(
                    Some(line),
                    format!("exclusions[{k}]"),
                    format!("exclusion `{}` is used by no hunt", s.id.get_ref()),
                );
            }
        }
        hunts
    }

    /// The known gaps, each scenario at most once, each saying why, and any
    /// exclusion named one of `exclusions`.
    fn known_gaps(&mut self, specs: &[KnownGapSpec], exclusions: &[Exclusion]) -> Vec<KnownGap> {
        let mut known_gaps: Vec<KnownGap> = Vec::new();
        for (i, g) in specs.iter().enumerate() {
            let line = line_of(self.src, g.scenario.span().start);
            let scenario = g.scenario.get_ref();
            if let Some(first) = known_gaps.iter().find(|k| &k.scenario == scenario) {
                let first = first.line;
                self.problem(
                    Some(line),
                    format!("known_gaps[{i}].scenario"),
                    format!("duplicate known gap for `{scenario}` (first at line {first})"),
                );
            }
            if g.why.trim().is_empty() {
                self.problem(
                    Some(line),
                    format!("known_gaps[{i}].why"),
                    "a known gap says why the content accepts it",
                );
            }
            if let Some(x) = &g.exclusion {
                if !exclusions.iter().any(|e| &e.id == x.get_ref()) {
                    let ids: Vec<&str> = exclusions.iter().map(|e| e.id.as_str()).collect();
                    self.problem(
                        Some(line_of(self.src, x.span().start)),
                        format!("known_gaps[{i}].exclusion"),
                        format!(
                            "`{}` is not an exclusion of this content (its exclusions: {})",
                            x.get_ref(),
                            if ids.is_empty() {
                                "none".to_owned()
                            } else {
                                ids.join(", ")
                            }
                        ),
                    );
                }
            }
            known_gaps.push(KnownGap {
                scenario: scenario.clone(),
                why: g.why.clone(),
                exclusion: g.exclusion.as_ref().map(|x| x.get_ref().clone()),
                line,
            });
        }
        known_gaps
    }
}
