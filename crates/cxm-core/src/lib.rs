//! cxm-core: the domain vocabulary and the pure mathematics of cxm.
//!
//! Architecture invariant: this crate does no I/O and knows nothing of SQL,
//! HTTP or files. Everything here is a function of its arguments.

pub mod model;
pub mod records;
pub mod stats;
