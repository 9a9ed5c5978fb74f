//! One integration binary: the CLI against real DNS (hickory-server on
//! loopback), the bundled and fixture GeoIP databases, and temp inventories.

mod common;

mod architecture;
mod cli;
mod dns;
mod example;
mod rules;
mod site;
mod validation;
