//! What a handler's `#[utoipa::path]` names besides literals: the sets of
//! problems a route family can answer (`responses(..., Org, Body)`), the
//! document's schemas by name (`body = Vec<JobSummary>`), and list
//! routes' query parameters (`status_param`, `limit_param`). Apps use the same
//! pieces, and declare their own schema names with [`crate::named_schemas`].

use super::kit::{PROBLEM, means};
use std::collections::BTreeMap;
use utoipa::IntoResponses;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Ref, RefOr, Required};

/// A problem answer with `status`: what it means, as `Problem`.
fn problem(status: u16) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(means(status))
            .content(
                PROBLEM,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// The problem answers of `statuses`.
pub fn problems(statuses: &[u16]) -> BTreeMap<String, RefOr<Response>> {
    statuses
        .iter()
        .map(|s| (s.to_string(), problem(*s)))
        .collect()
}

/// Named sets of problem answers, each a type for `responses(...)`. A
/// route lists them before its own answers, which take precedence.
macro_rules! problem_sets {
    ($($(#[$doc:meta])* $name:ident = $statuses:expr;)*) => {$(
        $(#[$doc])*
        pub struct $name;
        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                problems(&$statuses)
            }
        }
    )*};
}

problem_sets! {
    /// Any route that reads the org's token: missing or bad (401), or the
    /// database too busy to check it (503).
    Org = [401, 503];
    /// Operator routes: a bad admin token (401), or none configured (403).
    Admin = [401, 403];
    /// Routes that read a JSON body: too large, not JSON, not valid.
    Body = [413, 415, 422];
    /// What submitting an event can answer besides a bad body (`reason`
    /// says which refusal).
    Submit = [402, 404, 409, 422, 503];
    /// Routes that read the database.
    Db = [503];
    /// A webhook: verified (key, signature, token) before its body is
    /// read; without a good one, 401 (403 when the route's secret is not
    /// set), and a body too large is 413.
    Verified = [401, 403, 413];
    /// A bad query or form.
    BadRequest = [400];
    /// The credential is missing or not valid.
    Unauthorized = [401];
    /// The route is off, or the caller may not do this.
    Forbidden = [403];
    /// The thing named is not there (or another org's).
    NotFound = [404];
    /// Already decided, or no longer in a state that takes this.
    Conflict = [409];
    /// The body is larger than the route takes.
    TooLarge = [413];
    /// The body is not sent as the route's media type.
    Unsupported = [415];
    /// The body is not valid.
    Invalid = [422];
}

/// Types that stand for the document's schemas by name, for a handler's
/// `body = ...` (`Vec<Name>` is an array of them). The schemas themselves
/// are the document's components (the shell's `schemas.rs`, an app's
/// part); each name here must be one of them, which the document's test
/// checks (every `$ref` resolves).
#[macro_export]
macro_rules! named_schemas {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("The `", stringify!($name), "` schema of `/openapi.json`.")]
        pub struct $name;
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::RefOr::Ref(::utoipa::openapi::Ref::from_schema_name(stringify!($name)))
            }
        }
        impl ::utoipa::ToSchema for $name {}
    )*};
}

named_schemas! {
    Problem, Accepted, Duplicate, Ignored, DecisionIn, Approval, Decided, JobSummary, Job, Skills,
    Skill, ShadowReport, LiveShadow, SkillSwap, User, Preferences, PreferencesIn, Feature, FeatureSet,
    OrgSummary, TokenCreated, ClockIn, ClockMoved, MagicLink, ProviderKeyKept, ProviderKey,
}

/// A submitting webhook's "nothing new": a redelivery or an event it
/// ignores.
pub struct DuplicateOrIgnored;
impl utoipa::PartialSchema for DuplicateOrIgnored {
    fn schema() -> RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(Ref::from_schema_name("Duplicate"))
            .item(Ref::from_schema_name("Ignored"))
            .into()
    }
}
impl utoipa::ToSchema for DuplicateOrIgnored {}

/// A binary body: a `.wasm` component.
pub struct Wasm;
impl utoipa::PartialSchema for Wasm {
    fn schema() -> RefOr<utoipa::openapi::schema::Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom("binary".into())))
            .into()
    }
}
impl utoipa::ToSchema for Wasm {}

/// A list route's `?limit=`: how many, newest first, at most `max`.
pub fn limit_param(max: i64) -> Parameter {
    ParameterBuilder::new()
        .name("limit")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some("How many, newest first"))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(max))
                .default(Some(100.into())),
        ))
        .build()
}

/// A list route's `?status=`: one of `statuses` (`default` when left out).
pub fn status_param(statuses: &[&str], default: &str) -> Parameter {
    ParameterBuilder::new()
        .name("status")
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(format!("Only these (default `{default}`)")))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(statuses.iter().copied()))
                .default(Some(default.into())),
        ))
        .build()
}

/// A list route's `?status=` (one of `statuses`, `default` when left out)
/// and `?limit=` (at most `max`).
pub fn list_params(statuses: &[&str], default: &str, max: i64) -> Vec<Parameter> {
    vec![status_param(statuses, default), limit_param(max)]
}
