//! A document's blocks as a PDF: A4 pages set in Helvetica (one of the
//! fourteen fonts every PDF reader has, so nothing is embedded), text
//! encoded as WinAnsi (a character it cannot hold becomes `?`), lines
//! wrapped by the font's own widths and pages broken where the next line
//! would not fit. `pdf-writer` writes the file's structure.

use super::Block;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY: f32 = 10.0;
const LEADING: f32 = 1.4;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Advance widths of Helvetica and Helvetica-Bold for the printable ASCII
/// characters (space to `~`), in thousandths of the font size, from
/// Adobe's Core 14 font metrics (AFM) files, which Adobe lets anyone use
/// and distribute.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

#[derive(Clone, Copy)]
enum Face {
    Regular,
    Bold,
}

impl Face {
    fn name(self) -> Name<'static> {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
        }
    }

    /// How wide `text` is at `size` points. A character outside ASCII is
    /// measured as a lowercase `n`, close enough for the accented letters
    /// WinAnsi holds.
    fn width(self, text: &str, size: f32) -> f32 {
        let table = match self {
            Face::Regular => &HELVETICA,
            Face::Bold => &HELVETICA_BOLD,
        };
        let units: u32 = text
            .chars()
            .map(|c| {
                let i = (c as u32).wrapping_sub(32) as usize;
                u32::from(table.get(i).copied().unwrap_or(table[(b'n' - 32) as usize]))
            })
            .sum();
        units as f32 * size / 1000.0
    }
}

/// `text` as WinAnsi bytes; a character the encoding cannot hold is `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        if unmappable || bytes.len() != 1 {
            out.push(b'?');
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    out
}

/// `text` broken into lines no wider than `max` (a word longer than a line
/// is left whole on its own line).
fn wrap(text: &str, face: Face, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if face.width(&candidate, size) > max && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The pages being written.
struct Pages {
    done: Vec<Content>,
    page: Content,
    /// The baseline of the next line, from the page's bottom.
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            page: Content::new(),
            y: HEIGHT - MARGIN,
        }
    }

    /// Room for `height` more points, on a new page if need be.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.done
                .push(std::mem::replace(&mut self.page, Content::new()));
            self.y = HEIGHT - MARGIN;
        }
    }

    fn text_at(&mut self, x: f32, face: Face, size: f32, text: &str) {
        self.page
            .begin_text()
            .set_font(face.name(), size)
            .set_text_matrix([1.0, 0.0, 0.0, 1.0, x, self.y])
            .show(Str(&win_ansi(text)))
            .end_text();
    }

    /// `text` wrapped to the width left of `indent`, one line after another.
    fn lines(&mut self, text: &str, face: Face, size: f32, indent: f32, before: f32) {
        self.y -= before;
        for l in wrap(text, face, size, WIDTH - 2.0 * MARGIN - indent) {
            self.room(size * LEADING);
            self.y -= size * LEADING;
            self.text_at(MARGIN + indent, face, size, &l);
        }
    }

    /// A row of cells: each `(x, right-aligned, text)`.
    fn row(&mut self, face: Face, cells: &[(f32, bool, &str)]) {
        self.room(BODY * LEADING);
        self.y -= BODY * LEADING;
        for (x, right, text) in cells {
            let at = if *right {
                x - face.width(text, BODY)
            } else {
                *x
            };
            self.text_at(at, face, BODY, text);
        }
    }

    fn rule(&mut self) {
        self.y -= 4.0;
        self.page
            .set_line_width(0.5)
            .move_to(MARGIN, self.y)
            .line_to(WIDTH - MARGIN, self.y)
            .stroke();
    }

    fn finish(mut self) -> Vec<Content> {
        self.done.push(self.page);
        self.done
    }
}

/// The blocks as a PDF titled `title`.
pub fn render(title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut pages = Pages::new();
    let right = WIDTH - MARGIN;
    for b in blocks {
        match b {
            Block::Title(t) => pages.lines(t, Face::Bold, 16.0, 0.0, 0.0),
            Block::Notice(items) => {
                pages.lines(
                    "Draft: to be completed before it can be approved",
                    Face::Bold,
                    BODY,
                    0.0,
                    8.0,
                );
                for i in items {
                    pages.lines(&format!("- {i}"), Face::Regular, BODY, 10.0, 0.0);
                }
                pages.rule();
            }
            Block::Heading(h) => {
                pages.room(40.0);
                pages.lines(h, Face::Bold, 12.0, 0.0, 10.0);
            }
            Block::Paragraph(p) => pages.lines(p, Face::Regular, BODY, 0.0, 4.0),
            Block::Bullets(items) => {
                for i in items {
                    pages.lines(&format!("- {i}"), Face::Regular, BODY, 10.0, 2.0);
                }
            }
            Block::Fees { rows, totals } => {
                let (qty, unit) = (right - 170.0, right - 80.0);
                pages.row(
                    Face::Bold,
                    &[
                        (MARGIN, false, "Item"),
                        (qty, true, "Quantity"),
                        (unit, true, "Unit price"),
                        (right, true, "Total"),
                    ],
                );
                for r in rows {
                    pages.row(
                        Face::Regular,
                        &[
                            (MARGIN, false, &r[0]),
                            (qty, true, &r[1]),
                            (unit, true, &r[2]),
                            (right, true, &r[3]),
                        ],
                    );
                }
                pages.rule();
                for (n, (label, amount)) in totals.iter().enumerate() {
                    let face = if n + 1 == totals.len() {
                        Face::Bold
                    } else {
                        Face::Regular
                    };
                    pages.row(
                        face,
                        &[
                            (MARGIN, false, label.as_str()),
                            (right, true, amount.as_str()),
                        ],
                    );
                }
            }
            Block::Signature { party, signer } => {
                pages.room(70.0);
                pages.lines(&format!("For {party}"), Face::Bold, BODY, 0.0, 14.0);
                if !signer.is_empty() {
                    pages.lines(signer, Face::Regular, BODY, 0.0, 0.0);
                }
                pages.lines(
                    "Signature: ______________________    Date: ____________",
                    Face::Regular,
                    BODY,
                    0.0,
                    12.0,
                );
            }
        }
    }
    write(title, pages.finish())
}

/// The PDF file of `pages`.
fn write(title: &str, pages: Vec<Content>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let ids: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|i| {
            let n = first + 2 * i32::try_from(i).unwrap_or(0);
            (Ref::new(n), Ref::new(n + 1))
        })
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(ids.len()).unwrap_or(i32::MAX));
    for ((page, content), body) in ids.iter().zip(pages) {
        let mut p = pdf.page(*page);
        p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        p.parent(tree);
        p.contents(*content);
        p.resources()
            .fonts()
            .pair(REGULAR, regular)
            .pair(BOLD, bold);
        p.finish();
        pdf.stream(*content, &body.finish());
    }
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(title));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_within_the_page_and_text_is_win_ansi() {
        let long = "word ".repeat(200);
        for l in wrap(&long, Face::Regular, BODY, WIDTH - 2.0 * MARGIN) {
            assert!(Face::Regular.width(&l, BODY) <= WIDTH - 2.0 * MARGIN, "{l}");
        }
        assert_eq!(win_ansi("Inès — €5"), b"In\xe8s \x97 \x805");
        assert_eq!(win_ansi("名"), b"?");
    }

    #[test]
    fn a_long_document_breaks_into_pages() {
        let mut pages = Pages::new();
        for i in 0..200 {
            pages.lines(
                &format!("Paragraph {i} of a long agreement."),
                Face::Regular,
                BODY,
                0.0,
                4.0,
            );
            assert!(pages.y >= MARGIN, "a line below the margin");
        }
        let n = pages.finish().len();
        assert!((4..=6).contains(&n), "{n} pages");
        let pdf = render("Long", &[Block::Paragraph("One line.".into())]);
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
