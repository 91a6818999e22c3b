#!/usr/bin/python3
"""Builds the synthetic cross-encoder used by the reranker tests (Debian: apt-get install python3-onnx).

No real reranker weights can be had on the build machines, so this is a tiny BERT-shaped
sequence-classification model that goes through the real transformers.js path
(AutoTokenizer + AutoModelForSequenceClassification) with a score a test can predict:
logit = number of times the word "zebra" occurs in the *second* segment (the passage),
i.e. sum over tokens of W[input_id] * attention_mask * token_type_id, with W = 1 for "zebra".

Run from the repository root:
  /usr/bin/python3 electron/engine/rerank/testing/make-test-reranker.py <path to all-MiniLM-L6-v2/vocab.txt>
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

vocab_path = sys.argv[1]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-reranker-zebra")
vocab = [line.rstrip("\n") for line in open(vocab_path, encoding="utf-8")]
weights = np.zeros((len(vocab), 1), dtype=np.float32)
weights[vocab.index("zebra"), 0] = 1.0

nodes = [
    helper.make_node("Gather", ["W", "input_ids"], ["per_token"], axis=0),
    helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
    helper.make_node("Cast", ["token_type_ids"], ["segment_f"], to=TensorProto.FLOAT),
    helper.make_node("Mul", ["mask_f", "segment_f"], ["passage_mask"]),
    helper.make_node("Unsqueeze", ["passage_mask"], ["passage_mask3"], axes=[2]),
    helper.make_node("Mul", ["per_token", "passage_mask3"], ["weighted"]),
    helper.make_node("ReduceSum", ["weighted"], ["logits"], axes=[1], keepdims=0),
]
graph = helper.make_graph(
    nodes,
    "test-reranker-zebra",
    [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
        helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch", "sequence"]),
    ],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])],
    [numpy_helper.from_array(weights, "W")],
)
model = helper.make_model(graph, producer_name="lantern-test", opset_imports=[helper.make_opsetid("", 11)])
model.ir_version = 7
onnx.checker.check_model(model)
os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
onnx.save(model, os.path.join(out, "onnx", "model_quantized.onnx"))
config = {
    "_comment": "SYNTHETIC test fixture made by make-test-reranker.py; its only signal is the word 'zebra' in the passage.",
    "model_type": "bert",
    "architectures": ["BertForSequenceClassification"],
    "id2label": {"0": "LABEL_0"},
    "label2id": {"LABEL_0": 0},
    "hidden_size": 16,
    "vocab_size": len(vocab),
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
}
with open(os.path.join(out, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
print("wrote", out)
