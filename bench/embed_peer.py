#!/usr/bin/env python3
"""The peer for Gogga's embedding benchmark: Python fastembed embedding the
same passages with the same ONNX file and tokenizer (from Gogga's model
folder; no hub access). The folder is copied with model_max_length set to
256 in tokenizer_config.json, because sentence-transformers (and Gogga)
truncate all-MiniLM-L6-v2 at 256 tokens while the shipped config says 512.
Prints one JSON line: passages/s and peak RSS.

    embed_peer.py PASSAGES.jsonl MODEL_DIR [BATCH]
"""
import json, os, resource, shutil, sys, tempfile, time

from fastembed import TextEmbedding
from fastembed.common.model_description import ModelSource, PoolingType

passages_file, model_dir = sys.argv[1], sys.argv[2]
batch = int(sys.argv[3]) if len(sys.argv) > 3 else 256
texts = [json.loads(line) for line in open(passages_file, encoding="utf-8")]

local = tempfile.mkdtemp(prefix="gogga-peer-")
for name in ["model.onnx", "tokenizer.json", "config.json", "special_tokens_map.json", "tokenizer_config.json"]:
    shutil.copy(os.path.join(model_dir, name), local)
with open(os.path.join(local, "tokenizer_config.json")) as f:
    tc = json.load(f)
tc["model_max_length"] = 256
with open(os.path.join(local, "tokenizer_config.json"), "w") as f:
    json.dump(tc, f)

TextEmbedding.add_custom_model(
    model="gogga/all-MiniLM-L6-v2-local",
    pooling=PoolingType.MEAN,
    normalization=True,
    sources=ModelSource(hf="gogga/unused"),
    dim=384,
    model_file="model.onnx",
)
t0 = time.perf_counter()
model = TextEmbedding(model_name="gogga/all-MiniLM-L6-v2-local", specific_model_path=local)
load_s = time.perf_counter() - t0
t0 = time.perf_counter()
count = sum(1 for _ in model.embed(texts, batch_size=batch))
secs = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({
    "bench": "embed", "impl": "python fastembed", "batch": batch, "passages": count, "seconds": secs,
    "passages_per_s": count / secs, "load_s": load_s, "peak_rss_mb": peak_mb,
}))
shutil.rmtree(local, ignore_errors=True)
