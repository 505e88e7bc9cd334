//! Chat through the façade on a real data folder (SQLite file on disk)
//! against a real HTTP server (the scripted mock upstream on 127.0.0.1):
//! a conversation survives reopening the data folder with its citations
//! and usage, the message search finds it from a second `Gogga` (as the
//! CLI would while the app runs), the gateway's metrics count the tokens,
//! and a JSON export imported into another data folder is the same
//! conversation.

use gogga::chat::{ExportFormat, SendRequest, TurnEnd, TurnEvent, TurnOptions};
use gogga::gateway::{GatewayConfig, KeyConfig, ProviderKind, Secret};
use gogga::{Gogga, OpenOptions, Tier};
use mock_upstream::MockUpstream;

fn config(base_url: Option<&str>, fast_model: &str) -> gogga::Config {
    let mut gateway = GatewayConfig { primary: ProviderKind::Custom, ..GatewayConfig::default() };
    if let Some(url) = base_url {
        gateway.custom.base_url = Some(url.to_owned());
        gateway.custom.keys = vec![KeyConfig { name: "it".into(), key: Secret::new("sk-it") }];
    }
    let mut c = gogga::Config { gateway, ..gogga::Config::default() };
    c.router.plan = Tier::Jive;
    c.router.models.fast = fast_model.to_owned();
    c
}

async fn open(root: &std::path::Path, config: gogga::Config) -> Gogga {
    let mut options = OpenOptions::under(root);
    options.config = Some(config);
    Gogga::open(options).await.unwrap()
}

fn send(text: &str, conversation: Option<&str>) -> SendRequest {
    SendRequest {
        conversation_id: conversation.map(str::to_owned),
        text: text.to_owned(),
        request_id: gogga::id::new_id(),
        options: TurnOptions::default(),
    }
}

#[tokio::test]
async fn a_conversation_survives_a_restart_and_is_found_exported_and_imported() {
    let mock = MockUpstream::start().await.unwrap();
    let root = tempfile::tempdir().unwrap();
    let gogga = open(root.path(), config(Some(&mock.base_url()), "think")).await;
    let mut events = Vec::new();
    let end = gogga.send(send("What is the meaning of it all?", None), |e| events.push(e)).await.unwrap();
    let TurnEnd::Done(answer) = end else { panic!("{end:?}") };
    assert_eq!(answer.content, "It is 42.");
    assert!(matches!(events.first(), Some(TurnEvent::Started { search_only: false, .. })));
    let conv = answer.conversation_id.clone();
    let end = gogga.send(send("And the zebra question?", Some(&conv)), |_| {}).await.unwrap();
    assert!(matches!(end, TurnEnd::Done(_)));
    let before = gogga.conversation(&conv).await.unwrap();
    let metrics = gogga.metrics_text();
    assert!(metrics.contains("gogga_tokens_total{tier=\"jive\",direction=\"input\"}"), "{metrics}");
    drop(gogga);

    let reopened = open(root.path(), config(Some(&mock.base_url()), "think")).await;
    assert_eq!(reopened.conversation(&conv).await.unwrap(), before, "stored on disk");
    // A second process's view: the search index is built from SQLite.
    let other = open(root.path(), config(None, "think")).await;
    let hits = other.search_messages("zebra", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].conversation_id, conv);
    let usage = other.usage(30).await.unwrap();
    assert_eq!(usage.today.messages, 2);
    assert!(usage.today.tokens_in > 0 && usage.today.cost_zar > 0.0);

    let file = root.path().join("export.json");
    reopened.export_conversation(&conv, ExportFormat::Json, &file).await.unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let fresh = open(elsewhere.path(), config(None, "think")).await;
    let imported = fresh.import_conversation(&file).await.unwrap();
    assert_eq!(imported, before.conversation);
    assert_eq!(fresh.conversation(&conv).await.unwrap(), before);
    assert_eq!(mock.total_calls(), 2);
}

#[tokio::test]
async fn with_no_provider_the_facade_answers_from_search_alone() {
    let root = tempfile::tempdir().unwrap();
    let gogga = open(root.path(), config(None, "echo")).await;
    assert!(!gogga.model_configured());
    let mut notice = None;
    let end = gogga
        .send(send("Where is my lease?", None), |e| {
            if let TurnEvent::Started { notice: n, .. } = e {
                notice = n;
            }
        })
        .await
        .unwrap();
    let TurnEnd::Done(m) = end else { panic!("{end:?}") };
    assert!(m.search_only && m.content.starts_with("No model is set up"), "{}", m.content);
    assert!(notice.unwrap().contains("No model is set up"));
}

/// Two small documents indexed with the real embedding model.
async fn library_with_capitals(root: &std::path::Path, base_url: Option<&str>) -> Gogga {
    let docs = root.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("capitals.md"),
        "# Capitals of South Africa\n\nPretoria is the administrative capital, where the Union Buildings stand.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("parliament.md"),
        "# Parliament\n\nCape Town is the legislative capital: Parliament sits there.\n",
    )
    .unwrap();
    let mut options = crate::library::options(root);
    options.config = Some(config(base_url, "cite"));
    let gogga = Gogga::open(options).await.unwrap();
    let report = gogga.index(vec![docs], gogga::IndexOptions::default()).await.unwrap();
    assert!(!report.has_failures(), "{report:?}");
    gogga
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_about_indexed_documents_cites_them_and_the_model_saw_the_passages() {
    let mock = MockUpstream::start().await.unwrap();
    let root = tempfile::tempdir().unwrap();
    let gogga = library_with_capitals(root.path(), Some(&mock.base_url())).await;
    let end =
        gogga.send(send("Which city is the capital where Parliament sits?", None), |_| {}).await.unwrap();
    let TurnEnd::Done(answer) = end else { panic!("{end:?}") };
    // The mock answers with markers [1] and [2]; both resolve to our files.
    let cited: Vec<&str> = answer.citations.iter().map(|c| c.document_path.as_str()).collect();
    assert_eq!(answer.citations.len(), 2, "{cited:?}");
    assert!(cited.iter().any(|p| p.ends_with("parliament.md")), "{cited:?}");
    assert!(cited.iter().all(|p| p.ends_with("parliament.md") || p.ends_with("capitals.md")), "{cited:?}");
    let prompt = mock.requests().last().unwrap().message_texts().join("\n");
    assert!(prompt.contains("Parliament sits there"), "the passage reached the model: {prompt}");
    // A citation opens its whole passage.
    let passage = gogga.passage(answer.citations[0].chunk_id).await.unwrap();
    assert_eq!(passage.document_id, answer.citations[0].document_id);
    assert!(!passage.text.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_provider_the_answer_is_the_best_passages_of_the_library() {
    let root = tempfile::tempdir().unwrap();
    let gogga = library_with_capitals(root.path(), None).await;
    let end = gogga.send(send("Where are the Union Buildings?", None), |_| {}).await.unwrap();
    let TurnEnd::Done(m) = end else { panic!("{end:?}") };
    assert!(m.search_only);
    assert!(m.content.contains("Union Buildings"), "{}", m.content);
    assert!(m.citations.iter().any(|c| c.document_path.ends_with("capitals.md")), "{:?}", m.citations);
}
