#include "core/train/optimizer.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/models/resnet.h"
#include "train_test_support.h"

namespace ablate::train {
namespace {

// A net whose projection shortcuts add BN layers with other names ("downsample.1").
models::ResNet tiny_resnet() { return models::ResNet(testing::tiny_run_spec("optimizer").model.options); }

TEST(WeightDecayGroups, NoDecayHoldsExactlyNormParametersAndBiases) {
  const models::ResNet model = tiny_resnet();
  const ParameterGroups groups = split_weight_decay_groups(*model);
  // Expected from the names alone: BN modules are bn1/bn2/bn3 and downsample.1; the only bias is fc's.
  const std::regex norm_or_bias(R"((^|.*\.)(bn[0-9]+|downsample\.1)\.(weight|bias)$|^fc\.bias$)");
  std::set<std::string> expected_no_decay, expected_decay;
  for (const auto& item : model->named_parameters()) {
    (std::regex_match(item.key(), norm_or_bias) ? expected_no_decay : expected_decay).insert(item.key());
  }
  ASSERT_FALSE(expected_no_decay.empty());
  EXPECT_EQ(std::set<std::string>(groups.no_decay_names.begin(), groups.no_decay_names.end()), expected_no_decay);
  EXPECT_EQ(std::set<std::string>(groups.decay_names.begin(), groups.decay_names.end()), expected_decay);
  EXPECT_EQ(groups.no_decay.size(), groups.no_decay_names.size());
  // Every decayed tensor is a conv or linear weight (2-D or more); the groups alias the model's tensors.
  for (const auto& tensor : groups.decay) EXPECT_GE(tensor.dim(), 2);
  EXPECT_TRUE(groups.decay.front().is_same(model->conv1->weight));
}

TEST(MakeSgd, TwoGroupsWithoutDecayOnNormAndBias) {
  const models::ResNet model = tiny_resnet();
  config::TrainSpec train;
  train.lr = 0.3;
  train.momentum = 0.9;
  train.nesterov = true;
  train.weight_decay = 1e-4;
  train.weight_decay_on_bn_and_bias = false;
  const auto sgd = make_sgd(*model, train);
  ASSERT_EQ(sgd->param_groups().size(), 2u);
  const auto& decayed = static_cast<const torch::optim::SGDOptions&>(sgd->param_groups()[0].options());
  const auto& exempt = static_cast<const torch::optim::SGDOptions&>(sgd->param_groups()[1].options());
  EXPECT_DOUBLE_EQ(decayed.weight_decay(), 1e-4);
  EXPECT_DOUBLE_EQ(exempt.weight_decay(), 0);
  EXPECT_TRUE(decayed.nesterov() && exempt.nesterov());
  EXPECT_DOUBLE_EQ(exempt.momentum(), 0.9);
  const ParameterGroups split = split_weight_decay_groups(*model);
  EXPECT_EQ(sgd->param_groups()[0].params().size(), split.decay.size());
  EXPECT_EQ(sgd->param_groups()[1].params().size(), split.no_decay.size());

  set_learning_rate(*sgd, 0.01);
  EXPECT_DOUBLE_EQ(sgd->param_groups()[0].options().get_lr(), 0.01);
  EXPECT_DOUBLE_EQ(sgd->param_groups()[1].options().get_lr(), 0.01);

  train.weight_decay_on_bn_and_bias = true;
  const auto single = make_sgd(*model, train);
  ASSERT_EQ(single->param_groups().size(), 1u);
  EXPECT_EQ(single->param_groups()[0].params().size(), model->parameters().size());
}

TEST(MakeSgd, RejectsNesterovWithoutMomentum) {
  const models::ResNet model = tiny_resnet();
  config::TrainSpec train;
  train.nesterov = true;
  train.momentum = 0;
  try {
    make_sgd(*model, train);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("train.nesterov"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ablate::train
