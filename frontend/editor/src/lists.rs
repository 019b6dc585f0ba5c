//! The dashboard and the article list.

use app::api::articles::list_categories;
use app::api::editorial::editor_articles;
use app::model::accounts::Role;
use app::model::editorial::{ArticleFilter, ArticleStatus, EditorArticleSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::layout::me;

fn when(at: time::OffsetDateTime) -> String {
    app::vn_time::format_datetime(at)
}

/// A table of articles.
#[component]
fn ArticleTable(items: Vec<EditorArticleSummary>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"Không có bài viết nào."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
        <table class="article-table">
            <thead>
                <tr>
                    <th scope="col">"Tiêu đề"</th>
                    <th scope="col">"Trạng thái"</th>
                    <th scope="col">"Chuyên mục"</th>
                    <th scope="col">"Tác giả"</th>
                    <th scope="col">"Sửa lần cuối"</th>
                </tr>
            </thead>
            <tbody>
                {items
                    .into_iter()
                    .map(|item| {
                        let href = format!("/quan-tri/bai-viet/{}", item.id);
                        let status_class = format!("status status-{}", item.status.as_str());
                        view! {
                            <tr>
                                <td>
                                    <A href=href>{item.title}</A>
                                </td>
                                <td>
                                    <span class=status_class>{item.status.label()}</span>
                                    {item.publish_at.filter(|_| item.status == ArticleStatus::Scheduled).map(|at| view! {
                                        <br/><small>"xuất bản lúc " <time>{when(at)}</time></small>
                                    })}
                                    {item.unpublish_at.map(|at| view! {
                                        <br/><small>"tự gỡ lúc " <time>{when(at)}</time></small>
                                    })}
                                </td>
                                <td>{item.category}</td>
                                <td>{item.author}</td>
                                <td>
                                    <time>{when(item.updated_at)}</time>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

/// One block of the dashboard: a heading with a count and its articles.
#[component]
fn Block(title: &'static str, id: &'static str, filter: ArticleFilter) -> impl IntoView {
    let items = LocalResource::new(move || editor_articles(filter.clone()));
    view! {
        <section class="dashboard-block" aria-labelledby=id>
            <Suspense fallback=move || view! { <h2 id=id>{title}</h2> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(items) => {
                            let count = items.len();
                            let shown: Vec<_> = items.into_iter().take(8).collect();
                            view! {
                                <h2 id=id>{title} " " <span class="count">{count}</span></h2>
                                <ArticleTable items=shown/>
                                {(count > 8).then(|| view! {
                                    <p><A href="/quan-tri/bai-viet">"Xem tất cả " {count} " bài trong danh sách"</A></p>
                                })}
                            }
                                .into_any()
                        }
                        Err(err) => {
                            view! {
                                <h2 id=id>{title}</h2>
                                <p class="form-error" role="alert">{err.to_string()}</p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/quan-tri/`: my drafts, returned to me, waiting for review and
/// scheduled, soonest first (editors), recently published.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let user = me();
    let mine = |status| ArticleFilter {
        status: Some(status),
        created_by: Some(user.id),
        ..Default::default()
    };
    view! {
        <Title text="Tổng quan"/>
        <h1>"Tổng quan"</h1>
        <p>
            <A href="/quan-tri/bai-viet/moi" attr:class="button primary">"Viết bài mới"</A>
        </p>
        <div class="dashboard">
            <Block title="Bản nháp của tôi" id="ban-nhap" filter=mine(ArticleStatus::Draft)/>
            <Block title="Bị trả lại cho tôi" id="tra-lai" filter=mine(ArticleStatus::Returned)/>
            {(user.role >= Role::Editor)
                .then(|| {
                    view! {
                        <Block
                            title="Chờ duyệt"
                            id="cho-duyet"
                            filter=ArticleFilter {
                                status: Some(ArticleStatus::Review),
                                ..Default::default()
                            }
                        />
                        <Block
                            title="Lịch xuất bản"
                            id="lich-xuat-ban"
                            filter=ArticleFilter {
                                status: Some(ArticleStatus::Scheduled),
                                ..Default::default()
                            }
                        />
                    }
                })}
            <Block
                title="Mới xuất bản"
                id="moi-xuat-ban"
                filter=ArticleFilter {
                    status: Some(ArticleStatus::Published),
                    ..Default::default()
                }
            />
        </div>
    }
}

/// `/quan-tri/bai-viet`: every article the user may see, with filters by
/// status, category and author, and search (insensitive to diacritics).
#[component]
pub fn ArticlesPage() -> impl IntoView {
    let user = me();
    let status = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let only_mine = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let applied = RwSignal::new(ArticleFilter::default());
    let categories = LocalResource::new(list_categories);
    let items = LocalResource::new(move || editor_articles(applied.get()));
    let user_id = user.id;
    let apply = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        applied.set(ArticleFilter {
            status: ArticleStatus::parse(&status.get_untracked()),
            category_id: category.get_untracked().parse().ok(),
            created_by: only_mine.get_untracked().then_some(user_id),
            query: query.get_untracked(),
        });
    };
    view! {
        <Title text="Bài viết"/>
        <h1>"Bài viết"</h1>
        <form class="filters" role="search" on:submit=apply>
            <label>
                "Trạng thái"
                <select on:change=move |e| status.set(event_target_value(&e))>
                    <option value="">"Tất cả"</option>
                    {ArticleStatus::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.as_str()>{s.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Chuyên mục"
                <select on:change=move |e| category.set(event_target_value(&e))>
                    <option value="">"Tất cả"</option>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            categories
                                .await
                                .unwrap_or_default()
                                .into_iter()
                                .map(|c| view! { <option value=c.id.to_string()>{c.name}</option> })
                                .collect_view()
                        })}
                    </Suspense>
                </select>
            </label>
            {(user.role >= Role::Editor)
                .then(|| {
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                on:change=move |e| only_mine.set(event_target_checked(&e))
                            />
                            "Chỉ bài của tôi"
                        </label>
                    }
                })}
            <label>
                "Tìm"
                <input type="search" on:input=move |e| query.set(event_target_value(&e))/>
            </label>
            <button type="submit">"Lọc"</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Đang tải…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(items) => view! { <ArticleTable items/> }.into_any(),
                    Err(err) => view! { <p class="form-error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
