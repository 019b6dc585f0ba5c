//! Attached files: what their bytes are, the names they keep, and the
//! `Content-Disposition` downloads carry.

use app::model::documents::ATTACHMENT_TYPES;

/// The extension of an accepted file type (`pdf`, `doc`, `docx`, `xls`,
/// `xlsx`, `odt`) read from its bytes (the `infer` crate's signatures:
/// `%PDF`, the OLE2 compound file's streams, the ZIP's parts), or `None`.
/// The name a file was sent with is never trusted.
pub fn kind_of(bytes: &[u8]) -> Option<&'static str> {
    if infer::archive::is_pdf(bytes) {
        Some("pdf")
    } else if infer::doc::is_docx(bytes) {
        Some("docx")
    } else if infer::doc::is_xlsx(bytes) {
        Some("xlsx")
    } else if infer::odf::is_odt(bytes) {
        Some("odt")
    } else if infer::doc::is_doc(bytes) {
        Some("doc")
    } else if infer::doc::is_xls(bytes) {
        Some("xls")
    } else {
        None
    }
}

/// The `Content-Type` of an accepted kind.
pub fn content_type(kind: &str) -> &'static str {
    ATTACHMENT_TYPES
        .iter()
        .find(|(ext, _)| *ext == kind)
        .map(|(_, mime)| *mime)
        .unwrap_or("application/octet-stream")
}

/// The name a file keeps: what was sent ([`crate::text::uploaded_file_name`]),
/// at most 150 characters before the extension, ending in the extension its
/// bytes showed:
/// `"Kế hoạch.PDF"` stays, `"ke-hoach.pdf"` sent as a DOCX becomes
/// `"ke-hoach.docx"`.
pub fn clean_file_name(raw: &str, kind: &str) -> String {
    let name = crate::text::uploaded_file_name(raw);
    let stem = match name.rsplit_once('.') {
        Some((stem, ext))
            if ATTACHMENT_TYPES
                .iter()
                .any(|(known, _)| known.eq_ignore_ascii_case(ext)) =>
        {
            if ext.eq_ignore_ascii_case(kind) {
                let stem = shortened(stem);
                return if stem.is_empty() {
                    format!("van-ban.{kind}")
                } else {
                    format!("{stem}.{ext}")
                };
            }
            stem
        }
        _ => name.as_str(),
    };
    let stem = shortened(stem);
    let stem = if stem.is_empty() {
        "van-ban".to_owned()
    } else {
        stem
    };
    format!("{stem}.{kind}")
}

/// A name's stem, at most 150 characters, with no space at either end.
fn shortened(stem: &str) -> String {
    let cut: String = stem.trim().chars().take(150).collect();
    cut.trim_end().to_owned()
}

/// `Content-Disposition` for downloading `name` (RFC 6266): an ASCII
/// `filename` for old clients and the exact UTF-8 name in `filename*`
/// (RFC 8187), so "Kế hoạch số 12.pdf" arrives as it was uploaded.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = deunicode::deunicode(name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        app::url::encode_component(name)
    )
}

/// A small, valid PDF 1.4 of one A4 page with `lines` of text (Helvetica;
/// ASCII only, as the standard fonts have no Vietnamese letters): the demo
/// documents' attachments.
pub fn demo_pdf(lines: &[String]) -> Vec<u8> {
    let mut text = String::from("BT /F1 13 Tf 56 780 Td 18 TL\n");
    for line in lines {
        let ascii: String = deunicode::deunicode(line)
            .chars()
            .filter(|c| c.is_ascii() && !c.is_ascii_control())
            .map(|c| match c {
                '(' | ')' | '\\' => ' ',
                c => c,
            })
            .collect();
        // About 80 characters fit on a line at this size.
        let mut rest = ascii.as_str();
        while !rest.is_empty() {
            let cut = if rest.len() <= 80 {
                rest.len()
            } else {
                rest[..80].rfind(' ').filter(|&i| i > 0).unwrap_or(80)
            };
            text.push_str(&format!("({}) Tj T*\n", rest[..cut].trim()));
            rest = rest[cut..].trim_start();
        }
        text.push_str("T*\n");
    }
    text.push_str("ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes() {
        let pdf = demo_pdf(&["Quyết định số 1234/QĐ-UBND".to_owned()]);
        assert_eq!(kind_of(&pdf), Some("pdf"));
        assert_eq!(kind_of(b"MZ\x90\x00 a program renamed to .pdf"), None);
        assert_eq!(kind_of(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(kind_of(b"PK\x03\x04 just a zip"), None);
        assert_eq!(kind_of(b""), None);
    }

    #[test]
    fn names_keep_vietnamese_and_end_in_the_true_extension() {
        assert_eq!(
            clean_file_name("K%E1%BA%BF%20ho%E1%BA%A1ch%20s%E1%BB%91%2012.pdf", "pdf"),
            "Kế hoạch số 12.pdf"
        );
        assert_eq!(clean_file_name("ke-hoach.pdf", "docx"), "ke-hoach.docx");
        assert_eq!(clean_file_name("bao-cao", "xlsx"), "bao-cao.xlsx");
        assert_eq!(clean_file_name("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(clean_file_name("", "odt"), "van-ban.odt");
        assert_eq!(clean_file_name(".pdf", "pdf"), "van-ban.pdf");
        assert_eq!(clean_file_name("Báo cáo.PDF", "pdf"), "Báo cáo.PDF");
    }

    #[test]
    fn downloads_name_the_file_for_every_client() {
        assert_eq!(
            content_disposition("Kế hoạch \"CCHC\" 2026.pdf"),
            "attachment; filename=\"Ke hoach _CCHC_ 2026.pdf\"; \
             filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20%22CCHC%22%202026.pdf"
        );
        let header = content_disposition("a\r\nSet-Cookie: x.pdf");
        assert!(!header.contains('\r') && !header.contains('\n'), "{header}");
        assert!(axum::http::HeaderValue::from_str(&header).is_ok());
    }

    #[test]
    fn the_demo_pdf_is_well_formed() {
        let pdf = demo_pdf(&["Một dòng (có ngoặc) và \\ gạch".to_owned(), "x".repeat(200)]);
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        // The cross-reference table points at each object.
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|rest| rest.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(text[xref_at..].starts_with("xref\n0 6\n"));
        for (i, line) in text[xref_at..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "{line}"
            );
        }
    }
}
