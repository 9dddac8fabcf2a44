//! The harness: runs scenarios through the simulator and the detection, scores
//! them, renders reports; and the `huntlab` command-line interface.

pub mod attribution;
pub mod cli;
pub mod compare;
pub mod deployed;
pub mod escape;
pub mod formats;
pub mod gates;
pub mod hits;
pub mod input;
pub mod junit;
pub mod metrics;
pub mod mimic;
pub mod probe;
pub mod propose;
pub mod render;
pub mod report;
pub mod rule;
pub mod run;
pub mod scan;
pub mod scan_threaded;
pub mod score;
pub mod score_threaded;
pub mod seeds;
