//! The chat's commands: turns (send, regenerate, edit) stream their events
//! over a `tauri::ipc::Channel<ChatEvent>` and resolve once the turn has
//! ended; `stop_turn` aborts one (its partial answer is kept and ends the
//! turn with `done`, `stopped: true`). A turn that cannot start rejects
//! with an `IpcError` and sends nothing on the channel (the core's
//! guarantee). Also conversations (list, create, rename, delete, get),
//! search over every message, export, and the passage a citation opens.

use std::path::PathBuf;

use tauri::State;
use tauri::ipc::Channel;

use crate::dto::{
    ChatEvent, ConversationDetail, ConversationHit, ConversationSummary, ExportFormat, IpcError, Passage,
    TurnOptions,
};
use crate::state::Core;

/// Forward each event of a turn to the webview. A closed channel (the
/// window went away) is not an error: the turn ends and is stored anyway.
fn sink(channel: Channel<ChatEvent>) -> impl FnMut(gogga::chat::TurnEvent) + Send {
    move |e| {
        if let Err(err) = channel.send(ChatEvent::from(e)) {
            tracing::debug!(error = %err, "chat channel closed");
        }
    }
}

/// Send a message in a conversation and stream the answer.
#[tauri::command]
pub async fn send_message(
    core: State<'_, Core>,
    conversation_id: String,
    text: String,
    request_id: String,
    options: TurnOptions,
    on_event: Channel<ChatEvent>,
) -> Result<(), IpcError> {
    let req = gogga::chat::SendRequest {
        conversation_id: Some(conversation_id),
        text,
        request_id,
        options: options.into(),
    };
    core.get()?.send(req, sink(on_event)).await?;
    Ok(())
}

/// Answer a user message again (a new alternative; the old answer stays).
#[tauri::command]
pub async fn regenerate_answer(
    core: State<'_, Core>,
    message_id: String,
    request_id: String,
    options: TurnOptions,
    on_event: Channel<ChatEvent>,
) -> Result<(), IpcError> {
    core.get()?.regenerate(&message_id, request_id, options.into(), sink(on_event)).await?;
    Ok(())
}

/// Replace a user message's text, drop what followed it, answer again.
#[tauri::command]
pub async fn edit_message(
    core: State<'_, Core>,
    message_id: String,
    text: String,
    request_id: String,
    options: TurnOptions,
    on_event: Channel<ChatEvent>,
) -> Result<(), IpcError> {
    core.get()?.edit_and_resend(&message_id, &text, request_id, options.into(), sink(on_event)).await?;
    Ok(())
}

/// Stop a running turn; false when nothing with that id runs.
#[tauri::command]
pub async fn stop_turn(core: State<'_, Core>, request_id: String) -> Result<bool, IpcError> {
    Ok(core.get()?.stop(&request_id))
}

/// The user started typing: load the question embedder ahead so sending
/// does not wait for it; false when search has no vectors.
#[tauri::command]
pub async fn prepare_question(core: State<'_, Core>) -> Result<bool, IpcError> {
    Ok(core.get()?.prepare_question().await?)
}

/// Every conversation, most recently active first.
#[tauri::command]
pub async fn list_conversations(core: State<'_, Core>) -> Result<Vec<ConversationSummary>, IpcError> {
    Ok(core.get()?.conversations().await?.into_iter().map(Into::into).collect())
}

/// A new conversation; a null title is made from the first exchange.
#[tauri::command]
pub async fn create_conversation(
    core: State<'_, Core>,
    title: Option<String>,
) -> Result<ConversationSummary, IpcError> {
    Ok(core.get()?.create_conversation(title).await?.into())
}

/// Rename a conversation.
#[tauri::command]
pub async fn rename_conversation(
    core: State<'_, Core>,
    conversation_id: String,
    title: String,
) -> Result<ConversationSummary, IpcError> {
    Ok(core.get()?.rename_conversation(&conversation_id, &title).await?.into())
}

/// Delete a conversation with its messages.
#[tauri::command]
pub async fn delete_conversation(core: State<'_, Core>, conversation_id: String) -> Result<(), IpcError> {
    Ok(core.get()?.delete_conversation(&conversation_id).await?)
}

/// A conversation with every message, oldest first, alternatives included.
#[tauri::command]
pub async fn get_conversation(
    core: State<'_, Core>,
    conversation_id: String,
) -> Result<ConversationDetail, IpcError> {
    Ok(core.get()?.conversation(&conversation_id).await?.into())
}

/// Full-text search over every conversation's messages.
#[tauri::command]
pub async fn search_conversations(
    core: State<'_, Core>,
    query: String,
    limit: u32,
) -> Result<Vec<ConversationHit>, IpcError> {
    let hits = core.get()?.search_messages(&query, limit as usize).await?;
    Ok(hits.into_iter().map(Into::into).collect())
}

/// Write a conversation to `path` as Markdown or JSON; returns the path.
#[tauri::command]
pub async fn export_conversation(
    core: State<'_, Core>,
    conversation_id: String,
    format: ExportFormat,
    path: String,
) -> Result<String, IpcError> {
    let written =
        core.get()?.export_conversation(&conversation_id, format.into(), &PathBuf::from(path)).await?;
    Ok(written.display().to_string())
}

/// The passage a citation points at.
#[tauri::command]
pub async fn get_passage(core: State<'_, Core>, chunk_id: String) -> Result<Passage, IpcError> {
    let id = crate::dto::chunk_id(&chunk_id)?;
    Ok(core.get()?.passage(id).await?.into())
}
