pub mod article_list;
pub mod breadcrumbs;
pub mod layout;
pub mod pagination;
pub mod reading;
pub mod status;
pub mod visitor_counter;
