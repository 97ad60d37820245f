// SPDX-License-Identifier: AGPL-3.0-or-later
// The widget's words in English, the lists they label, and fetching another language's words
// (widget/lang/*.js, one file each, fetched only by a thread drawn in it). An error's {max} is
// replaced by the site's limit (of a comment or a name), {s} by the seconds to wait.
const SORTS = ["oldest", "newest", "best"];
const REASONS = ["spam", "harassment", "hate", "violence", "off_topic", "other"]; // t.reasons, in this order

const STRINGS = {
  en: {
    count: (n) => (n == 1 ? "1 comment" : n + " comments"),
    body: "Your comment", name: "Name (optional)", anon: "Anonymous",
    email: "E-mail (optional, never shown)", emailPh: "never shown", url: "Website (optional)",
    notify: "E-mail me when someone replies", confirmSent: "Check your e-mail to confirm reply notifications.",
    post: "Post comment", reply: "Reply", cancel: "Cancel", save: "Save", edit: "Edit",
    del: "Delete", confirmDel: "Delete this comment?", edited: "(edited)",
    pending: "Awaiting moderation", deleted: "[deleted]", closed: "Comments are closed.",
    posted: "Comment posted", postedPending: "Comment posted. It is awaiting moderation.",
    saved: "Comment saved", removed: "Comment deleted", sort: "Sort by", feed: "Comments feed (Atom)",
    oldest: "Oldest", newest: "Newest", best: "Best", more: "Load more comments",
    moreReplies: "Load more replies", replyTo: "in reply to", up: "Upvote", down: "Downvote",
    fold: "Show comment and replies", loading: "Loading comments…",
    votes: (u, d) => `${u} up, ${d} down`, savedPending: "Comment saved. It is awaiting moderation.",
    report: "Report", reported: "Reported", why: "Why are you reporting this comment?", pick: "Choose a reason",
    reasons: ["Spam", "Harassment", "Hate", "Violence", "Off-topic", "Other"], note: "Note (optional)",
    send: "Send report", thanks: "Thanks, a moderator will look at it.",
    fresh: (n) => (n == 1 ? "1 new comment" : n + " new comments"),
    badges: { staff: "Staff", moderator: "Moderator" },
    signIn: "Sign in", anyway: "Post anyway",
    left: (n) => n + " characters left", over: (n) => n + " characters too many",
    fix: (o, s) => `Site owner: allow ${o} with “rostra site origin add ${s} ${o}”.`,
    err: {
      network: "Could not reach the comment server. Please try again.",
      body_empty: "Please write a comment first.",
      body_too_long: "Your comment is longer than {max} characters.",
      payload_too_large: "Your comment is longer than {max} characters.",
      body_too_short: "Your comment is too short.",
      name_too_long: "The name is longer than {max} characters.",
      invalid_email: "That e-mail address does not look right.",
      invalid_author_url: "The website must be an http:// or https:// address.",
      rate_limited: "You are writing too fast. Please wait {s} seconds and try again.",
      thread_closed: "Comments are closed.",
      edit_window_expired: "The time for changing this comment has passed.",
      invalid_token: "You can no longer change this comment.",
      missing_token: "You can no longer change this comment.",
      comment_deleted: "That comment has been deleted.",
      parent_not_found: "The comment you replied to no longer exists.",
      comment_not_found: "That comment no longer exists.",
      unknown_site: "Comments are not set up for this site.",
      url_not_on_site: "Comments are not enabled for this page's address.",
      origin_not_allowed: "Comments are not enabled for this page's address.",
      internal: "Something went wrong on our side. Please try again later.",
      banned: "You can't comment on this site.",
      comment_rejected: "Your comment was not posted:",
      already_reported: "You have already reported this comment.",
      invalid_report_reason: "Please choose a reason.",
      note_too_long: "The note is longer than 500 characters.",
    },
  },
};

// The addresses of the other languages' files, filled in by the server (assets.rs).
const LANGS = __ROSTRA_LANGS__;
const packs = {};
// The language a thread is drawn in: `lang` when its words are here or could be fetched, else English.
const words = (lang) => STRINGS[lang] ? Promise.resolve(lang) : !LANGS[lang] ? Promise.resolve("en") :
  (packs[lang] ||= new Promise((ok) => document.head.append(el("script", {
    src: BASE + LANGS[lang], onerror: () => ok("en"), onload: () => ok((STRINGS[lang] = window.RostraWords[lang]) ? lang : "en"),
  }))));
