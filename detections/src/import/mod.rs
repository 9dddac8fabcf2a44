//! Published hunt pages: the generated ThreatFox and URLhaus pages detection
//! engineers copy into their SIEM (an IOC table, KQL blocks in six forms, a
//! `Sentinel Table` table, false-positive entries with free-text exclusions),
//! read in either rendering (markdown tables, or the flat text where table
//! cells run together), and judged before deployment.
//!
//! * `page`: the line reader ([`read_page`]; [`read_query`] for a KQL file),
//!   the two renderings' tables in `cells`; `rule`: an analytic rule's query
//!   ([`read_rule`]) and the reader an extension takes ([`read_input`]).
//! * [`form`]: the six query forms ([`Form`]), which a block's query is, and
//!   which fields each form's table carries.
//! * [`exclusion`]: what a false-positive entry's free text says ([`Reading`]):
//!   the fields it names, its values, or that it is always true or false.
//! * [`lint`]: the defects of a page ([`Finding`]); `lint_content`: a
//!   content's ([`lint_detection`]), its imported literal hunts as their page.
//! * `literal` / `hardened`: the page as content TOML, read literally
//!   ([`literal`]) and safely ([`hardened`]); `emit` writes the TOML in a fixed
//!   order, `compile_text` turns an entry's text into a condition.
//!
//! No I/O: callers hand in the page's text.

mod cells;
mod compile_text;
mod emit;
pub mod exclusion;
pub mod form;
mod hardened;
pub mod lint;
mod lint_content;
mod literal;
mod page;
mod rule;
mod toml_text;
mod types;

pub use exclusion::{Reading, Tautology};
pub use form::Form;
pub use hardened::hardened;
pub use lint::{lint_page, Finding, Severity, Subject};
pub use lint_content::lint_detection;
pub use literal::literal;
pub use page::{read_page, read_query};
pub use rule::{read_input, read_rule};
pub use types::{
    slug, Block, FalsePositive, Feed, Page, PageError, PageIoc, SentinelTable, UrlStatus,
};
