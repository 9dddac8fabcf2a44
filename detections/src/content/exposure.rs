//! What an attacker can do to an exclusion: which of its predicates they
//! control (a path, a file name, a command line, a task name, the parent
//! they launch from, a version-info company, their own infrastructure) and
//! which they cannot satisfy without a stolen key (a signer, a digest
//! allow-list). A signer is theirs too where the signed images the
//! exclusion allows can host foreign code (NanoCore hollows RegAsm and
//! RegSvcs, which Microsoft signs; msiexec and rundll32 load what they are
//! given). An exclusion is `spoofable` when one of its conjunctions holds
//! only attacker-controlled predicates: copying the values it names hides
//! the attack. The mimic is that copy.

use serde::Serialize;

use super::cond::{field_name, Term};
use super::detection::Exclusion;
use crate::event::Field;

/// Signed Windows images that run code they are given (hollowed, loaded
/// or side-loaded): a signer check on them does not stop an attacker.
pub const FOREIGN_CODE_HOSTS: [&str; 9] = [
    "regasm.exe",
    "regsvcs.exe",
    "installutil.exe",
    "msbuild.exe",
    "addinprocess32.exe",
    "vbc.exe",
    "msiexec.exe",
    "rundll32.exe",
    "regsvr32.exe",
];

/// The most conjunctions an exclusion is multiplied out to.
const MAX_CONJUNCTIONS: usize = 64;

/// Whether an attacker can give a field the value a predicate wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Control {
    /// They choose it: where they write, what they name, how they launch.
    Attacker,
    /// A signature chain checked against a named signer: not theirs
    /// without a stolen key, unless the image can host foreign code.
    Signer,
    /// A digest: not theirs (a second preimage).
    Digest,
    /// The victim's own address: not theirs.
    Victim,
}

/// Who controls a field.
pub fn control(f: Field) -> Control {
    match f {
        Field::Signer => Control::Signer,
        Field::Sha256 | Field::Sha1 | Field::Md5 => Control::Digest,
        Field::SourceIp => Control::Victim,
        Field::QueryName
        | Field::FileName
        | Field::FilePath
        | Field::Image
        | Field::ImageName
        | Field::CommandLine
        | Field::ParentImage
        | Field::ParentImageName
        | Field::ParentCommandLine
        | Field::Company
        | Field::TaskName
        | Field::RemoteIp
        | Field::Url
        | Field::RemoteHost => Control::Attacker,
    }
}

/// One value a mimic copies: the field, the operator and the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copied {
    /// The field's name in content files.
    pub field: &'static str,
    /// The operator's KQL name.
    pub op: &'static str,
    /// The first value the predicate names.
    pub value: String,
}

/// What an attacker can do to one exclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure {
    /// The exclusion's id.
    pub exclusion: String,
    /// The fields it reads that the attacker controls.
    pub attacker_controlled: Vec<&'static str>,
    /// The fields it reads that they do not (signer, digests, the victim's
    /// address), where those hold them back.
    pub not_attacker_controlled: Vec<&'static str>,
    /// Whether one of its conjunctions holds only attacker-controlled
    /// predicates.
    pub spoofable: bool,
    /// The values the mimic copies: the first such conjunction's, each
    /// predicate's first value. Empty when not spoofable.
    pub mimic: Vec<Copied>,
    /// Why a signer check does not hold the attacker back, where it does
    /// not.
    pub signer_note: Option<String>,
}

/// Whether a conjunction's image predicates allow a foreign-code host (or
/// do not pin the image at all): a signer check is then satisfiable by
/// running inside that host.
fn allows_host(conj: &[Term<'_>]) -> Option<String> {
    let images: Vec<&Term<'_>> = conj
        .iter()
        .filter(|t| matches!(t.field, Field::Image | Field::ImageName))
        .collect();
    if images.is_empty() {
        return Some(
            "the image is not pinned: code hollowed into a signed host (RegAsm, RegSvcs, msiexec, rundll32) carries the host's signer".into(),
        );
    }
    for t in images {
        for v in t.values {
            let name = v.rsplit('\\').next().unwrap_or(v).to_ascii_lowercase();
            if FOREIGN_CODE_HOSTS.contains(&name.as_str()) {
                return Some(format!(
                    "{name} runs code it is given, so the code it runs carries its signer"
                ));
            }
        }
    }
    None
}

/// What an attacker can do to an exclusion.
pub fn exposure(x: &Exclusion) -> Exposure {
    let mut attacker = Vec::new();
    let mut not_attacker = Vec::new();
    for t in x.when.predicates() {
        let name = field_name(t.field);
        let list = if control(t.field) == Control::Attacker {
            &mut attacker
        } else {
            &mut not_attacker
        };
        if !list.contains(&name) {
            list.push(name);
        }
    }
    let mut out = Exposure {
        exclusion: x.id.clone(),
        attacker_controlled: attacker,
        not_attacker_controlled: not_attacker,
        spoofable: false,
        mimic: Vec::new(),
        signer_note: None,
    };
    // Past the limit, the exclusion is read as spoofable only where it is
    // made of attacker-controlled predicates alone.
    let Some(conjunctions) = x.when.conjunctions(MAX_CONJUNCTIONS) else {
        out.spoofable = out.not_attacker_controlled.is_empty();
        return out;
    };
    for conj in &conjunctions {
        let note = allows_host(conj);
        let satisfiable = conj.iter().all(|t| match control(t.field) {
            Control::Attacker => true,
            Control::Signer => note.is_some(),
            Control::Digest | Control::Victim => false,
        });
        if !satisfiable {
            continue;
        }
        out.spoofable = true;
        if conj.iter().any(|t| t.field == Field::Signer) {
            out.signer_note = note;
        }
        out.mimic = conj
            .iter()
            .filter_map(|t| {
                Some(Copied {
                    field: field_name(t.field),
                    op: t.op.kql(),
                    value: t.values.first()?.clone(),
                })
            })
            .collect();
        break;
    }
    out
}
