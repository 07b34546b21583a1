//! The inbox's shell, which every app's pages stand in: the page (one
//! calm, readable style, usable at phone width; the keyboard script),
//! signing in and out (an org token or a magic link; `login.rs`), the
//! session every page reads, the rep's clock (`clock.rs`), connecting a
//! Google account (`connect.rs`) and the connected accounts page with the
//! banner every signed-in page carries while one needs reconnecting
//! (`accounts.rs`), and the guard that keeps other sites out. The home
//! page (`/inbox`) and the pages about work are the apps': they add their
//! routes through [`layered`] and their styles to [`page`]. Forms post back
//! with a `SameSite=Strict` session cookie; every query is scoped to the
//! session's org and reach.

pub mod accounts;
pub mod clock;
pub mod connect;
mod keys;
mod login;
pub mod requests;

pub use clock::RepClock;

use crate::auth::InboxUser;
use crate::problem::Problem;
use crate::{App, Routes};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;
use maud::{DOCTYPE, Markup, html};
use std::sync::Arc;

/// The shell's routes: signing in and out, the connected accounts, and
/// connecting Google (with Google's OAuth callback, which ends on a page).
pub fn routes(app: &Arc<App>) -> Routes {
    layered(
        app,
        Routes::new()
            .routes(utoipa_axum::routes!(login::login))
            .routes(utoipa_axum::routes!(login::logout))
            .routes(utoipa_axum::routes!(login::magic))
            .routes(utoipa_axum::routes!(accounts::accounts))
            .routes(utoipa_axum::routes!(connect::connect_google))
            .routes(utoipa_axum::routes!(connect::google_callback))
            .routes(utoipa_axum::routes!(connect::connect_microsoft))
            .routes(utoipa_axum::routes!(connect::microsoft_callback))
            .routes(utoipa_axum::routes!(requests::request))
            .routes(utoipa_axum::routes!(requests::sequence_plan)),
    )
}

/// `pages` under what every inbox page has: the reconnect banner and the
/// guard (another site's form refused, the page headers added).
pub fn layered(app: &Arc<App>, pages: Routes) -> Routes {
    pages
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            accounts::with_banner,
        ))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            crate::guard::guard,
        ))
}

/// The base style of every inbox page: calm, readable, with good contrast,
/// and usable at phone width (390 px): nothing scrolls sideways (long words
/// wrap, tables shrink or stack their rows, wide blocks scroll in their own
/// box), fields are full width and tap targets at least 44 px high.
const STYLE: &str = "*,*::before,*::after{box-sizing:border-box}\
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\
body{font:1rem/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;margin:0 auto;padding:0 1.25rem 3rem;color:#1d1d1f;background:#fff}\
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;min-height:3.5rem;border-bottom:1px solid #e2e2e7;margin-bottom:1.25rem}\
header.top .brand{font-weight:600;text-decoration:none;color:#1d1d1f;display:inline-flex;align-items:center;min-height:44px}\
main{display:block}\
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .6rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}\
h1,h2,h3,p,li,dd,td,th,label,summary,legend,a{overflow-wrap:break-word}\
a{color:#0b57d0;text-underline-offset:.15em}a:hover{color:#083e94}\
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px;border-radius:2px}\
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}\
td,th{border-bottom:1px solid #e2e2e7;padding:.55rem .5rem;text-align:left;vertical-align:top}th{font-weight:600}\
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f7;border-radius:6px;padding:.8rem 1rem;overflow-x:auto}\
pre.body{font-family:inherit;font-size:1rem;line-height:1.6}\
code,kbd{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}\
kbd{border:1px solid #8a8a8e;border-bottom-width:2px;border-radius:4px;padding:0 .35em;background:#fff}\
img,svg,video{max-width:100%;height:auto}\
label{display:block;margin:.6rem 0 .2rem;font-weight:500}\
label:has(>input[type=checkbox]),label:has(>input[type=radio]){display:flex;align-items:center;gap:.6rem;min-height:44px;margin:0;font-weight:400}\
input,select,textarea,button{font:inherit;color:inherit;max-width:100%}\
input[type=text],input[type=email],input[type=search],input[type=url],input[type=password],input[type=number],input[type=datetime-local],input[type=date],input:not([type]),select,textarea{\
display:block;width:100%;min-height:44px;padding:.5rem .65rem;border:1px solid #8a8a8e;border-radius:6px;background:#fff}\
textarea{line-height:1.5;resize:vertical}\
input[type=checkbox],input[type=radio]{width:1.25rem;height:1.25rem;margin:0;flex:none;accent-color:#0b57d0}\
button,a.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:.5rem 1rem;margin:.25rem .4rem .25rem 0;\
border:1px solid #8a8a8e;border-radius:8px;background:#f5f5f7;color:#1d1d1f;text-decoration:none;cursor:pointer;line-height:1.2}\
button:hover,a.button:hover{background:#e8e8ed}\
button#approve,button#approve-edited,button.primary,a.button.primary{background:#0b57d0;border-color:#0b57d0;color:#fff}\
button#approve:hover,button#approve-edited:hover,button.primary:hover,a.button.primary:hover{background:#083e94}\
details{margin:.6rem 0}summary{display:flex;align-items:center;gap:.6rem;min-height:44px;cursor:pointer;font-weight:500;color:#0b57d0}\
summary::before{content:'';flex:none;width:.45rem;height:.45rem;border:solid currentColor;border-width:0 2px 2px 0;transform:rotate(-45deg);transition:transform .15s}\
details[open]>summary::before{transform:rotate(45deg)}@media (prefers-reduced-motion:reduce){summary::before{transition:none}}\
details[open]>summary{margin-bottom:.4rem}\
fieldset{border:1px solid #e2e2e7;border-radius:6px;margin:.6rem 0;padding:.4rem .9rem .7rem;min-width:0}\
.muted{color:#5f6368}.error{color:#b3261e}form.inline{display:inline}\
.document{border:1px solid #e2e2e7;border-radius:6px;padding:0 1rem;margin:1rem 0}\
svg.chart{display:block;margin:.4rem 0}\
#approvals .item.current{outline:3px solid #0b57d0;outline-offset:2px;border-radius:4px;background:#f0f5ff}\
dialog#keys-help{border:1px solid #8a8a8e;border-radius:10px;padding:1rem 1.25rem;max-width:min(26rem,calc(100vw - 2rem));color:#1d1d1f}\
dialog#keys-help::backdrop{background:rgb(0 0 0 / .35)}\
dialog#keys-help h2{margin-top:0}dialog#keys-help dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem;margin:.5rem 0 1rem}dialog#keys-help dd{margin:0}\
.keys-hint{margin-top:2.5rem;font-size:.9rem}\
@media (max-width:40rem){\
body{padding:0 .9rem 2rem}h1{font-size:1.35rem}\
table{display:block;overflow-x:auto;max-width:100%}td,th,p,li,dd,a,label{overflow-wrap:anywhere}table:has(th){font-size:.875rem}\
table:not(:has(th)),table:not(:has(th)) tbody,table:not(:has(th)) tr,table:not(:has(th)) td{display:block;width:100%}\
table:not(:has(th)) tr{border-bottom:1px solid #e2e2e7;padding:.4rem 0}\
table:not(:has(th)) td{border:0;padding:.1rem 0}\
form.inline{display:block}form.inline button,form:not(.inline)>button[type=submit]{width:100%}\
}";

/// A page: `body` under the shell's header, with the shell's style and
/// then `styles` (an app's own).
pub fn page(title: &str, styles: &[&str], body: Markup) -> Html<String> {
    Html(page_markup(title, styles, body).into_string())
}

fn page_markup(title: &str, styles: &[&str], body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · baton" }
                style { (maud::PreEscaped(STYLE)) @for s in styles { (maud::PreEscaped(*s)) } }
            }
            body {
                header.top { a.brand href="/inbox" { "baton inbox" } }
                main #main { (body) }
                (keys::script())
            }
        }
    }
}

/// [`page`], reloading itself every 2 s while `refresh` (a job still
/// moving).
pub fn page_with_refresh(
    title: &str,
    styles: &[&str],
    refresh: bool,
    body: Markup,
) -> Html<String> {
    let Html(inner) = page(title, styles, body);
    if !refresh {
        return Html(inner);
    }
    // A job still moving reloads itself so the reader sees it go on:
    // without JavaScript by a meta refresh (inside `noscript`, so a browser
    // running scripts never sees a timed refresh, WCAG 2.2.1), with it by a
    // script that waits while the reader types or reads the help.
    Html(inner.replacen("<head>", REFRESH, 1))
}

/// What [`page_with_refresh`] puts at the top of `<head>`.
const REFRESH: &str = "<head><noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>\
<script>(function(){function again(){var a=document.activeElement;\
if((a&&/^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName))||document.querySelector('dialog[open]')){setTimeout(again,2000);return;}\
location.reload();}setTimeout(again,2000);})();</script>";

/// The sign-in page, answered with `status`, saying `error` if any.
pub fn login_page(status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        h1 { "Sign in" }
        @if let Some(e) = error { p.error { (e) } }
        form method="post" action="/inbox/login" {
            label for="token" { "Org API token" }
            input #token type="text" name="token" autocomplete="off";
            button type="submit" { "Sign in" }
        }
        p.muted { "Or open a magic link from your operator." }
    };
    (status, page("Sign in", &[], body)).into_response()
}

/// Who is signed in, if anyone.
pub async fn session(app: &App, jar: &CookieJar) -> Result<Option<InboxUser>, Problem> {
    InboxUser::from_jar(app, jar).await
}
