//! `rostra demo`: a fresh database, a demo site whose origin is the address we listen on, a
//! sample discussion written for the demo, and the article at `/demo`.

use crate::commands::{self, now_ms};
use crate::ServeArgs;
use rostra_core::comment::Status;
use rostra_core::privacy::{hash_token, random_token};
use rostra_core::{markdown, CommentId, NewComment, NewSite, NewVote, Store};
use rostra_server::html::demo::{demo_url, DEMO_SITE};
use rostra_server::html::demo_list::{story_url, STORIES};
use rostra_server::Config;

const MINUTE: i64 = 60_000;

/// The demo's admin, made with the demo's database so that `/admin` can be tried at once.
pub const DEMO_ADMIN: &str = "admin@demo.example";

/// (reply to sample #, author, minutes ago, upvotes, body). `None` author posts as Anonymous.
const SAMPLE: &[(Option<usize>, Option<&str>, i64, i64, &str)] = &[
    (None, Some("Priya N."), 300, 6, "Finally. The pilot Saturdays were the best days on the river in years: my kids learned to ride a bike on the drive."),
    (Some(0), None, 270, 2, "Great if you live by the river. I live on Mill Lane and the pilot turned our street into a car park."),
    (Some(1), Some("Tom Becker"), 200, 4, "Mill Lane is one of the three streets they will count in October; it's in the article. Worth sending them your own numbers too."),
    (Some(2), None, 150, 1, "Fair. I'll believe the shuttle when I see it running every *ten* minutes."),
    (Some(0), Some("Jonas"), 180, 0, "Same here. Ours now ask every Friday whether tomorrow is a river day."),
    (None, Some("Dr. Amara Eze"), 240, 3, "> Deliveries keep a morning window\n\nThat's the detail that matters. The bakeries on the drive were the loudest opponents of the pilot until the window was agreed. See the [traffic report](https://example.org/report) from the summer."),
    (None, None, 60, 0, "Will the Saturday market stalls need a new permit? I couldn't find anything on the council site."),
    (Some(6), Some("Marta Okafor"), 45, 2, "Good question. The council says existing market permits carry over; we'll add a link to the form in the article."),
    (None, Some("Sam"), 30, 1, "7–4 is closer than I expected. **Who voted against**, and why? A follow-up piece would be welcome."),
];

const DAY: i64 = 24 * 60 * MINUTE;

/// Comments under the other demo stories: (story slug, author, minutes ago, body). The ferry
/// story is older, so most of its discussion falls outside "Most discussed" of the last week.
const STORY_SAMPLE: &[(&str, Option<&str>, i64, &str)] = &[
    ("library-hours", Some("Hannah L."), 500, "Sunday afternoons at the library were the one thing I missed since moving here. Good news."),
    ("library-hours", None, 420, "Will the study rooms be bookable on Sundays too?"),
    ("library-hours", Some("Jonas"), 95, "Two years of funding, and then? I hope they plan for year three now."),
    ("harbour-ferry", Some("Ines"), 12 * DAY / MINUTE, "40 cents a crossing is 16 euros a month for me. The pass is the only sane option now."),
    ("harbour-ferry", Some("Rob"), 11 * DAY / MINUTE, "Fuel costs went *down* this year. I'd like to see those figures."),
    ("harbour-ferry", None, 10 * DAY / MINUTE, "Still cheaper than parking in the old town."),
    ("harbour-ferry", Some("Ines"), 2 * DAY / MINUTE, "Update: the committee meeting is on the 14th, open to the public."),
    ("school-gardens", Some("Mr. Patel"), 800, "Our school built beds last year. The trick for August: a rota of families, one week each."),
    ("school-gardens", Some("Clara"), 600, "Lovely idea. Please no pesticides near the children."),
    ("school-gardens", None, 240, "Who pays for the water?"),
    ("school-gardens", Some("Mr. Patel"), 200, "The water butts cover most of it; the rest is on the school's normal bill."),
];

pub async fn run(config: Config, args: &ServeArgs) -> anyhow::Result<()> {
    let mut config = crate::settings::with_args(config, args);
    if args.database.is_none() {
        let path = std::env::temp_dir().join(format!("rostra-demo-{}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        config.database.url = format!("sqlite://{}", path.display());
    }
    let store = crate::commands::open_store(&config).await?;
    let origin = config.public_origin();
    let password = match store.site_by_key(DEMO_SITE).await? {
        Some(_) => None,
        None => {
            seed(store.as_ref(), &origin).await?;
            Some(add_admin(store.as_ref()).await?)
        }
    };
    println!("Rostra demo: open {}", demo_url(&origin));
    println!("Its database: {}", config.database.url);
    match password {
        Some(p) => println!("Moderation: {origin}/admin, sign in as {DEMO_ADMIN} with the password {p}"),
        None => println!(
            "Moderation: {origin}/admin, sign in as {DEMO_ADMIN} (its password was printed when this database was made)"
        ),
    }
    drop(store);
    commands::serve(config, true).await
}

/// The demo's admin with a fresh random password, which is answered (and printed once).
async fn add_admin(store: &dyn Store) -> anyhow::Result<String> {
    let password = random_token()[..16].to_string();
    let password_hash = rostra_server::password::hash(&password).map_err(|e| anyhow::anyhow!(e))?;
    let admin = rostra_core::user::NewUser {
        email: DEMO_ADMIN.into(),
        role: rostra_core::user::Role::Admin,
        sites: Vec::new(),
        password_hash,
    };
    store.create_user(admin, now_ms()).await?;
    Ok(password)
}

/// The listening origin, plus its `localhost` / `127.0.0.1` twin so either address works.
fn demo_origins(origin: &str) -> Vec<String> {
    let mut origins = vec![origin.to_string()];
    for (a, b) in [
        ("://127.0.0.1:", "://localhost:"),
        ("://localhost:", "://127.0.0.1:"),
    ] {
        if origin.contains(a) {
            origins.push(origin.replace(a, b));
        }
    }
    origins
}

async fn seed(store: &dyn Store, origin: &str) -> anyhow::Result<()> {
    let site = NewSite {
        key: DEMO_SITE.into(),
        name: "The Harbour Gazette (demo)".into(),
        origins: demo_origins(origin),
        prompt: None,
    }
    .validate()
    .map_err(|p| anyhow::anyhow!(p.join("; ")))?;
    let site = store.create_site(site, now_ms()).await?;
    let url = demo_url(origin);
    let now = now_ms();
    let mut ids: Vec<CommentId> = Vec::new();
    for (i, (parent, author, minutes_ago, upvotes, body)) in SAMPLE.iter().enumerate() {
        let new = NewComment {
            site_id: site.id,
            thread_key: url.clone(),
            page_url: url.clone(),
            page_title: Some(rostra_server::html::demo_list::MAIN_TITLE.into()),
            parent_id: parent.map(|p| ids[p]),
            status: Status::Published,
            author_name: author.map(str::to_string),
            author_email: None,
            author_url: None,
            body: body.to_string(),
            body_html: markdown::render(body),
            created_at: now - minutes_ago * MINUTE,
            edit_token_hash: hash_token(&random_token()),
            ip_hash: None,
            author_key: None,
            net_hash: None,
            reasons: Vec::new(),
            close_before: None,
            account_id: None,
            author_badge: None,
        };
        let (comment, _) = store.create_comment(new).await?;
        ids.push(comment.id);
        for voter in 0..*upvotes {
            let ip_hash = format!("demo-voter-{i}-{voter}");
            let vote = NewVote {
                comment_id: comment.id,
                voter_hash: None,
                ip_hash,
                value: 1,
                at: now,
            };
            store.vote(vote).await?;
        }
    }
    seed_stories(store, site.id, origin, now).await
}

/// The other stories' discussions, for the demo's list of stories.
async fn seed_stories(
    store: &dyn Store,
    site: rostra_core::SiteId,
    origin: &str,
    now: i64,
) -> anyhow::Result<()> {
    for (slug, author, minutes_ago, body) in STORY_SAMPLE {
        let story = STORIES
            .iter()
            .find(|s| s.slug == *slug)
            .ok_or_else(|| anyhow::anyhow!("no demo story {slug}"))?;
        let url = story_url(origin, slug);
        let new = NewComment {
            site_id: site,
            thread_key: url.clone(),
            page_url: url,
            page_title: Some(story.title.into()),
            parent_id: None,
            status: Status::Published,
            author_name: author.map(str::to_string),
            author_email: None,
            author_url: None,
            body: body.to_string(),
            body_html: markdown::render(body),
            created_at: now - minutes_ago * MINUTE,
            edit_token_hash: hash_token(&random_token()),
            ip_hash: None,
            author_key: None,
            net_hash: None,
            reasons: Vec::new(),
            close_before: None,
            account_id: None,
            author_badge: None,
        };
        store.create_comment(new).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_origins_include_the_twin() {
        let o = super::demo_origins("http://127.0.0.1:8080");
        assert_eq!(o, ["http://127.0.0.1:8080", "http://localhost:8080"]);
    }
}
