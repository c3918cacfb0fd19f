#!/usr/bin/env python3
"""torchvision's side of build/bench/imagefolder_bench: ImageFolder + DataLoader with the same transforms,
driven one measurement at a time over stdin so the C++ benchmark can alternate with it in one run.

Commands (one per line), each answered with one JSON line:
  measure ROOT SPLIT TRANSFORM WORKERS BATCH   -> {"images", "wall", "cpu"}: the second pass over SPLIT
                                                  (the first warms the page cache and the workers)
  samples ROOT SPLIT                           -> {"samples": [[relative path, label], ...]}
  eval_pixels ROOT SPLIT COUNT OUT             -> writes COUNT x 224 x 224 x 3 uint8 (Resize(256) +
                                                  CenterCrop(224), before ToTensor) of the first images
  quit
CPU time is the main process's plus the DataLoader workers' (read from /proc), over the timed pass.
Needs Debian's python3-torchvision and python3-pil (`make bench` installs them); the tests never use it.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torchvision.transforms as T
from torch.utils.data import DataLoader
from torchvision.datasets import ImageFolder

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
TRANSFORMS = {
    "train": T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(MEAN, STD)]),
    "eval": T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), T.Normalize(MEAN, STD)]),
}
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def measure(root, split, transform, workers, batch):
    data = ImageFolder(os.path.join(root, split), TRANSFORMS[transform])
    loader = DataLoader(data, batch_size=batch, shuffle=transform == "train", num_workers=workers,
                        persistent_workers=True)
    for _ in loader:  # warm-up pass: page cache, worker start-up
        pass
    it = iter(loader)
    pids = [w.pid for w in it._workers]
    cpu0 = time.process_time() + sum(process_cpu(p) for p in pids)
    wall0 = time.perf_counter()
    images = sum(len(labels) for _, labels in it)
    wall = time.perf_counter() - wall0
    cpu = time.process_time() + sum(process_cpu(p) for p in pids) - cpu0
    del it, loader
    return {"images": images, "wall": wall, "cpu": cpu}


def main():
    torch.set_num_threads(1)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "measure":
            root, split, transform, workers, batch = words[1], words[2], words[3], int(words[4]), int(words[5])
            answer = measure(root, split, transform, workers, batch)
        elif words[0] == "samples":
            split_dir = os.path.join(words[1], words[2])
            answer = {"samples": [[os.path.relpath(p, split_dir), label] for p, label in ImageFolder(split_dir).samples]}
        elif words[0] == "eval_pixels":
            data = ImageFolder(os.path.join(words[1], words[2]), T.Compose([T.Resize(256), T.CenterCrop(224)]))
            count = int(words[3])
            pixels = np.stack([np.asarray(data[i][0], dtype=np.uint8) for i in range(count)])
            pixels.tofile(words[4])
            answer = {"written": count}
        else:
            answer = {"error": f"unknown command {words[0]}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
