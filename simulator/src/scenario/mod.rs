//! Scenario files: what they say (`types`, `expect`), how they are read
//! (`parse`), and the checks they must pass (`lint`).

mod check;
mod error;
mod expect;
mod infection;
mod lint;
mod network;
mod parse;
mod spec;
mod tagged;
mod types;

pub use error::{Problem, ScenarioError};
pub use expect::{Counts, Expect, Expected, Status};
pub use infection::PATH_VARIABLES;
pub use lint::lint;
pub use network::{doh_name, DOH_RESOLVERS};
pub use types::{
    BackgroundParams, Delivery, Drop, Endpoint, Firewall, Generator, Hollow, InfectionParams,
    JobParams, Launch, LookupParams, NetworkParams, Proxy, Scenario, ScenarioKind, Sensors,
    Template, Windows, DEFAULT_C2_PORT,
};
