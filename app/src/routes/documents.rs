//! The legal-documents library: the list at `/van-ban` (filters and words
//! in the address, so it works as a plain form without JavaScript) and a
//! document's page at `/van-ban/{slug}`.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params, use_query_map};
use leptos_router::params::Params;

use crate::api::documents::{document_by_slug, list_documents};
use crate::components::breadcrumbs::Breadcrumbs;
use crate::components::pagination::{Pagination, canonical_href, page_title};
use crate::components::status::{Loading, NotFound, PageBeyondEnd, ServiceUnavailable};
use crate::model::documents::{
    Document, DocumentFacets, DocumentQuery, DocumentSort, DocumentSummary, format_date,
};
use crate::model::{format_count, parse_page};

/// The list's title and address.
const TITLE: &str = "Văn bản";
const PATH: &str = "/van-ban";
const FEED: &str = "/van-ban/rss.xml";

/// Reads the list's query string (`q`, `loai`, `co-quan`, `linh-vuc`,
/// `nam`, `sap-xep`, `trang`) leniently: what cannot be read is left out.
fn read_query(params: &leptos_router::params::ParamsMap) -> DocumentQuery {
    let text = |name: &str| {
        params
            .get(name)
            .map(|v| v.trim().chars().take(200).collect::<String>())
            .unwrap_or_default()
    };
    DocumentQuery {
        q: text("q"),
        form: text("loai"),
        issuer: text("co-quan"),
        field: text("linh-vuc"),
        year: params
            .get("nam")
            .and_then(|y| y.trim().parse().ok())
            .filter(|y| (1900..=9999).contains(y)),
        sort: DocumentSort::parse(params.get("sap-xep").unwrap_or_default().trim()),
        page: parse_page(params.get("trang").as_deref()),
    }
}

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let params = use_query_map();
    let key = move || read_query(&params.read());
    let listing = Resource::new(key, list_documents);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let query = key();
                match listing.await {
                    Ok(listing) => {
                        let first_page = query.href(1);
                        let page = listing.page;
                        let beyond_end = page.items.is_empty() && page.page > 1;
                        let title = page_title(TITLE, page.page);
                        view! {
                            <Title text=title/>
                            <Meta
                                name="description"
                                content="Văn bản chỉ đạo, điều hành về cải cách hành chính: số/ký hiệu, trích yếu, ngày ban hành, hiệu lực và tệp toàn văn."
                            />
                            {query
                                .is_filtered()
                                .then(|| view! { <Meta name="robots" content="noindex"/> })}
                            <Link rel="canonical" href=canonical_href(PATH, page.page)/>
                            <Link
                                rel="alternate"
                                type_="application/rss+xml"
                                title="Văn bản mới"
                                href=FEED
                            />
                            <Breadcrumbs ancestors=Vec::new() current=TITLE.to_owned()/>
                            <h1 class="section-title page-title">{TITLE}</h1>
                            <Filters query=query.clone() facets=listing.facets/>
                            {if beyond_end {
                                view! { <PageBeyondEnd page=page.page first_page/> }.into_any()
                            } else if page.total == 0 {
                                view! {
                                    <p class="search-summary" role="status">
                                        "Không có văn bản nào khớp với điều kiện lọc. "
                                        <a href=PATH>"Xem tất cả văn bản"</a>
                                    </p>
                                }
                                    .into_any()
                            } else {
                                let last = page.page_count();
                                view! {
                                    <p class="search-summary" role="status">
                                        {format!(
                                            "{} {} văn bản.",
                                            if query.is_filtered() { "Tìm thấy" } else { "Có" },
                                            format_count(page.total),
                                        )}
                                    </p>
                                    <ul class="document-list">
                                        {page
                                            .items
                                            .into_iter()
                                            .map(|item| view! { <DocumentItem item/> })
                                            .collect_view()}
                                    </ul>
                                    <Pagination base=first_page current=page.page last/>
                                }
                                    .into_any()
                            }}
                            <p class="feed-link">
                                <a href=FEED>"Theo dõi văn bản mới qua RSS"</a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The filter form: a plain GET form, so it works without JavaScript.
#[component]
fn Filters(query: DocumentQuery, facets: DocumentFacets) -> impl IntoView {
    let select = move |id: &'static str,
                       name: &'static str,
                       label: &'static str,
                       choices: Vec<String>,
                       current: String| {
        view! {
            <div class="filter-field">
                <label for=id>{label}</label>
                <select id=id name=name>
                    <option value="" selected=current.is_empty()>
                        "Tất cả"
                    </option>
                    {choices
                        .into_iter()
                        .map(|choice| {
                            let selected = choice == current;
                            view! {
                                <option value=choice.clone() selected=selected>
                                    {choice.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };
    let years: Vec<String> = facets.years.iter().map(i32::to_string).collect();
    let year = query.year.map(|y| y.to_string()).unwrap_or_default();
    view! {
        <form class="document-filters" method="get" action=PATH role="search" aria-label="Lọc văn bản">
            <div class="filter-field filter-words">
                <label for="vb-tu-khoa">"Số/ký hiệu hoặc trích yếu"</label>
                <input
                    id="vb-tu-khoa"
                    type="search"
                    name="q"
                    value=query.q.clone()
                    maxlength="200"
                    placeholder="Ví dụ: 1234/QĐ-UBND hoặc cải cách"
                />
            </div>
            {select("vb-loai", "loai", "Hình thức", facets.forms, query.form.clone())}
            {select("vb-co-quan", "co-quan", "Cơ quan ban hành", facets.issuers, query.issuer.clone())}
            {select("vb-linh-vuc", "linh-vuc", "Lĩnh vực", facets.fields, query.field.clone())}
            {select("vb-nam", "nam", "Năm ban hành", years, year)}
            <div class="filter-field">
                <label for="vb-sap-xep">"Sắp xếp"</label>
                <select id="vb-sap-xep" name="sap-xep">
                    {DocumentSort::ALL
                        .into_iter()
                        .map(|sort| {
                            view! {
                                <option value=sort.as_str() selected=sort == query.sort>
                                    {sort.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit">"Lọc văn bản"</button>
                {query.is_filtered().then(|| view! { <a href=PATH>"Bỏ lọc"</a> })}
            </div>
        </form>
    }
}

#[component]
fn DocumentItem(item: DocumentSummary) -> impl IntoView {
    let path = item.path();
    view! {
        <li class="document-item">
            <h2 class="document-title">
                <a href=path>{format!("{} {}", item.form, item.number)}</a>
            </h2>
            <p class="document-summary">{item.summary}</p>
            <p class="document-meta">
                "Ban hành: "
                <time datetime=item.issued_on.clone()>{format_date(&item.issued_on)}</time>
                " · " {item.issuer} " · "
                <span class=item.validity.class()>{item.validity.label()}</span>
            </p>
        </li>
    }
}

#[derive(Params, Clone, Debug, PartialEq)]
struct DocumentParams {
    slug: Option<String>,
}

#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params::<DocumentParams>();
    let slug = move || {
        params
            .read()
            .as_ref()
            .ok()
            .and_then(|p| p.slug.clone())
            .unwrap_or_default()
    };
    let document = Resource::new(slug, document_by_slug);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(Some(document)) => view! { <DocumentView document/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServiceUnavailable/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DocumentView(document: Document) -> impl IntoView {
    let title = document.title();
    let row = |label: &'static str, value: String| {
        (!value.is_empty()).then(|| {
            view! {
                <div class="document-field">
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
    };
    let date_row = |label: &'static str, iso: String| {
        (!iso.is_empty()).then(|| {
            view! {
                <div class="document-field">
                    <dt>{label}</dt>
                    <dd>
                        <time datetime=iso.clone()>{format_date(&iso)}</time>
                    </dd>
                </div>
            }
        })
    };
    let replaced_by = document.replaced_by.clone();
    let replacement = (!replaced_by.is_empty()).then(|| {
        let search = format!("{PATH}?q={}", crate::url::encode_component(&replaced_by));
        view! {
            <div class="document-field">
                <dt>"Bị thay thế bởi"</dt>
                <dd>
                    <a href=search>{replaced_by.clone()}</a>
                </dd>
            </div>
        }
    });
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=document.summary.clone()/>
        <Link rel="canonical" href=canonical_href(&document.path(), 1)/>
        <Breadcrumbs
            ancestors=vec![(PATH.to_owned(), TITLE.to_owned())]
            current=document.number.clone()
        />
        <article class="document">
            <h1 class="article-title">
                {document.form.clone()} " " <span class="nowrap">{document.number.clone()}</span>
            </h1>
            <p class="document-lead">{document.summary.clone()}</p>
            <dl class="document-fields">
                {row("Số/ký hiệu", document.number.clone())}
                {row("Hình thức", document.form.clone())}
                {row("Cơ quan ban hành", document.issuer.clone())}
                {row("Người ký", document.signer.clone())}
                {row("Lĩnh vực", document.field.clone())}
                {date_row("Ngày ban hành", document.issued_on.clone())}
                {date_row("Ngày hiệu lực", document.effective_on.clone())}
                {date_row("Ngày hết hiệu lực", document.expires_on.clone())}
                {replacement}
                <div class="document-field">
                    <dt>"Tình trạng"</dt>
                    <dd>
                        <span class=document.validity.class()>{document.validity.label()}</span>
                    </dd>
                </div>
            </dl>
            <h2 class="document-files-title">"Tệp đính kèm"</h2>
            <ul class="document-files">
                {document
                    .files
                    .iter()
                    .map(|file| {
                        view! {
                            <li>
                                <a href=file.href() download=file.file_name.clone()>
                                    {file.file_name.clone()}
                                </a>
                                " "
                                <span class="file-size">"(" {file.description()} ")"</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </article>
        <p class="back-link">
            <a href=PATH>"← Danh sách văn bản"</a>
        </p>
    }
}
