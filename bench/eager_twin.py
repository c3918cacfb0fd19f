"""The PyTorch eager twin of a run's network and training step, built from `ablate show --format json`.

The module mirrors core/models/resnet.cpp with torchvision's idioms (in-place ReLU, nn.Sequential
stages), so its state_dict names and shapes equal `ablate inspect PRESET --format json`'s; the step is
what a PyTorch user would write for the same RunSpec: F.cross_entropy, torch.optim.SGD with the same
momentum, Nesterov flag and parameter groups (no weight decay on BatchNorm parameters and biases when
train.weight_decay_on_bn_and_bias is false), eval under torch.inference_mode().
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv(cin, cout, kernel, stride=1, groups=1):
    return nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, groups=groups, bias=False)


class Bottleneck(nn.Module):
    def __init__(self, cin, width, cout, stride, cardinality, shortcut):
        super().__init__()
        self.conv1 = conv(cin, width, 1)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv(width, width, 3, stride, cardinality)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv(width, cout, 1)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut = shortcut
        self.downsample = None
        if shortcut and (stride != 1 or cin != cout):
            self.downsample = nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.shortcut:
            out += self.downsample(x) if self.downsample is not None else x
        return self.relu(out)


class ResNet(nn.Module):
    """models::ResNet for the "model" object of a RunSpec in JSON (core/config/run_spec_json.cpp)."""

    def __init__(self, o):
        super().__init__()
        self.imagenet = o["stem"] == "imagenet"
        if self.imagenet:
            self.conv1 = conv(o["input_channels"], o["stem_channels"], 7, 2)
        else:
            self.conv1 = conv(o["input_channels"], o["stem_channels"], 3, o["stem_stride"])
        self.bn1 = nn.BatchNorm2d(o["stem_channels"])
        self.relu = nn.ReLU(inplace=True)
        cin = o["stem_channels"]
        for s, blocks in enumerate(o["blocks"]):
            width = (o["cardinality"] * o["bottleneck_width"]) << s
            cout = 4 * (o["base_channels"] << s)
            stage = []
            for b in range(blocks):
                stride = 2 if (s > 0 and b == 0) else 1
                stage.append(Bottleneck(cin, width, cout, stride, o["cardinality"], o["shortcut"]))
                cin = cout
            self.add_module(f"layer{s + 1}", nn.Sequential(*stage))
        self.stages = len(o["blocks"])
        self.fc = nn.Linear(cin, o["num_classes"])
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        if self.imagenet:
            x = F.max_pool2d(x, 3, 2, 1)
        for s in range(self.stages):
            x = getattr(self, f"layer{s + 1}")(x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def shapes(model):
    """name -> shape of every state_dict entry, as `ablate inspect --format json` lists them."""
    return {name: list(t.shape) for name, t in model.state_dict().items()}


def make_sgd(model, train):
    """torch.optim.SGD as core/train/optimizer.cpp's make_sgd builds it."""
    common = dict(lr=train["lr"], momentum=train["momentum"], nesterov=train["nesterov"])
    if train["weight_decay_on_bn_and_bias"]:
        return torch.optim.SGD(model.parameters(), weight_decay=train["weight_decay"], **common)
    norm_types = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.GroupNorm, nn.LayerNorm,
                  nn.InstanceNorm1d, nn.InstanceNorm2d, nn.InstanceNorm3d)
    decay, no_decay = [], []
    for module in model.modules():
        for name, p in module.named_parameters(recurse=False):
            (no_decay if isinstance(module, norm_types) or name == "bias" else decay).append(p)
    groups = [g for g in ({"params": decay, "weight_decay": train["weight_decay"]},
                          {"params": no_decay, "weight_decay": 0.0}) if g["params"]]
    return torch.optim.SGD(groups, **common)


class EagerTwin:
    """The model, optimizer and fixed random batches of one RunSpec, in one memory format and device."""

    def __init__(self, run, channels_last, device="cpu", bf16=False, seed=0):
        torch.manual_seed(seed)
        o, train = run["model"], run["train"]
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        self.device = torch.device(device)
        self.bf16 = bf16
        self.model = ResNet(o).to(self.device, memory_format=self.memory_format)
        self.optimizer = make_sgd(self.model, train)
        self.label_smoothing = train["label_smoothing"]
        size, channels, classes = run["model"]["image_size"], o["input_channels"], o["num_classes"]

        def batch(n):
            images = torch.randn(n, channels, size, size).to(self.device, memory_format=self.memory_format)
            return images, torch.randint(classes, (n,)).to(self.device)

        self.train_images, self.train_labels = batch(train["batch_size"])
        self.eval_images, self.eval_labels = batch(train["eval_batch_size"])

    def autocast(self):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.bf16)

    def train_step(self):
        self.model.train()
        with self.autocast():
            loss = F.cross_entropy(self.model(self.train_images), self.train_labels,
                                   label_smoothing=self.label_smoothing)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return loss

    def eval_batch(self):
        self.model.eval()
        with torch.inference_mode(), self.autocast():
            logits = self.model(self.eval_images)
            return F.cross_entropy(logits, self.eval_labels)
