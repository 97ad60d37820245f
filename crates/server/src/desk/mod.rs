//! The moderators' desk: who wrote a comment as far as its site can tell (`author`), the notes
//! moderators keep on authors (`notes`), rejecting all of an author's comments with a ban
//! (`reject_all`), and editors' picks and pins (`picks`).

pub mod author;
pub mod notes;
pub mod picks;
pub mod reject_all;
