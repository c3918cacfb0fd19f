#include "core/config/claim_spec.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/config/config_node.h"
#include "core/config/value_reader.h"

namespace ablate::config {
namespace {

const std::vector<std::string> kClaimKeys = {"text", "better", "than", "trend", "direction", "metric", "effect"};

// The name, when it is a variant; else an error at the node (with a did-you-mean) and nullopt.
std::optional<std::string> variant_name(const ConfigNode& node, const std::vector<std::string>& variants,
                                        ValueReader& r) {
  const auto name = r.string(node);
  if (!name) return std::nullopt;
  if (std::find(variants.begin(), variants.end(), *name) != variants.end()) return name;
  r.error(node.location, fmt::format("unknown variant \"{}\"{}", *name, suggestion_suffix(*name, variants)));
  return std::nullopt;
}

SourceLocation key_location(const ConfigNode& map, const std::string& key) {
  SourceLocation where = map.location;
  where.path = where.path.empty() ? key : where.path + "." + key;
  return where;
}

}  // namespace

std::vector<ClaimSpec> decode_claims(const ConfigNode& node, const std::vector<std::string>& variants,
                                     const std::vector<std::string>& metrics, ValueReader& r) {
  std::vector<ClaimSpec> claims;
  if (!node.is_sequence()) {
    r.fail(node, "a list of claims ({text, better, than} or {text, trend, direction})");
    return claims;
  }
  for (const ConfigNode& item : node.items) {
    if (!r.map(item, false)) continue;
    r.check_keys(item, kClaimKeys);
    ClaimSpec claim;
    claim.location = item.location;
    bool ok = true;
    if (const ConfigNode* text = item.find("text")) {
      if (auto t = r.string(*text)) claim.text = *t; else ok = false;
    } else {
      r.error(key_location(item, "text"), "every claim needs a text: the claim in words");
      ok = false;
    }
    const ConfigNode* better = item.find("better");
    const ConfigNode* than = item.find("than");
    const ConfigNode* trend = item.find("trend");
    const ConfigNode* direction = item.find("direction");
    const bool better_form = better != nullptr || than != nullptr;
    const bool trend_form = trend != nullptr || direction != nullptr;
    if (better_form && trend_form) {
      r.error(item.location, "a claim is either {better, than} or {trend, direction}, not both");
      continue;
    }
    if (!better_form && !trend_form) {
      r.error(item.location, "a claim needs better and than (two variants) or trend and direction (a list of variants)");
      continue;
    }
    if (better_form) {
      claim.kind = ClaimSpec::Kind::better;
      auto read_side = [&](const char* key, const ConfigNode* side, std::string& out) {
        if (side == nullptr) {
          r.error(key_location(item, key), fmt::format("missing \"{}\": a claim with better/than names both variants", key));
          ok = false;
        } else if (auto name = variant_name(*side, variants, r)) {
          out = *name;
        } else {
          ok = false;
        }
      };
      read_side("better", better, claim.better);
      read_side("than", than, claim.than);
      if (ok && claim.better == claim.than) {
        r.error(than->location, fmt::format("\"{}\" is compared with itself", claim.than));
        ok = false;
      }
    } else {
      claim.kind = ClaimSpec::Kind::trend;
      if (trend == nullptr) {
        r.error(key_location(item, "trend"), "missing \"trend\": the variants, in the order the claim reads");
        ok = false;
      } else if (!trend->is_sequence() || trend->items.size() < 2) {
        r.fail(*trend, "a list of at least two variant names");
        ok = false;
      } else {
        for (const ConfigNode& entry : trend->items) {
          const auto name = variant_name(entry, variants, r);
          if (!name) {
            ok = false;
          } else if (std::find(claim.trend.begin(), claim.trend.end(), *name) != claim.trend.end()) {
            r.error(entry.location, fmt::format("variant \"{}\" is listed twice", *name));
            ok = false;
          } else {
            claim.trend.push_back(*name);
          }
        }
      }
      if (direction == nullptr) {
        r.error(key_location(item, "direction"), "missing \"direction\": decreasing or increasing");
        ok = false;
      } else if (auto d = r.choice(*direction, {"decreasing", "increasing"})) {
        claim.decreasing = *d == "decreasing";
      } else {
        ok = false;
      }
    }
    if (const ConfigNode* metric = item.find("metric")) {
      if (auto m = r.choice(*metric, metrics)) claim.metric = *m; else ok = false;
    }
    if (const ConfigNode* effect = item.find("effect")) {
      if (auto e = r.number(*effect, Bounds{0, false, 100, true}, "a difference (percentage points)")) claim.effect = *e;
      else ok = false;
    }
    if (ok) claims.push_back(std::move(claim));
  }
  return claims;
}

}  // namespace ablate::config
