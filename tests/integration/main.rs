//! One integration binary: the CLI against real DNS (hickory-server on
//! loopback), the bundled and fixture GeoIP databases, and temp inventories.

mod common;
mod gate;

mod architecture;
mod baseline;
mod cli;
mod dns;
mod example;
mod formats;
mod pipelines;
mod rules;
mod terraform;
mod validation;
mod waivers;
