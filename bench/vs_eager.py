#!/usr/bin/env python3
"""Side by side: the project's training step and evaluation against PyTorch eager, same network.

For each named network this takes one run from `ablate show ... --format json`, checks that the eager
twin (bench/eager_twin.py) has exactly the state_dict names and shapes of `ablate inspect PRESET --format
json`, starts bench/trainer_worker (the trainer's own TrainStep/EvalStep on that run) and then alternates
rounds: C++ train, eager train in each layout, C++ eval, eager eval in each layout (the order flips every
round so that drifting machine load hits both sides alike). Same threads, batch, input, optimiser
settings. The eager side is credited with its faster layout (NCHW or channels_last, by median).
Prints images/s as median (min-max) over rounds, and the C++/eager ratio per round as median (min-max).

  bench/vs_eager.py [--nets a,b] [--rounds 5] [--train-steps 6] [--eval-batches 2] [--threads N]
                    [--device cpu|cuda] [--precision fp32|bf16]

`make bench-eager` builds, installs python3-torch and runs this with the defaults.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eager_twin  # noqa: E402


@dataclass
class Network:
    title: str
    experiment: str
    profile: str
    variant: str
    sets: list = field(default_factory=list)


NETWORKS = {
    # `make run`'s quick profile: the cardinality ablation's ResNet-50 and its highest cardinality.
    "resnet50-1x16d": Network("ResNet-50 1x16d (cardinality quick)", "cardinality", "quick", "ResNet-50 1x64d"),
    "resnext50-32x1d": Network("ResNeXt-50 32x1d (cardinality quick)", "cardinality", "quick", "ResNeXt-50 32x4d"),
    # bench/train_step_bench's net: ResNeXt-29 8x4d, base 16, stride-2 stem, batch 128, Nesterov, no decay
    # on BN and biases.
    "resnext29-8x4d": Network(
        "ResNeXt-29 8x4d (train_step_bench)", "cifar-cardinality-width", "quick", "ResNeXt-29 8x64d",
        ["model.width_scale=0.0625", "train.batch_size=128", "train.nesterov=true",
         "train.weight_decay_on_bn_and_bias=false"]),
    # The paper's CIFAR ResNeXt-29 8x64d at batch 128 (a GPU net; random CIFAR-shaped inputs).
    "resnext29-8x64d": Network(
        "ResNeXt-29 8x64d (CIFAR, batch 128)", "cifar-cardinality-width", "", "ResNeXt-29 8x64d",
        ["data.dataset=synthetic", "data.synthetic_train_size=1280", "data.synthetic_test_size=512",
         "data.synthetic_image_size=32", "data.synthetic_channels=3", "data.synthetic_classes=10",
         "data.synthetic_noise=0.5", "data.crop_padding=0", "data.horizontal_flip=false"]),
}
CPU_DEFAULT = ["resnet50-1x16d", "resnext50-32x1d", "resnext29-8x4d"]

# Dense tensor-core peaks in TFLOP/s (bf16, and tf32, which cuDNN uses for fp32 convolutions by default).
PEAK_TFLOPS = [("H200", 989.4, 494.7), ("H100 PCIe", 756.0, 378.0), ("H100", 989.4, 494.7),
               ("A100", 312.0, 156.0), ("L40S", 362.1, 183.0), ("L4", 121.0, 60.0), ("A10", 125.0, 62.5)]


def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def resolve_run(args, net):
    cmd = [args.ablate, "show", net.experiment, "--only", net.variant, "--format", "json",
           "--set", f"train.threads={args.threads}", "--set", f"train.device={args.device}",
           "--set", f"train.precision={args.precision}"]
    if net.profile:
        cmd += ["--profile", net.profile]
    for s in net.sets:
        cmd += ["--set", s]
    runs = run_json(cmd)
    return runs[0] if isinstance(runs, list) else runs


def check_twin_against_inspect(args, run):
    """The twin's state_dict names and shapes must be those of the C++ module."""
    model = run["model"]
    inspected = run_json([args.ablate, "inspect", model["preset"], "--image-size", str(model["image_size"]),
                          "--format", "json"])
    expected = {p["name"]: p["shape"] for p in inspected["parameters"]}
    got = eager_twin.shapes(eager_twin.ResNet(model["options"]))
    if expected != got:
        missing = sorted(set(expected) - set(got))[:5]
        extra = sorted(set(got) - set(expected))[:5]
        wrong = sorted(k for k in set(expected) & set(got) if expected[k] != got[k])[:5]
        sys.exit(f"vs_eager: the eager twin of {model['preset']} differs from `ablate inspect`: "
                 f"missing {missing}, extra {extra}, other shapes {wrong}")
    return inspected


class Worker:
    def __init__(self, path, run):
        self.file = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(run, self.file)
        self.file.close()
        self.proc = subprocess.Popen([path, self.file.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.banner = self.proc.stdout.readline().strip()
        if not self.banner.startswith("ready"):
            sys.exit(f"vs_eager: {path} did not start (see its message above)")

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().split()
        if not reply:
            sys.exit(f"vs_eager: trainer_worker died on '{command}'")
        return reply

    def rate(self, phase, count):
        _, seconds, images = self.ask(f"{phase} {count}")
        return int(images) / float(seconds)

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()
        os.unlink(self.file.name)


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def eager_rate(twin, phase, count, device):
    sync(device)
    start = time.perf_counter()
    if phase == "train":
        for _ in range(count):
            twin.train_step()
        images = count * twin.train_images.shape[0]
    else:
        for _ in range(count):
            twin.eval_batch()
        images = count * twin.eval_images.shape[0]
    sync(device)
    return images / (time.perf_counter() - start)


def spread(values):
    return f"{statistics.median(values):8.1f} ({min(values):.0f}-{max(values):.0f})"


def ratio_spread(values):
    return f"{statistics.median(values):5.2f}x ({min(values):.2f}-{max(values):.2f})"


def peak_tflops(args, bf16):
    if args.peak_tflops:
        return args.peak_tflops
    if not args.device.startswith("cuda"):
        return None
    name = torch.cuda.get_device_name()
    for key, bf16_peak, tf32_peak in PEAK_TFLOPS:
        if key in name:
            return bf16_peak if bf16 else tf32_peak
    return None


def measure(args, key):
    net = NETWORKS[key]
    run = resolve_run(args, net)
    inspected = check_twin_against_inspect(args, run)
    train = run["train"]
    worker = Worker(args.worker, run)
    bf16 = args.precision == "bf16" and args.device.startswith("cuda")
    layouts = {"NCHW": False, "NHWC": True}
    twins = {name: eager_twin.EagerTwin(run, channels_last, device=args.device, bf16=bf16)
             for name, channels_last in layouts.items()}
    counts = {"train": args.train_steps, "eval": args.eval_batches}
    for phase, count in counts.items():  # warm-up: allocator, oneDNN/cuDNN primitive caches
        worker.rate(phase, max(1, count // 2))
        for twin in twins.values():
            eager_rate(twin, phase, max(1, count // 2), args.device)

    rates = {phase: {"C++": [], **{name: [] for name in layouts}} for phase in counts}
    for r in range(args.rounds):
        for phase, count in counts.items():
            sides = ["C++", *layouts]
            for side in sides if r % 2 == 0 else reversed(sides):
                if side == "C++":
                    rates[phase][side].append(worker.rate(phase, count))
                else:
                    rates[phase][side].append(eager_rate(twins[side], phase, count, args.device))
    memory = worker.ask("memory")[1]
    worker.close()

    print(f"\n{net.title}: {run['model']['preset']}, batch {train['batch_size']} / eval {train['eval_batch_size']}, "
          f"{inspected['params']:,} params, {inspected['macs'] / 1e6:.1f} MMACs per image; worker: {worker.banner}")
    print(f"  {'phase':<6} {'C++ img/s':>20} {'eager NCHW':>20} {'eager NHWC':>20}  {'ratio to best eager':>24}")
    results = {}
    for phase in counts:
        r = rates[phase]
        best = max(layouts, key=lambda name: statistics.median(r[name]))
        ratios = [c / e for c, e in zip(r["C++"], r[best])]
        results[phase] = statistics.median(ratios)
        print(f"  {phase:<6} {spread(r['C++']):>20} {spread(r['NCHW']):>20} {spread(r['NHWC']):>20}  "
              f"{ratio_spread(ratios):>17} ({best})")
    peak = peak_tflops(args, bf16)
    if peak:
        # Training FLOPs per image: forward 2 * MACs, backward twice that.
        flops = 6 * inspected["macs"]
        for side in ("C++", "NCHW", "NHWC"):
            mfu = statistics.median(rates["train"][side]) * flops / (peak * 1e12)
            print(f"  MFU train {side}: {100 * mfu:.1f}% of {peak:.0f} TFLOP/s")
    if args.device.startswith("cuda"):
        print(f"  peak memory: C++ {int(memory) / 2**30:.2f} GiB, eager (both layouts, one process) "
              f"{torch.cuda.max_memory_allocated() / 2**30:.2f} GiB")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--build", default=os.path.join(root, "build"))
    parser.add_argument("--nets", default=None, help=f"comma-separated, of {', '.join(NETWORKS)}")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--train-steps", type=int, default=6)
    parser.add_argument("--eval-batches", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    parser.add_argument("--peak-tflops", type=float, default=None, help="the card's peak, if not in the table")
    args = parser.parse_args()
    args.ablate = os.path.join(args.build, "ablate")
    args.worker = os.path.join(args.build, "bench", "trainer_worker")
    nets = args.nets.split(",") if args.nets else CPU_DEFAULT
    for key in nets:
        if key not in NETWORKS:
            sys.exit(f"vs_eager: --nets: unknown network '{key}' (known: {', '.join(NETWORKS)})")
    torch.set_num_threads(args.threads)
    if args.device.startswith("cuda"):
        torch.backends.cudnn.benchmark = True
    load = os.getloadavg()
    print(f"vs_eager: C++ (build/bench/trainer_worker) vs PyTorch {torch.__version__} eager, {args.device}, "
          f"{args.precision}, {args.threads} threads, {args.rounds} rounds of {args.train_steps} train steps / "
          f"{args.eval_batches} eval batches; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.device.startswith("cuda"):
        print(f"device: {torch.cuda.get_device_name()}")
    summary = {key: measure(args, key) for key in nets}
    load = os.getloadavg()
    print(f"\nsummary (median C++/eager-best ratio; targets train >= 1.2x, eval >= 1.5x); "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for key, result in summary.items():
        print(f"  {key:<18} train {result['train']:.2f}x  eval {result['eval']:.2f}x")


if __name__ == "__main__":
    main()
