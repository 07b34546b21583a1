//! Connected calendars fill `meetings` through a real `baton serve`: Google
//! Calendar against the loopback Google (sync tokens, pages, 410, 401,
//! watch channels and pushes) and CalDAV against a real Radicale. Meetings
//! with someone from outside land, matched to the CRM-lite contact and
//! their open deal; `pre_meeting_90min` fires once per meeting however it
//! moves, and never for a cancelled one.

mod caldav;
mod google;

use baton::accounts::Vault;
use baton::store::CrmTables;
use baton::store::{NewAccount, NewDeal, OrgId, Store, UserId};
use serde_json::{Value, json};

/// The outside buyer: a CRM-lite contact with an open deal.
const BUYER: &str = "aisha.bello@harbour.example";
/// rep1's address (as `server::start` makes them).
const REP: &str = "jordan.avery@acme.example";
/// Another rep of the same org: not an outside attendee.
const COLLEAGUE: &str = "priya@acme.example";

const PRE: &str =
    "event = \"pre_meeting_90min\"\ndedupe_key = \"meeting_id\"\n[[step]]\nskill = \"scripted\"\n";

/// What exists before the service starts: the org and its reps (as
/// `server::start` makes them), the buyer and their open deal.
struct World {
    org: OrgId,
    rep: UserId,
    contact: String,
    deal: String,
    key: String,
}

async fn world(store: &Store) -> World {
    let org = store
        .upsert_org("acme", "Acme", &json!({}))
        .await
        .expect("org");
    let rep = store
        .upsert_user(&org, "rep1", "Jordan Avery", REP, "rep")
        .await
        .expect("rep");
    store
        .upsert_user(&org, "rep2", "Priya", COLLEAGUE, "rep")
        .await
        .expect("rep2");
    let contact = store
        .upsert_contact(&org, None, "Aisha Bello", BUYER, Some("CFO"))
        .await
        .expect("contact");
    let deal = store
        .insert_deal(
            &org,
            &NewDeal {
                contact_id: Some(&contact),
                owner: Some(&rep),
                name: "Harbour Freight renewal",
                stage: "discovery",
                currency: "GBP",
                ..NewDeal::default()
            },
            0,
        )
        .await
        .expect("deal");
    World {
        org,
        rep,
        contact,
        deal,
        key: Vault::new_key(),
    }
}

/// Connect an account for rep1 with `secret` sealed under the world's key.
async fn connect(
    store: &Store,
    w: &World,
    provider: &str,
    address: &str,
    scopes: &str,
    settings: Value,
    secret: Value,
) -> String {
    let vault = Vault::from_key(&w.key).expect("key");
    store
        .connect_account(
            &NewAccount {
                org_id: &w.org,
                user_id: Some(&w.rep),
                provider,
                address,
                scopes,
                settings: &settings,
                token_expires_at: None,
            },
            |id| vault.seal_json(id, &secret),
            1,
        )
        .await
        .expect("connect")
        .expect("the address is no other rep's")
        .id
}
