pub mod article_list;
pub mod layout;
pub mod pagination;
pub mod status;
pub mod visitor_counter;
pub mod reading;
