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
