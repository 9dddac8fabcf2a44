//! Scenario files: what they say (`types`, `expect`), how they are read
//! (`parse`), and the checks they must pass (`lint`).

mod check;
mod error;
mod expect;
mod infection;
mod lint;
mod network;
mod parse;
mod program;
mod program_params;
mod sensors;
mod spec;
mod tagged;
mod types;

pub use error::{Problem, ScenarioError};
pub use expect::{Counts, Expect, Expected, Status};
pub use infection::PATH_VARIABLES;
pub use lint::lint;
pub use network::{doh_name, DOH_RESOLVERS};
pub use program_params::ProgramParams;
pub use sensors::{Firewall, Proxy, Sensors};
pub use types::{
    BackgroundParams, Delivery, Drop, Endpoint, Generator, Hollow, InfectionParams, JobParams,
    Launch, LookupParams, NetworkParams, Persistence, Scenario, ScenarioKind, Template, Windows,
    DEFAULT_C2_PORT,
};
