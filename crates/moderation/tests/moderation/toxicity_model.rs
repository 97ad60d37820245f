//! The embedded model on texts written for these tests: it loads, long civil comments stay
//! civil, one abusive sentence inside a long comment is caught, and the reasons point at it.

use rostra_moderation::toxicity::{AttributeModel, Model, DEFAULT_HOLD, LEARNED};

/// Civil sentences in the style of comments under a local news article.
const CIVIL: &[&str] = &[
    "I have lived on this street for twenty years and the new crossing is long overdue.",
    "The article says the council voted six to three, but it does not say who voted against.",
    "My daughter walks to school past the construction site every morning.",
    "Last winter the pavement there was not cleared for almost a week.",
    "I would like to know how much the project will cost once the delays are included.",
    "The mayor promised a public meeting before any final decision was made.",
    "Several of us wrote letters, and only one of them received a reply.",
    "To be fair, the contractor finished the library renovation ahead of schedule.",
    "Perhaps the reporter could follow up with the transport department next month.",
    "There is also the question of where the delivery trucks are supposed to park.",
    "Our neighbourhood association meets on the first Tuesday of every month.",
    "Anyone who wants to join is welcome, and we usually have coffee and biscuits.",
    "I disagree with the previous commenter, although I understand the frustration.",
    "Traffic calming worked well in the next town, according to their own survey.",
    "If the money is already in the budget, I do not see a reason to wait another year.",
    "Thank you for covering this, since the local paper rarely reports on our area.",
];

/// One abusive sentence, written for this test.
const ABUSIVE: &str = "You are a pathetic idiot and everyone here is sick of your garbage.";

fn paragraphs(count: usize) -> String {
    let sentences: Vec<&str> = CIVIL.iter().cycle().take(count * 4).copied().collect();
    sentences
        .chunks(4)
        .map(|p| p.join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn embedded_model_file_is_valid_and_small() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = AttributeModel::embedded_bytes();
    assert!(
        bytes.len() <= 25 * 1024 * 1024,
        "model file is {} bytes",
        bytes.len()
    );
    let model = AttributeModel::from_bytes(bytes)?;
    assert_eq!(&model, AttributeModel::embedded());
    assert_eq!(model.to_bytes(), bytes);
    for attribute in LEARNED {
        assert!(model.head(attribute).is_some(), "no {attribute} head");
    }
    Ok(())
}

#[test]
fn long_civil_comments_do_not_drift_toward_abusive() {
    let model = Model::embedded();
    let one = model.score(&paragraphs(1)).probability;
    for count in [2, 4, 8, 12] {
        let text = paragraphs(count);
        let score = model.score(&text);
        assert!(
            score.probability < DEFAULT_HOLD,
            "{count} paragraphs: {score:?}"
        );
        assert!(
            score.probability <= one + 0.1,
            "{count} paragraphs score {} against {one} for one paragraph",
            score.probability
        );
    }
}

#[test]
fn one_abusive_sentence_in_a_long_comment_is_caught() {
    let model = Model::embedded();
    let alone = model.score(ABUSIVE);
    assert!(alone.probability >= DEFAULT_HOLD, "{alone:?}");

    let civil = paragraphs(6);
    let middle = civil.len() / 2;
    let insert_at = civil[middle..]
        .find(". ")
        .map_or(civil.len(), |i| middle + i + 2);
    let text = format!("{}{ABUSIVE} {}", &civil[..insert_at], &civil[insert_at..]);
    let score = model.score(&text);
    assert!(score.probability >= DEFAULT_HOLD, "{score:?}");
    let (start, end) = score.worst_sentence.unwrap_or_default();
    assert!(
        start <= insert_at && end >= insert_at + ABUSIVE.len() - 1,
        "worst sentence {:?} is not the abusive one",
        &text[start..end]
    );
    let top = score.terms.first().map(|t| t.text.as_str());
    assert!(
        matches!(top, Some("idiot" | "pathetic" | "garbage")),
        "{:?}",
        score.terms
    );
}

#[test]
fn terms_point_into_the_original_text() {
    let text = "Well, ＩＤＩＯＴ… this is the DUMBEST take I've read. Honestly, you're an id10t.";
    let score = Model::embedded().score(text);
    assert!(!score.terms.is_empty(), "{score:?}");
    for term in &score.terms {
        assert_eq!(&text[term.start..term.end], term.text);
        assert!(term.weight > 0.0);
    }
    let found: Vec<&str> = score.terms.iter().map(|t| t.text.as_str()).collect();
    assert!(
        found.contains(&"ＩＤＩＯＴ") && found.contains(&"id10t"),
        "{found:?}"
    );
}

#[test]
fn empty_and_wordless_texts_score_without_reasons() {
    for text in ["", "   ", "!!! ... ???", "https://example.org/a"] {
        let score = Model::embedded().score(text);
        assert!(
            score.terms.is_empty() && score.worst_sentence.is_none(),
            "{text:?}: {score:?}"
        );
    }
}
