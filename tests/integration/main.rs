//! One integration binary: the CLI against real DNS (hickory-server on
//! loopback), the bundled and fixture GeoIP databases, and temp inventories.

mod common;
mod gate;

mod architecture;
mod baseline;
mod browser;
mod catalogue;
mod ci_formats;
mod cli;
mod cmd;
mod dns;
mod example;
mod faults;
mod formats;
mod history;
mod legal;
mod notify;
mod onboarding;
mod pipelines;
mod policy;
mod props;
mod reliability;
mod report_snapshots;
mod rules;
mod site;
mod terraform;
mod validation;
mod waivers;
