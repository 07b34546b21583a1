//! A document's blocks as HTML, for the inbox's document page.

use super::Block;
use maud::{Markup, html};

/// The document's body (the page around it is the caller's).
pub fn render(blocks: &[Block]) -> Markup {
    html! {
        article.document {
            @for b in blocks {
                @match b {
                    Block::Title(t) => h1 { (t) },
                    Block::Notice(items) => {
                        section.notice aria-label="To settle before approval" {
                            p { strong { "Draft: to be completed before it can be approved" } }
                            ul { @for i in items { li { (i) } } }
                        }
                    }
                    Block::Heading(h) => h2 { (h) },
                    Block::Paragraph(p) => p { (p) },
                    Block::Bullets(items) => ul { @for i in items { li { (i) } } },
                    Block::Fees { rows, totals } => {
                        table.fees {
                            thead { tr { th scope="col" { "Item" } th scope="col" { "Quantity" } th scope="col" { "Unit price" } th scope="col" { "Total" } } }
                            tbody {
                                @for r in rows {
                                    tr { td { (r[0]) } td.num { (r[1]) } td.num { (r[2]) } td.num { (r[3]) } }
                                }
                            }
                            tfoot {
                                @for (n, (label, amount)) in totals.iter().enumerate() {
                                    tr { th scope="row" colspan="3" { (label) }
                                        td.num { @if n + 1 == totals.len() { strong { (amount) } } @else { (amount) } } }
                                }
                            }
                        }
                    }
                    Block::Signature { party, signer } => {
                        p.signature {
                            "For " (party) ": " (signer)
                            br; "Signature: ______________________  Date: ____________"
                        }
                    }
                }
            }
        }
    }
}

/// The page's own styles.
pub const STYLE: &str = "article.document{max-width:44rem}\
section.notice{border:2px solid #a4262c;padding:.4rem .8rem;margin:1rem 0}\
table.fees{border-collapse:collapse}table.fees td,table.fees th{padding:.2rem .8rem .2rem 0;text-align:left}\
table.fees .num{text-align:right}p.signature{margin-top:1.2rem}";
