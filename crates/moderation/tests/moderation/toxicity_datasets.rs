//! Reading each supported data format from small files written here.

use rostra_moderation::toxicity::datasets::{load, Format};
use rostra_moderation::toxicity::{evaluate, Model};
use std::path::Path;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn write(dir: &Path, name: &str, content: &str) -> std::io::Result<std::path::PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, content)?;
    Ok(path)
}

#[test]
fn reads_text_label_csv_with_multiline_quoted_fields() -> TestResult {
    let dir = tempfile::tempdir()?;
    let csv = "text,label\n\"first line\nsecond, with comma\",1\nplain,0\n\"say \"\"hi\"\"\",0\n";
    let data = load(&write(dir.path(), "mine.csv", csv)?)?;
    assert_eq!(data.format, Format::TextLabel);
    let texts: Vec<(&str, bool)> = data
        .examples
        .iter()
        .map(|e| (e.text.as_str(), e.label))
        .collect();
    assert_eq!(
        texts,
        [
            ("first line\nsecond, with comma", true),
            ("plain", false),
            ("say \"hi\"", false)
        ]
    );
    Ok(())
}

#[test]
fn reads_tweeteval_pairs_from_either_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = write(dir.path(), "val_text.txt", "@user a b\nc d\n")?;
    let labels = write(dir.path(), "val_labels.txt", "1\n0\n")?;
    for path in [text, labels] {
        let data = load(&path)?;
        assert_eq!(data.format, Format::TweetEval);
        assert_eq!(data.examples.len(), 2);
        assert!(data.examples[0].label && !data.examples[1].label);
    }
    write(dir.path(), "bad_text.txt", "one\ntwo\n")?;
    write(dir.path(), "bad_labels.txt", "1\n")?;
    assert!(load(&dir.path().join("bad_text.txt")).is_err());
    Ok(())
}

#[test]
fn reads_davidson_hatecheck_toxic_spans_and_jigsaw() -> TestResult {
    let dir = tempfile::tempdir()?;
    let davidson = ",count,hate_speech,offensive_language,neither,class,tweet\n\
        0,3,0,0,3,2,RT @a: nice &amp; calm\n1,3,0,3,0,1,\"you are\na clown\"\n";
    let data = load(&write(dir.path(), "labeled_data.csv", davidson)?)?;
    assert_eq!(data.format, Format::Davidson);
    assert_eq!(data.examples[0].text, "@a: nice & calm");
    assert_eq!(
        (data.examples[0].label, data.examples[1].label),
        (false, true)
    );

    let hatecheck = ",functionality,case_id,test_case,label_gold,target_ident\n\
        0,derog_neg_emote_h,1,I really dislike them. ,hateful,women\n\
        1,negate_neg_nh,2,I do not dislike them.,non-hateful,women\n";
    let data = load(&write(dir.path(), "test_suite_cases.csv", hatecheck)?)?;
    assert_eq!(data.format, Format::HateCheck);
    assert_eq!(
        data.examples[1].functionality.as_deref(),
        Some("negate_neg_nh")
    );
    let result = evaluate(&|t: &str| Model::embedded().score(t), &data, 0.5, 0.9);
    assert_eq!(result.per_functionality.map(|p| p.len()), Some(2));

    let spans = "spans,text\n\"[3, 4, 5]\",\"Só bad\"\n[],\"fine\nthanks\"\n";
    let data = load(&write(dir.path(), "tsd_trial.csv", spans)?)?;
    assert_eq!(data.format, Format::ToxicSpans);
    assert_eq!(data.examples[0].spans, Some(vec![(4, 7)]));
    assert!(data.examples[0].label && !data.examples[1].label);
    assert!(
        evaluate(&|t: &str| Model::embedded().score(t), &data, 0.5, 0.9)
            .span_f1
            .is_some()
    );

    let jigsaw = "id,comment_text,toxic,severe_toxic,obscene,threat,insult,identity_hate\n\
        a,\"hello\nthere\",0,0,0,0,0,0\nb,rude,0,0,1,0,0,0\n";
    let data = load(&write(dir.path(), "train.csv", jigsaw)?)?;
    assert_eq!(data.format, Format::Jigsaw);
    assert_eq!(
        (data.examples[0].label, data.examples[1].label),
        (false, true)
    );
    Ok(())
}

#[test]
fn unknown_columns_and_bad_labels_are_errors() -> TestResult {
    let dir = tempfile::tempdir()?;
    let err = load(&write(dir.path(), "x.csv", "a,b\n1,2\n")?)
        .err()
        .ok_or("accepted")?;
    assert!(err.to_string().contains("unknown format"), "{err}");
    let err = load(&write(dir.path(), "y.csv", "text,label\nhi,maybe\n")?)
        .err()
        .ok_or("accepted")?;
    assert!(err.to_string().contains("record 1"), "{err}");
    assert!(load(&dir.path().join("missing.csv")).is_err());
    Ok(())
}
