//! residency: where does our users' personal data live, and where does it flow?
//!
//! A one-way pipeline, a module per stage; a stage never uses a later one:
//!
//! 1. [`inventory`]: YAML files → a validated model with file:line:column;
//!    [`site`]: the operator's web pages → the third parties they load,
//!    added to the inventory (`scan-site`, `check --site`);
//!    [`terraform`]: Terraform plans → planned resources, their regions and
//!    the entities they belong to (an input stage beside the inventory);
//!    [`policy`]: the published privacy policy → what it promises (where
//!    data is kept, who receives it, which countries);
//! 2. [`resolve`]: hosts → addresses → countries, with the evidence chain;
//! 3. [`evaluate`]: the rules of 152-FZ → findings (one file per rule);
//! 4. [`report`]: pure renderers (table, JSON, …);
//! 5. [`cli`]: the command line, the only place that knows every stage.
//!
//! [`reference`] holds the data every stage may consult (countries, cloud
//! regions, the adequacy list).

#![warn(unreachable_pub)]

pub mod cli;
pub mod diag;
pub(crate) mod escape;
pub mod evaluate;
pub mod inventory;
pub mod policy;
pub mod reference;
pub mod report;
pub mod resolve;
pub mod site;
pub mod terraform;
pub(crate) mod util;
