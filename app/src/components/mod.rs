pub mod article_list;
pub mod layout;
pub mod status;
pub mod visitor_counter;
