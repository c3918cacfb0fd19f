#!/usr/bin/env python3
"""Side by side: the project's training step and evaluation against PyTorch eager, same network.

For each named network this takes one run from `ablate show ... --format json`, checks that the eager
twin (bench/eager_twin.py) has exactly the state_dict names and shapes of `ablate inspect PRESET --format
json`, starts bench/trainer_worker (the trainer's own TrainStep/EvalStep on that run) and then runs
rounds in which C++, eager NCHW and eager channels_last take turns one training step (then one
evaluation batch) at a time (on a GPU: all of a round's steps at a time), so that a change in machine
load hits all sides alike. Same threads, batch,
input, optimiser settings. The eager side is credited with its faster layout (by median).
Prints images/s per round as median (min-max) over rounds, the C++/eager ratio per round as median
(min-max), and the same ratio from CPU time (user + system of each process over its own steps), which a
busy machine disturbs less than wall time. --profile-steps adds both sides' op self times.

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
    cmd = [args.ablate, "show", net.experiment, "--format", "json",
           "--set", f"train.threads={args.threads}", "--set", f"train.device={args.device}",
           "--set", f"train.precision={args.precision}"]
    if net.profile:
        cmd += ["--profile", net.profile]
    for s in net.sets:
        cmd += ["--set", s]
    runs = [run for run in run_json(cmd)["runs"] if run["variant"] == net.variant]
    if not runs:
        sys.exit(f"vs_eager: {net.experiment} has no variant '{net.variant}'")
    return runs[0]


def check_twin_against_inspect(args, run):
    """The twin's state_dict names and shapes must be those of the C++ module."""
    model = run["model"]
    inspected = run_json([args.ablate, "inspect", model["preset"], "--image-size", str(model["image_size"]),
                          "--format", "json"])
    expected = {p["name"]: p["shape"] for p in inspected["parameters"]}
    got = eager_twin.shapes(eager_twin.ResNet(model))
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

    def run(self, phase, count):
        """(wall seconds, images, CPU seconds) of `count` steps or batches."""
        _, seconds, images, cpu = self.ask(f"{phase} {count}")
        return float(seconds), int(images), float(cpu)

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()
        os.unlink(self.file.name)


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def eager_run(twin, phase, count, device):
    """(wall seconds, images, CPU seconds) of `count` steps or batches, as Worker.run."""
    sync(device)
    cpu, start = time.process_time(), time.perf_counter()
    step, batch = (twin.train_step, twin.train_images) if phase == "train" else (twin.eval_batch, twin.eval_images)
    for _ in range(count):
        step()
    sync(device)
    return time.perf_counter() - start, count * batch.shape[0], time.process_time() - cpu


def self_times(trace_path, steps):
    """Self time in ms per step of every op name in a chrome trace of LibTorch's profiler."""
    with open(trace_path) as f:
        trace = json.load(f)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    spans = {}
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            spans.setdefault(e.get("tid"), []).append((float(e["ts"]), float(e["dur"]), e["name"]))
    totals = {}
    for thread_spans in spans.values():
        thread_spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []  # [end, name, child time]
        def close(until):
            while stack and stack[-1][0] <= until:
                end, name, children, dur = stack.pop()
                totals[name] = totals.get(name, 0.0) + dur - children
        for start, dur, name in thread_spans:
            close(start)
            if stack:
                stack[-1][2] += dur
            stack.append([start + dur, name, 0.0, dur])
        close(float("inf"))
    return {name: us / 1000.0 / steps for name, us in totals.items()}


def add_times(total, times):
    for name, ms in times.items():
        total[name] = total.get(name, 0.0) + ms


def print_profiles(cpp, eager, eager_layout, top=20):
    print(f"  profile, self time per training step (ms), top {top} ops; C++ vs eager {eager_layout}:")
    names = sorted(set(cpp) | set(eager), key=lambda n: -max(cpp.get(n, 0), eager.get(n, 0)))[:top]
    for name in names:
        c, e = cpp.get(name, 0.0), eager.get(name, 0.0)
        print(f"    {name[:44]:<44} {c:8.2f} {e:8.2f} {c - e:+8.2f}")
    print(f"    {'all ops':<44} {sum(cpp.values()):8.2f} {sum(eager.values()):8.2f} "
          f"{sum(cpp.values()) - sum(eager.values()):+8.2f}")


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
    sides = ["C++", *layouts]

    def one(side, phase, count):
        return worker.run(phase, count) if side == "C++" else eager_run(twins[side], phase, count, args.device)

    counts = {"train": args.train_steps, "eval": args.eval_batches}
    for phase in counts:  # warm-up: allocator, oneDNN/cuDNN primitive caches, the folded copy
        for side in sides:
            one(side, phase, 2)

    # On the CPU every round runs each side `count` times one step (or batch) at a time, the sides
    # interleaved step by step in an order that rotates, so a change in machine load hits all of them
    # alike. On a GPU each side runs its `count` steps in one go: a host sync after every step would idle
    # the card between steps, which training does not do.
    rates = {phase: {side: [] for side in sides} for phase in counts}
    cpu_rates = {phase: {side: [] for side in sides} for phase in counts}
    for r in range(args.rounds):
        for phase, count in counts.items():
            totals = {side: [0.0, 0, 0.0] for side in sides}
            per_turn = count if args.device.startswith("cuda") else 1
            for i in range(count // per_turn):
                order = sides[(r + i) % len(sides):] + sides[:(r + i) % len(sides)]
                for side in order:
                    seconds, images, cpu = one(side, phase, per_turn)
                    totals[side][0] += seconds
                    totals[side][1] += images
                    totals[side][2] += cpu
            for side, (seconds, images, cpu) in totals.items():
                rates[phase][side].append(images / seconds)
                cpu_rates[phase][side].append(images / max(cpu, 1e-9))
    memory = worker.ask("memory")[1]
    best = {phase: max(layouts, key=lambda name: statistics.median(rates[phase][name])) for phase in counts}
    profiles = None
    if args.profile_steps:
        with tempfile.TemporaryDirectory() as folder:
            folder = os.environ.get("VS_EAGER_TRACES", folder)
            cpp, eager = {}, {}
            for i in range(args.profile_steps):  # interleaved too, one step each
                trace = os.path.join(folder, f"cpp-{i}.json")
                worker.ask(f"profile 1 {trace}")
                add_times(cpp, self_times(trace, args.profile_steps))
                with torch.autograd.profiler.profile() as prof:
                    twins[best["train"]].train_step()
                trace = os.path.join(folder, f"eager-{i}.json")
                prof.export_chrome_trace(trace)
                add_times(eager, self_times(trace, args.profile_steps))
            profiles = (cpp, eager, best["train"])
    worker.close()

    print(f"\n{net.title}: {run['model']['preset']}, batch {train['batch_size']} / eval {train['eval_batch_size']}, "
          f"{inspected['params']:,} params, {inspected['macs'] / 1e6:.1f} MMACs per image; worker: {worker.banner}")
    print(f"  {'phase':<6} {'C++ img/s':>20} {'eager NCHW':>20} {'eager NHWC':>20}  {'C++ / best eager':>22}  "
          f"{'same by CPU time':>22}")
    results = {}
    for phase in counts:
        r, c = rates[phase], cpu_rates[phase]
        ratios = [a / b for a, b in zip(r["C++"], r[best[phase]])]
        cpu_ratios = [a / b for a, b in zip(c["C++"], c[best[phase]])]
        results[phase] = statistics.median(ratios)
        print(f"  {phase:<6} {spread(r['C++']):>20} {spread(r['NCHW']):>20} {spread(r['NHWC']):>20}  "
              f"{ratio_spread(ratios):>17} {best[phase]}  {ratio_spread(cpu_ratios):>22}")
    peak = peak_tflops(args, bf16)
    if peak:
        # Training FLOPs per image: forward 2 * MACs, backward twice that.
        flops = 6 * inspected["macs"]
        for side in sides:
            mfu = statistics.median(rates["train"][side]) * flops / (peak * 1e12)
            print(f"  MFU train {side}: {100 * mfu:.1f}% of {peak:.0f} TFLOP/s")
    if profiles:
        print_profiles(*profiles)
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
    parser.add_argument("--profile-steps", type=int, default=0,
                        help="also profile this many training steps on both sides and compare op self times")
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
