#!/usr/bin/env python3
"""Weights exchanged between ablate and torchvision, checked end to end on ResNeXt-50 32x4d (bench only;
the tests never need Python). Run by `make bench`, or by hand:

    /usr/bin/python3 bench/torchvision_weights_check.py [--ablate build/ablate] [--bench build/bench]

1. ablate -> torchvision. `ablate run` trains ResNeXt-50 32x4d (the preset) for one epoch on a generated
   ImageFolder tree at 224 px, `ablate export` writes its weights, and torchvision loads them:
   torch.load(weights_only=True) (the default since PyTorch 2.6) gives a dict of tensors, and
   torchvision.models.resnext50_32x4d loads it strictly once the metadata entry is popped (and with
   strict=False without popping it). Then
   - logits: torchvision's on a fixed batch against ablate's for the same file (build/bench/weights_logits);
   - the evaluation: torchvision's Resize(256) + CenterCrop(224) + Normalize on the tree's val split against
     the val loss, top-1 and top-5 errors ablate stored for the run.
2. torchvision -> ablate. A torchvision resnext50_32x4d with random weights and randomised BatchNorm
   statistics, saved by Python's torch.save(model.state_dict()) (the format of torchvision's own
   published files once loaded and saved again), is evaluated by `ablate eval`, and compared the same two
   ways. This is the path that reproduces torchvision's 77.618% top-1 with the published weights and a
   local ImageNet copy, which this machine does not have (and cannot download).

Prints the figures and exits 1 if any comparison fails.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms

CLASSES = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu"]  # 7: top-5 error is not trivially 0
PRESET = "resnext50_32x4d"
VARIANT = "ResNeXt-50 32x4d"
EXPERIMENT = """name: torchvision-weights
title: "ResNeXt-50 32x4d weights exchanged with torchvision"
base:
  model: {{preset: {preset}}}
  data: {{dataset: imagenet, root: {root}, workers: 2}}
  train: {{epochs: 1, batch_size: 4, eval_batch_size: 8, lr: 0.01, schedule: {{kind: cosine}}}}
variants:
  - name: {variant}
"""


def write_tree(root, train, val):
    """ROOT/{train,val}/<class>/*.JPEG: 320x240 images, a colour per class plus noise (torchvision and
    ablate resize them to 341x256 and crop 224: no DCT reduction, the pixels are torchvision's)."""
    rng = np.random.default_rng(0)
    colours = rng.uniform(30, 220, (len(CLASSES), 3))
    for split, count in (("train", train), ("val", val)):
        for label, name in enumerate(CLASSES):
            os.makedirs(os.path.join(root, split, name), exist_ok=True)
            for i in range(count):
                pixels = np.clip(colours[label] + rng.normal(0, 60, (240, 320, 3)), 0, 255).astype(np.uint8)
                Image.fromarray(pixels).save(os.path.join(root, split, name, f"{name}_{i}.JPEG"), quality=90)


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout}{result.stderr}")
    return result.stdout


def torchvision_evaluation(model, val_dir):
    """Loss, top-1 and top-5 error (%) as torchvision's reference evaluation computes them."""
    transform = transforms.Compose([
        transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
    data = torchvision.datasets.ImageFolder(val_dir, transform)
    loader = torch.utils.data.DataLoader(data, batch_size=8, shuffle=False)
    model.eval()
    loss, top1, top5, n = 0.0, 0, 0, 0
    k = min(5, len(data.classes))
    with torch.no_grad():
        for images, labels in loader:
            logits = model(images)
            loss += torch.nn.functional.cross_entropy(logits, labels, reduction="sum").item()
            best = logits.topk(k, dim=1).indices
            top1 += (best[:, 0] == labels).sum().item()
            top5 += (best == labels[:, None]).any(dim=1).sum().item()
            n += labels.numel()
    return {"val_loss": loss / n, "val_top1_err": 100.0 * (n - top1) / n, "val_top5_err": 100.0 * (n - top5) / n}


def ablate_metrics(ablate, db, evaluation_only):
    runs = json.loads(run([ablate, "runs", "torchvision-weights", "--db", db, "--format", "json"]))
    chosen = [r for r in runs if r["evaluation_only"] == evaluation_only and r["status"] == "finished"]
    return chosen[-1]["last_metrics"]


class Checks:
    def __init__(self):
        self.failed = []

    def expect(self, ok, what):
        print(("  ok    " if ok else "  FAIL  ") + what)
        if not ok:
            self.failed.append(what)

    def compare_evaluations(self, ours, theirs):
        for name in ("val_top1_err", "val_top5_err"):
            self.expect(ours[name] == theirs[name], f"{name}: ablate {ours[name]:.4f}, torchvision {theirs[name]:.4f}")
        diff = abs(ours["val_loss"] - theirs["val_loss"])
        self.expect(diff <= 1e-4 * max(1.0, abs(theirs["val_loss"])),
                    f"val_loss: ablate {ours['val_loss']:.6f}, torchvision {theirs['val_loss']:.6f} (|diff| {diff:.2e})")

    def compare_logits(self, bench_dir, weights, model, num_classes, scratch):
        out = os.path.join(scratch, "logits.pt")
        run([os.path.join(bench_dir, "weights_logits"), weights, PRESET, str(num_classes), out])
        ours = torch.load(out, weights_only=True)
        model.eval()
        with torch.no_grad():
            theirs = model(ours["input"])
        diff = (ours["logits"] - theirs).abs().max().item()
        scale = theirs.abs().max().item()
        self.expect(diff <= 1e-4 * max(1.0, scale),
                    f"logits on a fixed batch of 4: max |ablate - torchvision| {diff:.2e} (max |logit| {scale:.3g})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--ablate", default=os.path.join(here, "..", "build", "ablate"))
    parser.add_argument("--bench", default=os.path.join(here, "..", "build", "bench"),
                        help="folder of the built benchmarks (weights_logits)")
    args = parser.parse_args()
    torch.manual_seed(0)
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="ablate-tv-weights-") as scratch:
        tree = os.path.join(scratch, "tree")
        write_tree(tree, train=2, val=4)
        yaml = os.path.join(scratch, "experiment.yaml")
        with open(yaml, "w") as f:
            f.write(EXPERIMENT.format(preset=PRESET, root=tree, variant=VARIANT))
        db = os.path.join(scratch, "r.db")
        store = ["--db", db, "--checkpoints", os.path.join(scratch, "ckpt")]
        val_dir = os.path.join(tree, "val")

        print(f"1. ablate -> torchvision ({PRESET}, {len(CLASSES)} classes, trained one epoch by ablate)")
        run([args.ablate, "run", yaml, "--quiet"] + store)
        exported = os.path.join(scratch, "exported.pt")
        print("  " + run([args.ablate, "export", yaml, "--variant", VARIANT, "--checkpoints",
                          os.path.join(scratch, "ckpt"), "-o", exported]).strip())
        # weights_only=True: torch.load's default since PyTorch 2.6, and the safe way to read a file.
        state = torch.load(exported, weights_only=True)
        checks.expect(type(state) is dict and all(isinstance(v, torch.Tensor) for v in state.values()),
                      f"torch.load(weights_only=True) gives a dict[str, Tensor] of {len(state)} entries")
        model = torchvision.models.resnext50_32x4d(num_classes=len(CLASSES))
        missing, unexpected = model.load_state_dict(state, strict=False)
        checks.expect(not missing and unexpected == ["_ablate_metadata"],
                      "load_state_dict(strict=False) ignores only the metadata entry")
        meta = json.loads(state.pop("_ablate_metadata").numpy().tobytes())
        model = getattr(torchvision.models, meta["torchvision"])(num_classes=meta["model"]["num_classes"])
        model.load_state_dict(state)  # strict: raises on any difference of keys or shapes
        checks.expect(meta["torchvision"] == PRESET, f"metadata: torchvision.models.{meta['torchvision']}, preset "
                                                     f"{meta['preset']}, run {meta['run_key']}, epoch {meta['epoch']}, "
                                                     f"ablate {meta['ablate_version']} (git {meta['ablate_commit']}); loads strictly")
        checks.compare_logits(args.bench, exported, model, len(CLASSES), scratch)
        checks.compare_evaluations(ablate_metrics(args.ablate, db, False), torchvision_evaluation(model, val_dir))

        print(f"2. torchvision -> ablate eval (random {PRESET}, saved by torch.save(model.state_dict()))")
        model = torchvision.models.resnext50_32x4d(num_classes=len(CLASSES))
        with torch.no_grad():
            for name, buffer in model.named_buffers():
                if name.endswith("running_mean"):
                    buffer.normal_(0, 0.1)
                elif name.endswith("running_var"):
                    buffer.uniform_(0.5, 1.5)
        published = os.path.join(scratch, "torchvision.pt")
        torch.save(model.state_dict(), published)
        run([args.ablate, "eval", yaml, "--variant", VARIANT, "--weights", published, "--quiet"] + store)
        checks.compare_logits(args.bench, published, model, len(CLASSES), scratch)
        checks.compare_evaluations(ablate_metrics(args.ablate, db, True), torchvision_evaluation(model, val_dir))

    if checks.failed:
        print(f"{len(checks.failed)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
