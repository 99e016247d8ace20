"""A tiny, realistic training script: dataset in, metrics out, model and evaluation as artifacts.

    export ARTIFACTPORTAL_URL=http://localhost:5000 ARTIFACTPORTAL_TOKEN=apt_...
    python3 examples/train.py --project vision --runs 2

Standard library only: it trains a logistic regression on two Gaussian blobs. The first time it also publishes the
dataset (from a "prepare" run, so the lineage shows where the data came from). The last line it prints is JSON with the
run numbers, for scripts and tests.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import tempfile

import artifactportal as ap


def make_dataset(folder: str, seed: int = 7, size: int = 1200) -> None:
    rng = random.Random(seed)
    rows = []
    for _ in range(size):
        label = rng.random() < 0.5
        cx, cy = (1.5, 1.0) if label else (-1.0, -1.2)
        rows.append((rng.gauss(cx, 1.1), rng.gauss(cy, 1.1), int(label)))
    split = int(size * 0.8)
    os.makedirs(folder, exist_ok=True)
    for name, part in (("train.csv", rows[:split]), ("test.csv", rows[split:])):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write("x1,x2,label\n")
            f.writelines(f"{x1:.5f},{x2:.5f},{label}\n" for x1, x2, label in part)


def read_rows(path: str):
    with open(path, encoding="utf-8") as f:
        next(f)
        return [(float(a), float(b), int(c)) for a, b, c in (line.strip().split(",") for line in f if line.strip())]


def ensure_dataset(project: str, name: str) -> None:
    try:
        ap.artifact(f"{project}/{name}:latest")
        return
    except ap.ApiError as error:
        if error.status != 404:
            raise
    with ap.init(project=project, experiment="data", name="prepare-blobs", config={"seed": 7, "size": 1200}) as run, \
            tempfile.TemporaryDirectory() as folder:
        make_dataset(folder)
        run.log_artifact(folder, name=name, type="dataset", aliases=["stable"],
                         metadata={"rows": 1200, "split": {"train": 0.8, "test": 0.2}}, description="Two Gaussian blobs, 2 features.")


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def evaluate(w, rows):
    loss = correct = 0.0
    for x1, x2, y in rows:
        p = min(1 - 1e-12, max(1e-12, sigmoid(w[0] + w[1] * x1 + w[2] * x2)))
        loss -= math.log(p) if y else math.log(1 - p)
        correct += (p >= 0.5) == bool(y)
    return loss / len(rows), correct / len(rows)


def train(project: str, experiment: str, dataset: str, lr: float, epochs: int, batch: int, seed: int) -> int:
    config = {"lr": lr, "epochs": epochs, "batch_size": batch, "seed": seed, "model": {"kind": "logistic", "features": 2}}
    with ap.init(project=project, experiment=experiment, config=config, tags=["example"]) as run:
        data = run.use_artifact(f"{dataset}:latest").download(os.path.join(tempfile.gettempdir(), "artifactportal-example", dataset))
        train_rows, test_rows = read_rows(os.path.join(data, "train.csv")), read_rows(os.path.join(data, "test.csv"))
        rng = random.Random(seed)
        w = [0.0, 0.0, 0.0]
        step = 0
        for epoch in range(epochs):
            rng.shuffle(train_rows)
            for start in range(0, len(train_rows), batch):
                chunk = train_rows[start:start + batch]
                grad = [0.0, 0.0, 0.0]
                for x1, x2, y in chunk:
                    error = sigmoid(w[0] + w[1] * x1 + w[2] * x2) - y
                    grad = [grad[0] + error, grad[1] + error * x1, grad[2] + error * x2]
                w = [wi - lr * gi / len(chunk) for wi, gi in zip(w, grad)]
                loss, acc = evaluate(w, chunk)
                run.log({"train/loss": loss, "train/accuracy": acc}, step=step)
                step += 1
            val_loss, val_acc = evaluate(w, test_rows)
            run.log({"val/loss": val_loss, "val/accuracy": val_acc, "epoch": epoch}, step=step - 1)

        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "model.json"), "w", encoding="utf-8") as f:
                json.dump({"kind": "logistic", "weights": w}, f)
            run.log_artifact(os.path.join(folder, "model.json"), name="blobs-classifier", type="model",
                             aliases=["candidate"], metadata={"val_accuracy": round(val_acc, 4), "lr": lr})
            with open(os.path.join(folder, "metrics.json"), "w", encoding="utf-8") as f:
                json.dump({"accuracy": val_acc, "loss": val_loss, "test_rows": len(test_rows)}, f)
            run.log_artifact(os.path.join(folder, "metrics.json"), name="blobs-evaluation", type="evaluation",
                             metadata={"model_lr": lr})
        print(f"run {run.number}: val accuracy {val_acc:.3f}, loss {val_loss:.3f}  {run.url or ''}")
        return run.number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", required=True, help="project slug, e.g. vision")
    parser.add_argument("--experiment", default="blobs-logreg")
    parser.add_argument("--dataset", default="blobs")
    parser.add_argument("--runs", type=int, default=1, help="runs to train, each with another learning rate")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=10)
    args = parser.parse_args()
    ensure_dataset(args.project, args.dataset)
    rates = (0.5, 0.1, 0.02, 0.005)
    numbers = [train(args.project, args.experiment, args.dataset, rates[i % len(rates)], args.epochs, args.batch_size, seed=i)
               for i in range(args.runs)]
    print(json.dumps({"run": numbers[-1], "runs": numbers}))


if __name__ == "__main__":
    main()
