//! `deal_documents`: a deal's documents beside its proposals (contracts,
//! invoices), each draft a version of its kind. A draft is written with the checkpoint
//! of the step that drafted it ([`draft_rows`], one transaction with the
//! step's output): when it says something the live version does not, the
//! live one is superseded, the new version recorded and an entry appended
//! to the deal's engagement log; the same document drafted again (say,
//! once an approval lets it be sent) changes nothing. Every query is scoped
//! to an org.

use baton_store::{JobId, OrgId, Param, Row, Store, StoreError, on_pool};
use serde::Serialize;

/// One version of a deal's document.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Document {
    pub id: String,
    #[serde(skip)]
    pub org_id: OrgId,
    pub deal_id: String,
    /// `contract` or `invoice`.
    pub kind: String,
    pub version: i64,
    /// `draft`, `sent` or `superseded`.
    pub status: String,
    pub title: String,
    /// The document as drafted (a `baton_types::contract::ContractDoc` or
    /// `baton_types::invoice::InvoiceDoc`), as JSON text.
    #[serde(skip)]
    pub doc: String,
    /// How many facts it lacks.
    pub gaps: i64,
    #[serde(skip)]
    pub job_id: String,
    /// The version it replaced.
    pub supersedes: Option<i64>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

const COLUMNS: &str = "id, org_id, deal_id, kind, version, status, title, doc, gaps, job_id,
    supersedes, created_at, sent_at";

/// Lock the deal's row for the rest of the transaction (as an engagement
/// change does), so a draft and an engagement change on one deal apply one
/// after the other and the log's places stay unique.
const HOLD_DEAL: &str = "UPDATE deals SET updated_at = updated_at WHERE org_id = $1 AND id = $2";

/// Whether the draft is of the terms last asked for (`$n` the digest).
macro_rules! asked {
    ($org:literal, $deal:literal, $kind:literal, $terms:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM deal_document_asks WHERE org_id = ",
            $org,
            " AND deal_id = ",
            $deal,
            " AND kind = ",
            $kind,
            " AND terms = ",
            $terms,
            ")"
        )
    };
}

const SUPERSEDE: &str = concat!(
    "UPDATE deal_documents SET status = 'superseded'
    WHERE org_id = $1 AND deal_id = $2 AND kind = $3 AND status IN ('draft', 'sent')
      AND doc <> $4 AND ",
    asked!("$1", "$2", "$3", "$5")
);

const INSERT: &str = concat!(
    "INSERT INTO deal_documents (id, org_id, deal_id, kind, version, status,
        title, doc, gaps, job_id, supersedes, created_at)
    SELECT $1, $2, $3, $4,
        COALESCE((SELECT MAX(version) FROM deal_documents
                  WHERE org_id = $2 AND deal_id = $3 AND kind = $4), 0) + 1,
        'draft', $5, $6, $7, $8,
        (SELECT MAX(version) FROM deal_documents
         WHERE org_id = $2 AND deal_id = $3 AND kind = $4),
        $9
    WHERE NOT EXISTS (SELECT 1 FROM deal_documents WHERE id = $1)
      AND NOT EXISTS (SELECT 1 FROM deal_documents
                      WHERE org_id = $2 AND deal_id = $3 AND kind = $4
                        AND status IN ('draft', 'sent') AND doc = $6)
      AND ",
    asked!("$2", "$3", "$4", "$10")
);

const LOG: &str = "INSERT INTO engagement_events (id, org_id, deal_id, seq, event_type, actor,
        at, happening, related_artifact, related_track, notes)
    SELECT $1, $2, $3,
        COALESCE((SELECT MAX(seq) FROM engagement_events WHERE org_id = $2 AND deal_id = $3), 0) + 1,
        CASE WHEN (SELECT COUNT(*) FROM deal_documents
                   WHERE org_id = $2 AND deal_id = $3 AND kind = $4) > 1
             THEN 'artifact_revised' ELSE 'artifact_created' END,
        'baton', $5, $6, $7, 'commercial', $8
    WHERE EXISTS (SELECT 1 FROM deal_documents WHERE org_id = $2 AND id = $7)
      AND NOT EXISTS (SELECT 1 FROM engagement_events WHERE id = $1)";

/// A new draft's fields.
pub struct NewDraft<'a> {
    pub deal_id: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    /// The document's JSON.
    pub doc: &'a str,
    pub gaps: usize,
    /// For the event log: what the draft is and lacks.
    pub note: &'a str,
    /// The digest of the terms it was drafted from.
    pub terms: &'a str,
}

/// The id of the draft `job` makes of `kind`: one per job, so a checkpoint
/// written again records nothing twice.
pub fn draft_id(job: &JobId, kind: &str) -> String {
    format!("{kind}_{}", job.as_str())
}

/// The rows that record `d`, drafted by `job`, with the step's checkpoint.
pub fn draft_rows(org: &OrgId, job: &JobId, now: i64, d: &NewDraft<'_>) -> Vec<Row> {
    let id = draft_id(job, d.kind);
    let gaps = i64::try_from(d.gaps).unwrap_or(i64::MAX);
    vec![
        Row {
            statement: HOLD_DEAL,
            values: vec![org.as_str().into(), d.deal_id.into()],
        },
        Row {
            statement: SUPERSEDE,
            values: vec![
                org.as_str().into(),
                d.deal_id.into(),
                d.kind.into(),
                d.doc.into(),
                d.terms.into(),
            ],
        },
        Row {
            statement: INSERT,
            values: vec![
                id.as_str().into(),
                org.as_str().into(),
                d.deal_id.into(),
                d.kind.into(),
                d.title.into(),
                d.doc.into(),
                Param::from(gaps),
                job.as_str().into(),
                now.into(),
                d.terms.into(),
            ],
        },
        Row {
            statement: LOG,
            values: vec![
                format!("ev_{id}").into(),
                org.as_str().into(),
                d.deal_id.into(),
                d.kind.into(),
                now.into(),
                format!("{}_drafted", d.kind).into(),
                id.as_str().into(),
                d.note.into(),
            ],
        },
    ]
}

#[easy_ext::ext(DocumentTables)]
impl Store {
    /// The deal's documents, newest version first within each kind.
    pub async fn documents_of_deal(
        &self,
        org: &OrgId,
        deal: &str,
    ) -> Result<Vec<Document>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM deal_documents WHERE org_id = $1 AND deal_id = $2
             ORDER BY kind, version DESC"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(deal).fetch_all(pool).await)?)
    }

    /// One document of the org.
    pub async fn document(&self, org: &OrgId, id: &str) -> Result<Option<Document>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM deal_documents WHERE org_id = $1 AND id = $2");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(id).fetch_optional(pool).await)?)
    }

    /// The live version of the deal's `kind` (a draft or sent), if any.
    pub async fn live_document(
        &self,
        org: &OrgId,
        deal: &str,
        kind: &str,
    ) -> Result<Option<Document>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM deal_documents WHERE org_id = $1 AND deal_id = $2 AND kind = $3
               AND status IN ('draft', 'sent') ORDER BY version DESC LIMIT 1"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(org).bind(deal).bind(kind).fetch_optional(pool).await)?)
    }

    /// Record that the deal's `kind` was last asked for from `terms` (a
    /// digest): only a draft of these terms is recorded.
    pub async fn ask_document(
        &self,
        org: &OrgId,
        deal: &str,
        kind: &str,
        terms: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "INSERT INTO deal_document_asks (org_id, deal_id, kind, terms, at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (org_id, deal_id, kind) DO UPDATE SET terms = excluded.terms, at = excluded.at")
            .bind(org).bind(deal).bind(kind).bind(terms).bind(now).execute(pool).await.map(drop))?;
        Ok(())
    }

    /// The org's number for the deal's invoice of `purpose` (`deposit`)
    /// and the time it was given: the one already given, else the org's
    /// next (`{prefix}-0001`, …). Two deals asking at once cannot share a
    /// number: the loser of the race on the org's sequence asks again.
    pub async fn invoice_number(
        &self,
        org: &OrgId,
        deal: &str,
        purpose: &str,
        prefix: &str,
        now: i64,
    ) -> Result<(String, i64), StoreError> {
        for _ in 0..8 {
            let given: Option<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
                    "SELECT number, at FROM invoice_numbers
                     WHERE org_id = $1 AND deal_id = $2 AND purpose = $3")
                .bind(org).bind(deal).bind(purpose).fetch_optional(pool).await)?;
            if let Some(given) = given {
                return Ok(given);
            }
            let last: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
                    "SELECT MAX(seq) FROM invoice_numbers WHERE org_id = $1")
                .bind(org).fetch_one(pool).await)?;
            let seq = last.unwrap_or(0) + 1;
            let number = format!("{prefix}-{seq:04}");
            // Nothing is written when either key is taken: this deal got
            // its number meanwhile, or another deal took `seq`.
            on_pool!(self, pool => sqlx::query(
                    "INSERT INTO invoice_numbers (org_id, deal_id, purpose, seq, number, at)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING")
                .bind(org).bind(deal).bind(purpose).bind(seq).bind(&number).bind(now)
                .execute(pool).await.map(drop))?;
        }
        Err(StoreError::Stale(format!(
            "no invoice number could be given to deal {deal}: the org's sequence kept moving"
        )))
    }

    /// Mark the document sent (a draft only; a superseded one stays so).
    pub async fn mark_document_sent(
        &self,
        org: &OrgId,
        id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE deal_documents SET status = 'sent', sent_at = COALESCE(sent_at, $3)
                 WHERE org_id = $1 AND id = $2 AND status = 'draft'")
            .bind(org).bind(id).bind(now).execute(pool).await.map(drop))?;
        Ok(())
    }
}
