"""Rewrites the bundled model's status in docs/RESULTS.md and README.md from the run's files:
training/runs/<name>/history.json and the reports training/bundle-model.sh wrote.
Usage: python3 training/update-results.py [NAME]   (default fer2013-vgg-bn)"""
import json
import re
import sys
from pathlib import Path

name = sys.argv[1] if len(sys.argv) > 1 else "fer2013-vgg-bn"
root = Path(__file__).resolve().parent.parent
history = json.loads((root / f"training/runs/{name}/history.json").read_text())
test = json.loads((root / f"docs/results/{name}/evaluation.json").read_text())
other = json.loads((root / f"docs/results/{name}/other-source/evaluation.json").read_text())
version = test["model"]["version"]
best = max(history, key=lambda h: h["val-macro-f1"])
per_class = ", ".join(
    f"{label} {c['precision']:.2f}/{c['recall']:.2f}" for label, c in test["per-class"].items())
rows = "\n".join(
    f"| {h['epoch']} | {h['train-loss']:.3f} | {100 * h['train-accuracy']:.1f}% | {h['val-loss']:.3f} "
    f"| {100 * h['val-accuracy']:.1f}% | {h['val-macro-f1']:.3f} | {h['learning-rate']:.1e} |"
    for h in history)
status = f"""Bundled now: **`{name}` {version}**, the best of the first {len(history)} epochs (epoch
{best['epoch']}, by validation macro-F1), evaluated with the native backend
(`training/bundle-model.sh`; full reports, confusion matrices and curves in
`docs/results/{name}/`):

| data | images | accuracy | macro-F1 |
|---|---|---|---|
| FER2013 val (selection) | 3,589 | {100 * best['val-accuracy']:.1f}% | {best['val-macro-f1']:.3f} |
| **FER2013 test** | {test['images']:,} | **{100 * test['accuracy']:.1f}%** | **{test['macro-f1']:.3f}** |
| faces-other-source (other collection) | {other['images']:,} | {100 * other['accuracy']:.1f}% | {other['macro-f1']:.3f} |

Per class on test (precision/recall): {per_class}. {"Above" if test['accuracy'] > 0.569 else "Below"}
face-api.js's 56.9% (the JavaScript peer), {"above" if test['accuracy'] >= 0.65 else "below"} the 65% goal: {
"the run finished all 40 epochs" if len(history) >= 40 else f"the run has done {len(history)} of its 40 epochs"}.

Epochs so far (`training/runs/{name}/history.json`; curves:
`docs/results/{name}/training-curves.png`):

| epoch | train loss | train acc | val loss | val acc | val macro-F1 | lr |
|---|---|---|---|---|---|---|
{rows}"""
results = root / "docs/RESULTS.md"
text = results.read_text()
text = re.sub(r"<!-- status:begin -->.*<!-- status:end -->",
              "<!-- status:begin -->\n" + status + "\n<!-- status:end -->", text, flags=re.S)
results.write_text(text)
readme = root / "README.md"
text = readme.read_text()
text = re.sub(r"`fer2013-vgg-bn[a-z-]*` [0-9.]+, scores \*\*[0-9.]+% on FER2013 test\*\* \([0-9]+ epochs",
              f"`{name}` {version}, scores **{100 * test['accuracy']:.1f}% on FER2013 test** "
              f"({len(history)} epochs", text)
readme.write_text(text)
print(version, f"{100 * test['accuracy']:.1f}%", len(history), "epochs")
