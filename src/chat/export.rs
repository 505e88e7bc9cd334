//! A conversation out of Gogga and back: Markdown for people (answers with
//! their citations as footnotes, thinking in a collapsible block, stopped
//! and failed answers marked) and JSON for machines ([`ExportedConversation`],
//! versioned). Guarantee: importing a JSON export into a store without that
//! conversation gives back exactly the conversation that was exported
//! (every field of every message, citations included). The file is
//! written to a temporary name and renamed, so a failed export never
//! leaves half a file under the name asked for.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::citations::map_markers;
use super::dates::rfc3339;
use super::records;
use super::types::{ConversationDetail, Message, Role};
use super::usage::tier_name;
use crate::error::{Error, Result};
use crate::store::ConversationRow;

/// The `format` field of a JSON export.
pub const FORMAT_NAME: &str = "gogga-conversation";
/// The version of the JSON export this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Markdown or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Markdown,
    Json,
}

impl std::str::FromStr for ExportFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<ExportFormat> {
        match s {
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            "json" => Ok(ExportFormat::Json),
            other => Err(Error::invalid(format!("unknown export format {other:?}: use md or json"))),
        }
    }
}

/// A JSON export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedConversation {
    pub format: String,
    pub version: u32,
    pub app_version: String,
    pub exported_at: String,
    #[serde(flatten)]
    pub detail: ConversationDetail,
}

impl ExportedConversation {
    pub fn new(detail: ConversationDetail, now_ms: i64) -> ExportedConversation {
        ExportedConversation {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            app_version: crate::VERSION.to_owned(),
            exported_at: rfc3339(now_ms),
            detail,
        }
    }

    /// Read an export, refusing other files and newer versions.
    pub fn parse(text: &str) -> Result<ExportedConversation> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| Error::invalid(format!("not a JSON file: {e}")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
            return Err(Error::invalid(format!(
                "not a Gogga conversation export (no \"format\": \"{FORMAT_NAME}\")"
            )));
        }
        let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
        if version != u64::from(FORMAT_VERSION) {
            return Err(Error::invalid(format!(
                "this export has version {version}; this Gogga reads version {FORMAT_VERSION}"
            )));
        }
        serde_json::from_value(value).map_err(|e| Error::invalid(format!("the export is damaged: {e}")))
    }

    /// The rows to store.
    pub fn rows(&self) -> Result<(ConversationRow, Vec<crate::store::MessageRow>)> {
        let c = &self.detail.conversation;
        if c.id.trim().is_empty() {
            return Err(Error::invalid("the export has no conversation id"));
        }
        let conversation = ConversationRow {
            id: c.id.clone(),
            title: c.title.clone(),
            title_auto: false,
            created_at: c.created_at,
            updated_at: c.updated_at,
            message_count: i64::from(c.message_count),
        };
        let messages = self.detail.messages.iter().map(|m| records::row(m, None)).collect();
        Ok((conversation, messages))
    }
}

/// The conversation as Markdown.
pub fn markdown(detail: &ConversationDetail) -> String {
    let c = &detail.conversation;
    let mut out = format!(
        "# {}\n\n*Exported from Gogga · started {} · {} messages*\n",
        c.title.trim(),
        rfc3339(c.created_at),
        detail.messages.len()
    );
    let mut answer_no: std::collections::HashMap<&str, (usize, usize)> = std::collections::HashMap::new();
    for m in &detail.messages {
        if let Some(q) = m.reply_to.as_deref() {
            answer_no.entry(q).or_insert((0, 0)).1 += 1;
        }
    }
    for (i, m) in detail.messages.iter().enumerate() {
        out.push_str("\n---\n\n");
        out.push_str(&heading(m, &mut answer_no));
        if let Some(t) = m.thinking.as_deref().filter(|t| !t.trim().is_empty()) {
            out.push_str(&format!("<details><summary>Thinking</summary>\n\n{}\n\n</details>\n\n", t.trim()));
        }
        let n = i + 1;
        let cited: Vec<u32> = m.citations.iter().map(|c| c.marker).collect();
        let body = map_markers(&m.content, |numbers| {
            Some(numbers.iter().filter(|k| cited.contains(k)).map(|k| format!("[^{n}-{k}]")).collect())
        });
        out.push_str(body.trim_end());
        out.push('\n');
        if m.stopped {
            out.push_str("\n*(stopped)*\n");
        }
        if let Some(e) = &m.error {
            out.push_str(&format!("\n*(the answer broke off: {})*\n", e.message));
        }
        if !m.citations.is_empty() {
            out.push('\n');
        }
        for cite in &m.citations {
            let page = cite.page.map(|p| format!(", page {p}")).unwrap_or_default();
            let snippet = cite.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push_str(&format!(
                "[^{n}-{}]: {}{page} — `{}` — “{snippet}”\n",
                cite.marker, cite.title, cite.document_path
            ));
        }
    }
    out
}

fn heading(m: &Message, answers: &mut std::collections::HashMap<&str, (usize, usize)>) -> String {
    let when = rfc3339(m.created_at);
    match m.role {
        Role::User => format!("**You** · {when}\n\n"),
        Role::Assistant => {
            let mut parts = vec!["**Gogga**".to_owned(), when];
            if let Some(r) = &m.route {
                parts.push(format!("{} · {}", tier_name(r.tier).to_uppercase(), r.model));
            }
            if m.search_only {
                parts.push("search only".to_owned());
            }
            if let Some((seen, total)) = m.reply_to.as_deref().and_then(|q| answers.get_mut(q)) {
                *seen += 1;
                if *total > 1 {
                    parts.push(format!("answer {seen} of {total}"));
                }
            }
            format!("{}\n\n", parts.join(" · "))
        }
    }
}

/// Write `text` to `path` atomically (temporary file, then rename).
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name =
        path.file_name().ok_or_else(|| Error::invalid(format!("{} is not a file name", path.display())))?;
    let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    let io = |what: &str, e| Error::io(format!("{what} {}", tmp.display()), e);
    std::fs::write(&tmp, text).map_err(|e| io("writing", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("moving the export to {}", path.display()), e)
    })
}
