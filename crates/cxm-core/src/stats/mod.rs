//! Statistics (SPEC §4). Filled in by the statistics work.
