//! Writing a site out as a file (our JSON lines or WXR) to a temporary path, and sending a file
//! as a stream of chunks: for the admin page's download and the machine export alike.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rostra_core::interchange::Interchange;

/// The site as a file download (`wxr`, or our JSON lines), written to a temporary file first
/// (so memory stays bounded) and then streamed.
pub async fn download(
    interchange: &dyn Interchange,
    key: &str,
    wxr: bool,
) -> Result<Response, String> {
    let path = std::env::temp_dir().join(format!(
        "rostra-export-{}",
        rostra_core::privacy::random_token()
    ));
    let written = write_export(interchange, key, &path, wxr).await;
    let file = match written {
        Ok(()) => tokio::fs::File::open(&path)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    // Unlinked now; the open handle keeps the data until the download is sent.
    let _ = tokio::fs::remove_file(&path).await;
    let file = file?;
    let (kind, ext) = if wxr {
        ("application/xml; charset=utf-8", "xml")
    } else {
        ("application/x-ndjson; charset=utf-8", "jsonl")
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"rostra-{key}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(chunks(file)),
    )
        .into_response())
}

/// A file as a stream of chunks.
fn chunks(
    file: tokio::fs::File,
) -> impl futures::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    futures::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(bytes::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    })
}

async fn write_export(
    interchange: &dyn Interchange,
    key: &str,
    path: &std::path::Path,
    wxr: bool,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let out = std::io::BufWriter::new(std::fs::File::create(path)?);
    if wxr {
        let mut writer: Option<rostra_interchange::wxr_export::Writer<_>> = None;
        let mut out = Some(out);
        interchange
            .export(key, &mut |site, record| {
                if writer.is_none() {
                    let o = out
                        .take()
                        .ok_or_else(|| std::io::Error::other("no output"))?;
                    writer = Some(rostra_interchange::wxr_export::Writer::new(o, &site.name)?);
                }
                match writer.as_mut() {
                    Some(w) => w.write(&record),
                    None => Ok(()),
                }
            })
            .await?;
        match (writer, out) {
            (Some(w), _) => drop(w.finish()?),
            (None, Some(o)) => drop(rostra_interchange::wxr_export::Writer::new(o, key)?.finish()?),
            (None, None) => {}
        }
    } else {
        let mut writer = rostra_interchange::rostra::Writer::new(out)?;
        interchange
            .export(key, &mut |_, record| writer.write(&record))
            .await?;
        writer.finish()?;
    }
    Ok(())
}
