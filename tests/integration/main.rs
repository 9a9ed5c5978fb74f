//! One integration binary: the CLI against real DNS (hickory-server on
//! loopback), the bundled and fixture GeoIP databases, and temp inventories.

mod common;

mod architecture;
mod browser;
mod cli;
mod dns;
mod example;
mod faults;
mod formats;
mod history;
mod rules;
mod site;
mod validation;
