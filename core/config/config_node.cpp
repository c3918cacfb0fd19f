#include "core/config/config_node.h"

#include <fmt/format.h>
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <utility>

namespace ablate::config {

const ConfigNode* ConfigNode::find(const std::string& key) const {
  const Entry* e = find_entry(key);
  return e ? &e->value : nullptr;
}

ConfigNode* ConfigNode::find(const std::string& key) {
  for (auto& e : entries.mutable_vector()) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

const ConfigNode::Entry* ConfigNode::find_entry(const std::string& key) const {
  for (const auto& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

void ConfigNode::erase(const std::string& key) {
  if (find_entry(key) == nullptr) return;
  auto& all = entries.mutable_vector();
  all.erase(std::remove_if(all.begin(), all.end(), [&](const Entry& e) { return e.key == key; }), all.end());
}

void ConfigNode::set(const std::string& key, const SourceLocation& key_location, ConfigNode value) {
  for (auto& e : entries.mutable_vector()) {
    if (e.key == key) {
      e.key_location = key_location;
      e.value = std::move(value);
      return;
    }
  }
  entries.push_back(Entry{key, key_location, std::move(value)});
}

std::string ConfigNode::describe() const {
  switch (kind) {
    case Kind::null:
      return "null";
    case Kind::scalar: {
      // Plain numbers read better bare ("got -3"); anything else is quoted so spaces and "" show.
      static const std::regex number(R"([-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?)");
      if (!quoted && std::regex_match(scalar, number)) return scalar;
      return fmt::format("\"{}\"", scalar);
    }
    case Kind::sequence:
      return "a list";
    case Kind::map:
      return "a map";
  }
  return "?";
}

ConfigNode make_map(const SourceLocation& where) {
  ConfigNode n;
  n.kind = ConfigNode::Kind::map;
  n.location = where;
  return n;
}

namespace {

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

SourceLocation mark_location(const YAML::Mark& mark, const std::string& file, const std::string& path,
                             bool has_lines) {
  SourceLocation where{file, 0, 0, path};
  if (has_lines && mark.line >= 0) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
  }
  return where;
}

// `value_location` replaces the node's own mark where yaml-cpp has none worth reporting (null values).
ConfigNode convert(const YAML::Node& node, const std::string& file, const std::string& path, bool has_lines,
                   const SourceLocation* fallback, ErrorList& errors) {
  ConfigNode out;
  out.location = mark_location(node.Mark(), file, path, has_lines);
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out.kind = ConfigNode::Kind::null;
      if (fallback) out.location = *fallback;
      out.location.path = path;
      break;
    case YAML::NodeType::Scalar:
      out.kind = ConfigNode::Kind::scalar;
      out.scalar = node.Scalar();
      out.quoted = node.Tag() == "!";
      break;
    case YAML::NodeType::Sequence: {
      out.kind = ConfigNode::Kind::sequence;
      size_t i = 0;
      for (const auto& item : node) {
        out.items.push_back(convert(item, file, fmt::format("{}[{}]", path, i), has_lines, &out.location, errors));
        ++i;
      }
      break;
    }
    case YAML::NodeType::Map:
      out.kind = ConfigNode::Kind::map;
      for (auto it = node.begin(); it != node.end(); ++it) {
        SourceLocation key_location = mark_location(it->first.Mark(), file, path, has_lines);
        if (!it->first.IsScalar()) {
          errors.add(key_location, "map keys must be plain names, got a " +
                                       std::string(it->first.IsMap() ? "map" : "list"));
          continue;
        }
        const std::string key = it->first.Scalar();
        key_location.path = child_path(path, key);
        if (const auto* first = out.find_entry(key)) {
          errors.add(key_location, first->key_location.line > 0
                                       ? fmt::format("duplicate key \"{}\" (first given at line {})", key,
                                                     first->key_location.line)
                                       : fmt::format("duplicate key \"{}\"", key));
          continue;
        }
        ConfigNode value = convert(it->second, file, key_location.path, has_lines, &key_location, errors);
        out.entries.push_back(ConfigNode::Entry{key, key_location, std::move(value)});
      }
      break;
  }
  return out;
}

// Counts the nodes of a YAML text with every alias expanded, from the parser's events: no node is built,
// an anchored node's expanded size is remembered by anchor, and an alias adds that size. Throws
// ConfigError at the first node past kMaxYamlNodes.
class NodeBudget : public YAML::EventHandler {
 public:
  NodeBudget(std::string file, bool has_lines) : file_(std::move(file)), has_lines_(has_lines) {}

  void OnDocumentStart(const YAML::Mark&) override { anchored_.clear(); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchored_.find(anchor);
    add(found == anchored_.end() ? 1 : found->second, mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  void add(std::size_t nodes, const YAML::Mark& mark) {
    // Saturating: nested aliases can stand for more nodes than a size_t holds.
    total_ = nodes > kMaxYamlNodes ? kMaxYamlNodes + 1 : total_ + nodes;
    if (total_ <= kMaxYamlNodes) return;
    throw ConfigError({format_error(
        mark_location(mark, file_, "", has_lines_),
        fmt::format("more than {} YAML nodes once aliases are expanded; a file may hold at most {} nodes and {} MB",
                    kMaxYamlNodes, kMaxYamlNodes, kMaxYamlBytes >> 20))});
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(1, mark);
    if (anchor != YAML::NullAnchor) anchored_[anchor] = 1;
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(1, mark);
    open_.push_back({anchor, total_ - 1});
  }
  void close() {
    const auto [anchor, start] = open_.back();
    open_.pop_back();
    if (anchor != YAML::NullAnchor) anchored_[anchor] = total_ - start;
  }

  std::string file_;
  bool has_lines_;
  std::size_t total_ = 0;
  std::vector<std::pair<YAML::anchor_t, std::size_t>> open_;  // collections being read: anchor, total at start
  std::map<YAML::anchor_t, std::size_t> anchored_;           // expanded size of each anchored node
};

// YAML::LoadAll within the limits: the size first, then the expanded node count from the events, and
// only then the nodes themselves.
std::vector<YAML::Node> load_bounded(const std::string& text, const std::string& file, bool has_lines) {
  if (text.size() > kMaxYamlBytes) {
    throw ConfigError({format_error(SourceLocation{file, 0, 0, ""},
                                    fmt::format("larger than {} MB; a file may hold at most {} MB and {} nodes",
                                                kMaxYamlBytes >> 20, kMaxYamlBytes >> 20, kMaxYamlNodes))});
  }
  {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    NodeBudget budget(file, has_lines);
    while (parser.HandleNextDocument(budget)) {
    }
  }
  return YAML::LoadAll(text);
}

// YAML forbids tabs in indentation; yaml-cpp's message for them ("illegal map value") hides the cause.
void check_tabs(const std::string& text, const std::string& file, ErrorList& errors) {
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    for (size_t i = start; i < end; ++i) {
      const char c = text[i];
      if (c == '\t') {
        errors.add(SourceLocation{file, line, static_cast<int>(i - start) + 1, ""},
                   "tab character in indentation: YAML indents with spaces only");
        break;
      }
      // Indentation is spaces and the "- " of block sequences; stop at the first real character.
      const bool sequence_dash = c == '-' && i + 1 < end && (text[i + 1] == ' ' || text[i + 1] == '\t');
      if (c != ' ' && !sequence_dash) break;
    }
    start = end + 1;
    ++line;
  }
}

}  // namespace

ConfigNode parse_yaml(const std::string& text, const std::string& file) {
  ErrorList errors;
  check_tabs(text, file, errors);
  errors.throw_if_any();
  std::vector<YAML::Node> documents;
  try {
    documents = load_bounded(text, file, true);
  } catch (const YAML::Exception& e) {
    errors.add(SourceLocation{file, e.mark.line + 1, e.mark.column + 1, ""}, "malformed YAML: " + e.msg);
    errors.throw_if_any();
  }
  if (documents.size() > 1) {
    errors.add(mark_location(documents[1].Mark(), file, "", true),
               "a second YAML document ('---'): an experiment file holds exactly one");
  }
  ConfigNode root;
  root.location = SourceLocation{file, 1, 1, ""};
  if (!documents.empty()) root = convert(documents[0], file, "", true, &root.location, errors);
  errors.throw_if_any();
  return root;
}

ConfigNode parse_yaml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({fmt::format("{}: cannot read the file (missing or unreadable)", path)});
  // One byte past the limit is enough to refuse the file; the rest is never read.
  std::string text;
  char chunk[1 << 16];
  while (text.size() <= kMaxYamlBytes && (in.read(chunk, sizeof chunk) || in.gcount() > 0)) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
  }
  return parse_yaml(text, path);
}

namespace {

ConfigNode merge_named(const ConfigNode& base, const ConfigNode& overlay, const std::string& key,
                       const ExclusiveKeys& exclusive, const std::vector<std::string>& exclusive_maps) {
  // An empty section (`model:` with nothing under it) adds nothing; it must not wipe the base's map.
  if (base.is_map() && overlay.is_null()) return base;
  if (!base.is_map() || !overlay.is_map()) return overlay;
  ConfigNode out = base;
  const bool has_rules = std::find(exclusive_maps.begin(), exclusive_maps.end(), key) != exclusive_maps.end();
  if (has_rules) {
    for (const auto& rule : exclusive) {
      if (rule.empty() || !overlay.contains(rule.front())) continue;
      for (size_t i = 1; i < rule.size(); ++i) {
        if (!overlay.contains(rule[i])) out.erase(rule[i]);
      }
    }
  }
  for (const auto& e : overlay.entries) {
    if (const ConfigNode* existing = std::as_const(out).find(e.key)) {
      ConfigNode merged = merge_named(*existing, e.value, e.key, exclusive, exclusive_maps);
      out.set(e.key, e.key_location, std::move(merged));
    } else {
      out.entries.push_back(e);
    }
  }
  return out;
}

}  // namespace

ConfigNode merge(const ConfigNode& base, const ConfigNode& overlay, const ExclusiveKeys& exclusive,
                 const std::vector<std::string>& exclusive_maps) {
  return merge_named(base, overlay, "", exclusive, exclusive_maps);
}

ConfigNode parse_set_override(const std::string& assignment) {
  const std::string file = "--set " + assignment;
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos) {
    throw ConfigError({format_error(SourceLocation{file, 0, 0, ""}, "expected PATH=VALUE, e.g. train.epochs=2")});
  }
  const std::string path = assignment.substr(0, eq);
  static const std::regex path_re(R"([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)");
  if (!std::regex_match(path, path_re)) {
    throw ConfigError({format_error(SourceLocation{file, 0, 0, ""},
                                    fmt::format("malformed key path \"{}\": expected dotted names such as "
                                                "train.schedule.milestones",
                                                path))});
  }
  ErrorList errors;
  ConfigNode value;
  try {
    const std::vector<YAML::Node> documents = load_bounded(assignment.substr(eq + 1), file, false);
    value = convert(documents.empty() ? YAML::Node() : documents[0], file, path, false, nullptr, errors);
  } catch (const YAML::Exception& e) {
    errors.add(SourceLocation{file, 0, 0, path}, "malformed value: " + e.msg);
  }
  errors.throw_if_any();
  value.location = SourceLocation{file, 0, 0, path};

  // Wrap the value in one map per path component, innermost first.
  std::vector<std::string> parts;
  std::stringstream ss(path);
  for (std::string part; std::getline(ss, part, '.');) parts.push_back(part);
  ConfigNode node = std::move(value);
  for (size_t i = parts.size(); i-- > 0;) {
    std::string prefix;
    for (size_t j = 0; j < i; ++j) prefix = child_path(prefix, parts[j]);
    ConfigNode parent = make_map(SourceLocation{file, 0, 0, prefix});
    parent.entries.push_back(ConfigNode::Entry{parts[i], SourceLocation{file, 0, 0, child_path(prefix, parts[i])},
                                               std::move(node)});
    node = std::move(parent);
  }
  return node;
}

}  // namespace ablate::config
