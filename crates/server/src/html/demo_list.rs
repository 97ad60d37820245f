//! The demo's front page at `/demo/articles`: a list of stories with comment-count badges, a
//! "Most discussed" and a "Latest comments" box, as a publisher would build it; and the short
//! stories it lists, each with its own thread.

use super::demo::{demo_url, DEMO_SITE};
use super::{page, HtmlError};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;

/// A demo story besides the main article: its address, section, headline, standfirst and text.
pub struct Story {
    pub slug: &'static str,
    pub kicker: &'static str,
    pub title: &'static str,
    pub standfirst: &'static str,
    pub paragraphs: &'static [&'static str],
}

/// The main article's headline (it lives at `/demo`).
pub const MAIN_TITLE: &str = "Riverside goes car-free on Saturdays after council vote";

pub const STORIES: &[Story] = &[
    Story {
        slug: "library-hours",
        kicker: "Culture",
        title: "Central library to open on Sundays from March",
        standfirst: "A donation from a local foundation pays for two years of Sunday opening.",
        paragraphs: &[
            "The central library will open from noon to five on Sundays from the first weekend of March, the city's culture department said on Monday.",
            "Staff will work the new shifts on a voluntary rota, with Sunday hours paid at the weekend rate. The reading room and the children's floor open; the archive stays closed.",
        ],
    },
    Story {
        slug: "harbour-ferry",
        kicker: "Transport",
        title: "Harbour ferry fares rise by 40 cents in spring",
        standfirst: "The operator blames fuel costs; commuters' passes go up less.",
        paragraphs: &[
            "A single crossing will cost 2.90 from April, up from 2.50, the ferry operator announced. Monthly passes rise by 3 per cent.",
            "The council's transport committee will ask the operator for its fuel figures at its next meeting.",
        ],
    },
    Story {
        slug: "school-gardens",
        kicker: "Education",
        title: "Every primary school to get a vegetable garden",
        standfirst: "Parents and a garden centre offer to help build the beds.",
        paragraphs: &[
            "The twelve primary schools of the district will each get raised beds and a water butt by the summer term, paid from the district's climate budget.",
            "Teachers say the gardens will be used in science and cooking lessons; caretakers worry about who waters them in August.",
        ],
    },
];

pub fn story_url(public_origin: &str, slug: &str) -> String {
    format!("{public_origin}/demo/articles/{slug}")
}

struct ListedStory {
    url: String,
    kicker: &'static str,
    title: &'static str,
    standfirst: &'static str,
}

#[derive(Template)]
#[template(path = "demo_articles.html")]
struct ArticlesPage {
    site: &'static str,
    stories: Vec<ListedStory>,
}

#[derive(Template)]
#[template(path = "demo_story.html")]
struct StoryPage {
    site: &'static str,
    page_url: String,
    story: &'static Story,
}

pub async fn get_articles(State(state): State<Arc<AppState>>) -> Result<Response, HtmlError> {
    state.sites.get(DEMO_SITE).await?;
    let mut stories = vec![ListedStory {
        url: demo_url(&state.public_origin),
        kicker: "City",
        title: MAIN_TITLE,
        standfirst: "Two kilometres of the waterfront for walking, cycling and market stalls.",
    }];
    stories.extend(STORIES.iter().map(|s| ListedStory {
        url: story_url(&state.public_origin, s.slug),
        kicker: s.kicker,
        title: s.title,
        standfirst: s.standfirst,
    }));
    Ok(demo_policy(page(
        StatusCode::OK,
        ArticlesPage {
            site: DEMO_SITE,
            stories,
        },
    )))
}

pub async fn get_story(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
) -> Result<Response, HtmlError> {
    state.sites.get(DEMO_SITE).await?;
    let story = STORIES
        .iter()
        .find(|s| s.slug == slug)
        .ok_or(HtmlError(ApiError::NotFound))?;
    Ok(demo_policy(page(
        StatusCode::OK,
        StoryPage {
            site: DEMO_SITE,
            page_url: story_url(&state.public_origin, story.slug),
            story,
        },
    )))
}

/// The demo pages run Rostra's own scripts (widget, badges, lists): the demo article's policy.
fn demo_policy(mut response: Response) -> Response {
    response.headers_mut().insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(crate::security_headers::DEMO_PAGE),
    );
    response
}
