//! Demo documents of a city's administrative-reform programme. Their rows
//! are seeded with the demo content (one transaction); their files, small
//! PDFs made here, are written by [`write_demo_files`] when a library
//! starts without them (a new media folder, a second server).

use std::path::Path;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter,
};
use time::OffsetDateTime;

use crate::db::entities::{document, document_file};

/// The prefix of demo files' tokens: only those are ever regenerated.
const DEMO_TOKEN_PREFIX: &str = "demo";

struct Demo {
    number: &'static str,
    form: &'static str,
    issuer: &'static str,
    signer: &'static str,
    field: &'static str,
    summary: &'static str,
    issued_on: &'static str,
    effective_on: &'static str,
    expires_on: &'static str,
    replaced_by: &'static str,
    files: &'static [&'static str],
}

const CITY: &str = "Ủy ban nhân dân thành phố Cần Thơ";
const HOME_AFFAIRS: &str = "Sở Nội vụ thành phố Cần Thơ";
const REFORM: &str = "Cải cách hành chính";

const DEMOS: [Demo; 6] = [
    Demo {
        number: "289/KH-UBND",
        form: "Kế hoạch",
        issuer: CITY,
        signer: "Chủ tịch Ủy ban nhân dân thành phố",
        field: REFORM,
        summary: "Kế hoạch cải cách hành chính năm 2026 của thành phố Cần Thơ",
        issued_on: "2025-12-20",
        effective_on: "2026-01-01",
        expires_on: "",
        replaced_by: "",
        files: &["Kế hoạch 289-KH-UBND cải cách hành chính năm 2026.pdf"],
    },
    Demo {
        number: "1234/QĐ-UBND",
        form: "Quyết định",
        issuer: CITY,
        signer: "Phó Chủ tịch Ủy ban nhân dân thành phố",
        field: REFORM,
        summary: "Về việc ban hành Bộ chỉ số đánh giá kết quả thực hiện cải cách hành chính \
                  của các sở, ban, ngành và Ủy ban nhân dân quận, huyện năm 2026",
        issued_on: "2026-03-05",
        effective_on: "2026-03-05",
        expires_on: "",
        replaced_by: "",
        files: &[
            "Quyết định 1234-QĐ-UBND.pdf",
            "Phụ lục Bộ chỉ số cải cách hành chính 2026.pdf",
        ],
    },
    Demo {
        number: "456/SNV-CCHC",
        form: "Công văn",
        issuer: HOME_AFFAIRS,
        signer: "Giám đốc Sở Nội vụ",
        field: REFORM,
        summary: "Về việc triển khai khảo sát sự hài lòng của người dân, tổ chức đối với \
                  sự phục vụ của cơ quan hành chính nhà nước năm 2026",
        issued_on: "2026-04-10",
        effective_on: "",
        expires_on: "",
        replaced_by: "",
        files: &["Công văn 456-SNV-CCHC khảo sát sự hài lòng.pdf"],
    },
    Demo {
        number: "78/TB-SNV",
        form: "Thông báo",
        issuer: HOME_AFFAIRS,
        signer: "Phó Giám đốc Sở Nội vụ",
        field: REFORM,
        summary: "Kết quả chấm điểm Chỉ số cải cách hành chính 6 tháng đầu năm 2026 \
                  của các cơ quan, đơn vị",
        issued_on: "2026-07-15",
        effective_on: "",
        expires_on: "",
        replaced_by: "",
        files: &["Thông báo 78-TB-SNV kết quả chấm điểm.pdf"],
    },
    Demo {
        number: "05/CT-UBND",
        form: "Chỉ thị",
        issuer: CITY,
        signer: "Chủ tịch Ủy ban nhân dân thành phố",
        field: "Kiểm soát thủ tục hành chính",
        summary: "Về tăng cường kỷ luật, kỷ cương hành chính trong giải quyết thủ tục \
                  hành chính cho người dân, doanh nghiệp",
        issued_on: "2025-02-14",
        effective_on: "2025-02-14",
        expires_on: "",
        replaced_by: "",
        files: &["Chỉ thị 05-CT-UBND.pdf"],
    },
    Demo {
        number: "210/KH-UBND",
        form: "Kế hoạch",
        issuer: CITY,
        signer: "Chủ tịch Ủy ban nhân dân thành phố",
        field: REFORM,
        summary: "Kế hoạch cải cách hành chính năm 2025 của thành phố Cần Thơ",
        issued_on: "2024-12-18",
        effective_on: "2025-01-01",
        expires_on: "2025-12-31",
        replaced_by: "289/KH-UBND",
        files: &["Kế hoạch 210-KH-UBND cải cách hành chính năm 2025.pdf"],
    },
];

fn demo_token(document: usize, file: usize) -> String {
    format!("{DEMO_TOKEN_PREFIX}{document:02}{file:02}")
}

/// The demo file's bytes: a one-page PDF stating the document.
fn demo_bytes(demo: &Demo, file_name: &str) -> Vec<u8> {
    super::files::demo_pdf(&[
        demo.issuer.to_uppercase(),
        format!("So: {}", demo.number),
        format!("{} - ngay {}", demo.form.to_uppercase(), demo.issued_on),
        demo.summary.to_owned(),
        format!("Tep: {file_name}"),
        "Ban mau cua trang thong tin dien tu (du lieu trinh dien).".to_owned(),
    ])
}

/// Inserts the demo documents (published, with their file rows).
pub async fn insert_demo<C: ConnectionTrait>(db: &C, now: OffsetDateTime) -> Result<(), DbErr> {
    for (i, demo) in DEMOS.iter().enumerate() {
        let slug = format!(
            "{}-{}",
            crate::slug::slugify(demo.number),
            &demo.issued_on[..4]
        );
        let saved = document::ActiveModel {
            slug: Set(slug),
            number: Set(demo.number.to_owned()),
            form: Set(demo.form.to_owned()),
            issuer: Set(demo.issuer.to_owned()),
            signer: Set(demo.signer.to_owned()),
            field: Set(demo.field.to_owned()),
            summary: Set(demo.summary.to_owned()),
            issued_on: Set(demo.issued_on.to_owned()),
            effective_on: Set(demo.effective_on.to_owned()),
            expires_on: Set(demo.expires_on.to_owned()),
            replaced_by: Set(demo.replaced_by.to_owned()),
            search_text: Set(super::search_text(&[
                demo.number,
                demo.summary,
                demo.issuer,
                demo.signer,
                demo.form,
                demo.field,
            ])),
            published: Set(true),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (j, name) in demo.files.iter().enumerate() {
            document_file::ActiveModel {
                document_id: Set(saved.id),
                token: Set(demo_token(i, j)),
                file_name: Set((*name).to_owned()),
                kind: Set("pdf".to_owned()),
                bytes: Set(demo_bytes(demo, name).len() as i64),
                position: Set(j as i32),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Writes the demo documents' files that are missing from `dir`.
pub async fn write_demo_files(db: &DatabaseConnection, dir: &Path) -> Result<(), DbErr> {
    let rows = document_file::Entity::find()
        .filter(document_file::Column::Token.starts_with(DEMO_TOKEN_PREFIX))
        .all(db)
        .await?;
    for row in rows {
        let path = dir.join(&row.token);
        if path.exists() {
            continue;
        }
        let found = DEMOS.iter().enumerate().find_map(|(i, demo)| {
            demo.files
                .iter()
                .enumerate()
                .find(|(j, _)| demo_token(i, *j) == row.token)
                .map(|(_, name)| demo_bytes(demo, name))
        });
        if let Some(bytes) = found {
            // Written whole under a hidden name, then renamed: two servers
            // starting at once both write the same bytes.
            let staging = dir.join(format!(".tai-len-{}-{}", row.token, std::process::id()));
            let written =
                std::fs::write(&staging, bytes).and_then(|()| std::fs::rename(&staging, &path));
            if let Err(e) = written
                && !path.exists()
            {
                return Err(DbErr::Custom(format!(
                    "cannot write {}: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_files_are_pdfs_their_rows_describe() {
        for (i, demo) in DEMOS.iter().enumerate() {
            for (j, name) in demo.files.iter().enumerate() {
                let bytes = demo_bytes(demo, name);
                assert_eq!(super::super::files::kind_of(&bytes), Some("pdf"), "{name}");
                assert!(demo_token(i, j).len() <= 32);
            }
            assert!(app::model::documents::DOCUMENT_FORMS.contains(&demo.form));
        }
    }
}
