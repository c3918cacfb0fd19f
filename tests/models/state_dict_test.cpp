// Weights files in and out: ablate's export read back, files as Python and LibTorch write them, and the
// errors for files that do not fit or are not state_dicts.
#include <caffe2/serialize/inline_container.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <map>

#include "core/config/sha256.h"
#include "core/models/presets.h"
#include "core/models/resnet.h"
#include "core/models/state_dict.h"
#include "core/models/state_dict_file.h"
#include "tests/models/python_state_dict.h"
#include "tests/models/torchvision_layout.h"
#include "tests/support/temp_path.h"

namespace ablate::models {
namespace {

using ablate::testing::CaseTempDir;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// A small ImageNet-layout ResNeXt (torchvision's names) with BatchNorm statistics that are not 0 and 1, so
// that eval-mode logits depend on every buffer.
ResNetOptions small_resnext(int64_t num_classes = 6) {
  ResNetOptions o = preset("resnext50_32x4d").options;
  return o.blocks({1, 1, 1, 1}).cardinality(2).bottleneck_width(2).base_channels(8).stem_channels(8)
      .num_classes(num_classes);
}

ResNet randomised(const ResNetOptions& options, int64_t seed) {
  torch::manual_seed(static_cast<uint64_t>(seed));
  ResNet net(options);
  torch::NoGradGuard no_grad;
  for (auto& item : net->named_buffers()) {
    if (item.key().find("running_mean") != std::string::npos) item.value().normal_(0, 0.2);
    if (item.key().find("running_var") != std::string::npos) item.value().uniform_(0.5, 2.0);
    if (item.key().find("num_batches_tracked") != std::string::npos) item.value().fill_(seed + 7);
  }
  for (auto& item : net->named_parameters()) {
    if (item.key().find("bn") != std::string::npos || item.key().find("downsample.1") != std::string::npos) {
      item.value().uniform_(0.5, 1.5);
    }
  }
  net->eval();
  return net;
}

torch::Tensor logits(ResNet& net, const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  net->eval();
  return net->forward(images);
}

TEST(StateDict, OrderIsPyTorchsModuleByModuleOrder) {
  ResNet net(small_resnext());
  const NamedTensors entries = state_dict(*net);
  std::vector<std::string> names;
  for (const auto& entry : entries) names.push_back(entry.first);
  const std::vector<std::string> head = {"conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                                         "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight",
                                         "layer1.0.bn1.weight"};
  ASSERT_GT(names.size(), head.size());
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(head.size())), head);
  EXPECT_EQ(names[names.size() - 2], "fc.weight");
  EXPECT_EQ(names.back(), "fc.bias");
  // Every parameter and buffer, once.
  EXPECT_EQ(names.size(), net->named_parameters().size() + net->named_buffers().size());
}

TEST(StateDictFile, ExportThenImportGivesIdenticalLogits) {
  CaseTempDir dir("weights");
  ResNet trained = randomised(small_resnext(), 1);
  const std::string path = dir.file("model.pt");
  write_state_dict_file(path, state_dict(*trained), R"({"preset": "x", "run_key": "abc"})");

  const StateDictFile file = read_state_dict_file(path);
  EXPECT_EQ(file.metadata, R"({"preset": "x", "run_key": "abc"})");
  EXPECT_EQ(file.tensors.size(), state_dict(*trained).size()) << "the metadata entry is not a tensor of the model";
  EXPECT_EQ(file.tensors.front().first, "conv1.weight");

  ResNet fresh = randomised(small_resnext(), 2);
  const torch::Tensor images = torch::randn({3, 3, 64, 64});
  ASSERT_FALSE(torch::equal(logits(fresh, images), logits(trained, images)));
  load_state_dict(*fresh, file.tensors, "test");
  EXPECT_TRUE(torch::equal(logits(fresh, images), logits(trained, images)));
  // Buffers too: num_batches_tracked is restored, not just the float statistics.
  for (const auto& [name, tensor] : state_dict(*fresh)) {
    if (name == "bn1.num_batches_tracked") {
      EXPECT_EQ(tensor.item<int64_t>(), 8);
    }
  }
}

// torch.load's default since PyTorch 2.6 is weights_only=True, which refuses the type tags LibTorch's
// torch::pickle_save writes (torch.jit._pickle.restore_type_tag): ablate's files carry none, only what
// Python's torch.save of a plain dict carries.
TEST(StateDictFile, WrittenFilesAreWhatPythonsTorchSaveWritesForAPlainDict) {
  CaseTempDir dir("weights");
  ResNet net = randomised(small_resnext(), 1);
  const std::string path = dir.file("model.pt");
  write_state_dict_file(path, state_dict(*net), R"({"a": 1})");
  caffe2::serialize::PyTorchStreamReader reader(path);
  const auto [data, size] = reader.getRecord("data.pkl");
  const std::string program(static_cast<const char*>(data.get()), size);
  EXPECT_EQ(program.find("torch.jit"), std::string::npos);
  EXPECT_EQ(program.rfind("\x80\x02}(", 0), 0u) << "protocol 2, a plain dict";
  for (const char* global : {"ctorch._utils\n_rebuild_tensor_v2\n", "ctorch\nFloatStorage\n",
                             "ctorch\nLongStorage\n", "ctorch\nByteStorage\n", "ccollections\nOrderedDict\n"}) {
    EXPECT_NE(program.find(global), std::string::npos) << global;
  }
  const auto [order, order_size] = reader.getRecord("byteorder");
  EXPECT_EQ(std::string(static_cast<const char*>(order.get()), order_size), "little");
  EXPECT_TRUE(reader.hasRecord("data/0"));
}

TEST(StateDictFile, ChannelsLastModelIsWrittenInTheDefaultLayout) {
  CaseTempDir dir("weights");
  ResNet net = randomised(small_resnext(), 3);
  for (auto& p : net->parameters()) {
    if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
  }
  const std::string path = dir.file("model.pt");
  write_state_dict_file(path, state_dict(*net), "");
  const StateDictFile file = read_state_dict_file(path);
  EXPECT_TRUE(file.metadata.empty());
  for (const auto& [name, tensor] : file.tensors) EXPECT_TRUE(tensor.is_contiguous()) << name;
  ResNet copy = randomised(small_resnext(), 4);
  load_state_dict(*copy, file.tensors, "test");
  const torch::Tensor images = torch::randn({2, 3, 64, 64});
  EXPECT_TRUE(torch::allclose(logits(copy, images), logits(net, images), 1e-5, 1e-6));
}

// A state_dict as LibTorch's own torch::pickle_save writes it (a generic dict, torchvision's names, in
// sorted rather than module order) loads by name.
TEST(StateDictFile, PickleSaveDictWithTorchvisionNamesLoads) {
  CaseTempDir dir("weights");
  const auto shapes = testing::torchvision_shapes(4, 4, {1, 1, 1, 1}, 10);
  c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
  torch::manual_seed(5);
  std::map<std::string, torch::Tensor> written;
  for (const auto& [name, shape] : shapes) {
    const bool counter = name.find("num_batches_tracked") != std::string::npos;
    torch::Tensor t = counter ? torch::tensor(int64_t{3}) : torch::randn(shape);
    if (name.find("running_var") != std::string::npos) t = t.abs() + 0.5;
    written[name] = t;
    dict.insert(name, t);
  }
  const std::vector<char> bytes = torch::pickle_save(dict);
  const std::string path = dir.file("libtorch.pt");
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));

  ResNetOptions options = preset("resnext50_32x4d").options;
  options.blocks({1, 1, 1, 1}).cardinality(4).bottleneck_width(4).num_classes(10);
  ResNet net(options);
  load_state_dict(*net, read_state_dict_file(path).tensors, "test");
  for (const auto& [name, tensor] : state_dict(*net)) {
    EXPECT_TRUE(torch::equal(tensor, written.at(name))) << name;
  }
}

// Python's torch.save(model.state_dict()): an OrderedDict with a _metadata attribute, backward-hook
// OrderedDicts inside every tensor, and tensors that view a storage at an offset with strides.
TEST(StateDictFile, PythonTorchSaveOfAStateDictLoads) {
  CaseTempDir dir("weights");
  ResNet source = randomised(small_resnext(), 6);
  NamedTensors entries = state_dict(*source);
  // One weight saved as a transposed view into a larger storage, as Python keeps views.
  for (auto& [name, tensor] : entries) {
    if (name == "fc.weight") {
      torch::Tensor big = torch::zeros({tensor.size(1) + 1, tensor.size(0)});
      big.narrow(0, 1, tensor.size(1)).copy_(tensor.t());
      tensor = big.narrow(0, 1, tensor.size(1)).t();
      ASSERT_FALSE(tensor.is_contiguous());
      ASSERT_GT(tensor.storage_offset(), 0);
    }
  }
  const std::string path = dir.file("python.pt");
  testing::write_python_state_dict(path, entries);

  const StateDictFile file = read_state_dict_file(path);
  EXPECT_TRUE(file.metadata.empty());
  ASSERT_EQ(file.tensors.size(), entries.size());
  EXPECT_EQ(file.tensors.front().first, "conv1.weight") << "file order kept";
  ResNet copy = randomised(small_resnext(), 7);
  load_state_dict(*copy, file.tensors, "test");
  const torch::Tensor images = torch::randn({2, 3, 64, 64});
  EXPECT_TRUE(torch::equal(logits(copy, images), logits(source, images)));
  EXPECT_EQ(file.sha256, config::sha256_hex(testing::python_state_dict_bytes(entries)));
}

TEST(StateDictFile, MissingBatchCountersAreAcceptedAsPyTorchAcceptsThem) {
  ResNet source = randomised(small_resnext(), 8);
  NamedTensors entries;
  for (const auto& entry : state_dict(*source)) {
    if (entry.first.find("num_batches_tracked") == std::string::npos) entries.push_back(entry);
  }
  ResNet copy = randomised(small_resnext(), 9);
  load_state_dict(*copy, entries, "test");
  const torch::Tensor images = torch::randn({1, 3, 64, 64});
  EXPECT_TRUE(torch::equal(logits(copy, images), logits(source, images)));
}

TEST(StateDictFile, ShapeMismatchNamesTheTensorAndBothShapes) {
  CaseTempDir dir("weights");
  ResNet ten = randomised(small_resnext(10), 1);
  const std::string path = dir.file("ten.pt");
  write_state_dict_file(path, state_dict(*ten), "");
  ResNet six = randomised(small_resnext(6), 2);
  const torch::Tensor before = six->fc->weight.clone();
  const std::string message = error_of([&] { load_weights_file(*six, path, "", "model.init_from"); });
  EXPECT_NE(message.find("model.init_from '" + path + "'"), std::string::npos) << message;
  const int64_t features = six->fc->weight.size(1);
  EXPECT_NE(message.find(fmt::format("2 tensors of another shape (fc.weight: file [10, {0}], model [6, {0}], "
                                     "fc.bias: file [10], model [6])",
                                     features)),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_TRUE(torch::equal(six->fc->weight, before)) << "nothing is copied on a mismatch";
  EXPECT_TRUE(torch::equal(six->conv1->weight, randomised(small_resnext(6), 2)->conv1->weight));
}

TEST(StateDictFile, MissingAndUnexpectedKeysAreListedFirstFewWithCounts) {
  ResNet source = randomised(small_resnext(), 1);
  NamedTensors entries;
  for (const auto& entry : state_dict(*source)) {
    if (entry.first.rfind("layer4.", 0) != 0) entries.push_back(entry);
  }
  entries.emplace_back("head.weight", torch::zeros({2}));
  ResNet target(small_resnext());
  const std::string message = error_of([&] { load_state_dict(*target, entries, "weights file 'x.pt'"); });
  EXPECT_EQ(message.rfind("weights file 'x.pt': the weights do not fit the model: ", 0), 0u) << message;
  // layer4.0 has 4 convolutions (downsample included) and 4 BatchNorms: 4 + 4 * 4 = 20 keys, counters aside.
  EXPECT_NE(message.find("20 keys missing from the file (layer4.0.conv1.weight, layer4.0.bn1.weight, "
                         "layer4.0.bn1.bias, layer4.0.bn1.running_mean, layer4.0.bn1.running_var, ... 15 more)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("1 key the model does not have (head.weight)"), std::string::npos) << message;
}

TEST(StateDictFile, DataParallelPrefixIsPointedOut) {
  ResNet source = randomised(small_resnext(), 1);
  NamedTensors entries;
  for (const auto& [name, tensor] : state_dict(*source)) entries.emplace_back("module." + name, tensor);
  ResNet target(small_resnext());
  const std::string message = error_of([&] { load_state_dict(*target, entries, "f"); });
  EXPECT_NE(message.find("every key starts with 'module.'"), std::string::npos) << message;
}

TEST(StateDictFile, FilesThatAreNotStateDictsSayWhatTheyHold) {
  CaseTempDir dir("weights");
  const auto write = [&](const std::string& name, const c10::IValue& value) {
    const std::vector<char> bytes = torch::pickle_save(value);
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  };
  // A training checkpoint: epoch, optimizer and the weights one level down.
  c10::impl::GenericDict weights(c10::StringType::get(), c10::AnyType::get());
  weights.insert("conv1.weight", torch::zeros({2}));
  c10::impl::GenericDict checkpoint(c10::StringType::get(), c10::AnyType::get());
  checkpoint.insert("epoch", int64_t{90});
  checkpoint.insert("model", weights);
  std::string message = error_of([&] { read_state_dict_file(write("checkpoint.pt", checkpoint)); });
  EXPECT_NE(message.find("keys: epoch, model"), std::string::npos) << message;
  EXPECT_NE(message.find("torch.save(d[\"model\"], ...)"), std::string::npos) << message;

  message = error_of([&] { read_state_dict_file(write("tensor.pt", torch::zeros({3}))); });
  EXPECT_NE(message.find("it holds a Tensor, not a state_dict"), std::string::npos) << message;

  const std::string legacy = dir.write("legacy.pt", std::string("\x80\x02\x8a\x0a", 4) + "then the legacy magic number and pickles");
  message = error_of([&] { read_state_dict_file(legacy); });
  EXPECT_NE(message.find("before 1.6"), std::string::npos) << message;
  EXPECT_NE(message.find("torch.save(torch.load(OLD), NEW)"), std::string::npos) << message;

  message = error_of([&] { read_state_dict_file(dir.file("absent.pt")); });
  EXPECT_NE(message.find("cannot open weights file '" + dir.file("absent.pt") + "'"), std::string::npos) << message;
}

TEST(StateDictFile, DamagedFilesAreRefusedWithoutReadingOutOfBounds) {
  CaseTempDir dir("weights");
  ResNet net = randomised(small_resnext(), 1);
  const std::string good = testing::python_state_dict_bytes(state_dict(*net));
  // Cut at many points: every prefix is refused with a message naming the file.
  for (size_t cut : {size_t{10}, good.size() / 3, good.size() / 2, good.size() - 30}) {
    const std::string path = dir.write("cut.pt", good.substr(0, cut));
    const std::string message = error_of([&] { read_state_dict_file(path); });
    EXPECT_EQ(message.rfind("weights file '" + path + "': ", 0), 0u) << cut << ": " << message;
  }
  // A tensor whose view reaches past its storage.
  torch::Tensor small = torch::zeros({4});
  const std::string path = dir.file("past.pt");
  {
    // Same file layout as Python's, with a size larger than the storage.
    NamedTensors entries = {{"w", small}};
    std::string bytes = testing::python_state_dict_bytes(entries);
    const std::string from = std::string("K\x04\x85", 3);  // size (4,)
    const size_t at = bytes.find(from);
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, from.size(), std::string("K\x09\x85", 3));  // size (9,): beyond 4 elements
    std::ofstream(path, std::ios::binary) << bytes;
  }
  const std::string message = error_of([&] { read_state_dict_file(path); });
  EXPECT_NE(message.find("reaches past its storage of 4 elements"), std::string::npos) << message;
}

TEST(StateDictFile, ChangedFileIsRefusedAgainstThePlannedDigest) {
  CaseTempDir dir("weights");
  ResNet net = randomised(small_resnext(), 1);
  const std::string path = dir.file("model.pt");
  write_state_dict_file(path, state_dict(*net), "");
  const std::string digest = read_state_dict_file(path).sha256;
  EXPECT_EQ(digest.size(), 64u);
  ResNet target(small_resnext());
  load_weights_file(*target, path, digest, "model.init_from");  // as planned: loads
  write_state_dict_file(path, state_dict(*randomised(small_resnext(), 2)), "");
  const std::string message = error_of([&] { load_weights_file(*target, path, digest, "model.init_from"); });
  EXPECT_NE(message.find("model.init_from: '" + path + "' has changed since the run was planned"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace ablate::models
