#include "contract/ref_inliner.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "diagnostics/contract_error.hpp"
#include "text/ascii_text.hpp"
#include "text/json_depth.hpp"
#include "text/json_pointer_token.hpp"

namespace prm_mock {
namespace {

// A document whose refs fan out can expand exponentially when inlined; stop long before memory
// does.
constexpr std::size_t kMaxInlinedValues = 2'000'000;
// A chain of refs without a cycle (A's items are B, B's items are C, ...) nests the result one
// level further per link, and the schema compiler and validator recurse once per level: a few
// hundred levels overflowed a recursive schema parser under ASan (fuzz/contract_loader_fuzzer;
// tests/unit/test_contract_limits.cpp). Real request schemas nest a few dozen levels at most.
constexpr std::size_t kMaxSchemaDepth = 128;
// The inliner's own recursion is bounded too, well above kMaxSchemaDepth (a $ref and what it
// replaces are two calls for one level), so that the exact check on the result gets to run.
constexpr std::size_t kMaxInliningDepth = 4 * kMaxSchemaDepth;

// Keywords whose value is data (examples, enum members...), where {"$ref": ...} is not a reference.
bool holds_data_keyword(std::string_view keyword) {
  return keyword == "enum" || keyword == "const" || keyword == "default" || keyword == "example" ||
         keyword == "examples";
}

// Keywords whose value maps names to schemas: the map itself is not a schema, so a property that
// happens to be called "$ref" is a name, not a reference.
bool holds_named_schemas_keyword(std::string_view keyword) {
  return keyword == "properties" || keyword == "patternProperties" || keyword == "$defs" ||
         keyword == "definitions" || keyword == "dependentSchemas";
}

// Members that only annotate a schema; beside a $ref they override the target's (OpenAPI 3.1 lets a
// Reference Object carry description and summary).
bool is_annotation(std::string_view keyword) {
  return keyword == "description" || keyword == "title" || keyword == "summary" ||
         keyword == "$comment" || keyword == "deprecated" || keyword == "readOnly" ||
         keyword == "writeOnly" || holds_data_keyword(keyword);
}

std::string percent_decode(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit_value(text[i + 1]) >= 0 &&
        hex_digit_value(text[i + 2]) >= 0) {
      decoded +=
          static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

std::string unescape_pointer_token(std::string_view token) {
  std::string name;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      name += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      name += token[i];
    }
  }
  return name;
}

const rapidjson::Value* step(const rapidjson::Value& value, const std::string& name) {
  if (value.IsObject()) {
    const auto member =
        value.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    return member == value.MemberEnd() ? nullptr : &member->value;
  }
  if (value.IsArray()) {
    if (name.empty() || name.size() > 9 ||
        !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        (name.size() > 1 && name[0] == '0')) {
      return nullptr;
    }
    const std::size_t index = std::stoul(name);
    return index < value.Size() ? &value[static_cast<rapidjson::SizeType>(index)] : nullptr;
  }
  return nullptr;
}

class Inliner {
 public:
  Inliner(const rapidjson::Value& root, rapidjson::Document::AllocatorType& allocator,
          std::string_view origin, RefSiblings siblings)
      : root_(root), allocator_(allocator), origin_(origin), siblings_(siblings) {}

  rapidjson::Value schema(const rapidjson::Value& value, const std::string& at) {
    count();
    const DepthGuard guard(depth_);
    if (depth_ > kMaxInliningDepth) too_deep();
    if (value.IsArray()) {
      rapidjson::Value array(rapidjson::kArrayType);
      for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
        array.PushBack(schema(value[i], at + "/" + std::to_string(i)), allocator_);
      }
      return array;
    }
    if (!value.IsObject()) return rapidjson::Value(value, allocator_);
    const auto ref = value.FindMember("$ref");
    if (ref != value.MemberEnd() && ref->value.IsString()) return referenced(value, ref->value, at);
    return members(value, at, /*names=*/false);
  }

  [[noreturn]] void too_deep() const {
    fail("the request schema is nested deeper than " + std::to_string(kMaxSchemaDepth) +
         " levels once its $refs are inlined");
  }

 private:
  rapidjson::Value members(const rapidjson::Value& object, const std::string& at, bool names) {
    rapidjson::Value copy(rapidjson::kObjectType);
    for (const auto& member : object.GetObject()) {
      const std::string_view key(member.name.GetString(), member.name.GetStringLength());
      const std::string child_at = at + "/" + escape_pointer_token(key);
      rapidjson::Value child;
      if (!names && holds_data_keyword(key)) {
        child.CopyFrom(member.value, allocator_);
      } else if (!names && holds_named_schemas_keyword(key) && member.value.IsObject()) {
        count();
        child = members(member.value, child_at, /*names=*/true);
      } else {
        child = schema(member.value, child_at);
      }
      copy.AddMember(rapidjson::Value(member.name, allocator_), child, allocator_);
    }
    return copy;
  }

  rapidjson::Value referenced(const rapidjson::Value& object, const rapidjson::Value& ref_value,
                              const std::string& at) {
    const std::string ref(ref_value.GetString(), ref_value.GetStringLength());
    const std::string where = " (at '" + at + "')";
    if (ref.empty() || ref[0] != '#') {
      fail("$ref '" + ref + "'" + where +
           " is not a local reference ('#/...'); only those are supported");
    }
    const rapidjson::Value* target = find_local_ref(root_, ref);
    if (target == nullptr) fail("$ref '" + ref + "'" + where + " does not resolve");
    if (std::find(in_progress_.begin(), in_progress_.end(), ref) != in_progress_.end()) {
      std::string chain;
      for (const std::string& step_ref : in_progress_) chain += step_ref + " -> ";
      fail("$ref '" + ref + "'" + where + " is cyclic: " + chain + ref);
    }
    in_progress_.push_back(ref);
    rapidjson::Value resolved = schema(*target, percent_decode(ref.substr(1)));
    in_progress_.pop_back();
    if (siblings_ == RefSiblings::kIgnored) return resolved;

    // Members beside the $ref.
    rapidjson::Value constraints(rapidjson::kObjectType);
    for (const auto& member : object.GetObject()) {
      const std::string_view key(member.name.GetString(), member.name.GetStringLength());
      if (key == "$ref") continue;
      if (is_annotation(key) && resolved.IsObject()) {
        rapidjson::Value copy(member.value, allocator_);
        // HasMember, not FindMember() != MemberEnd(): C++20 finds rapidjson 1.1's comparison of
        // mutable member iterators ambiguous (clang's -Wambiguous-reversed-operator).
        if (resolved.HasMember(member.name)) {
          resolved[member.name] = copy;
        } else {
          resolved.AddMember(rapidjson::Value(member.name, allocator_), copy, allocator_);
        }
      } else {
        constraints.AddMember(rapidjson::Value(member.name, allocator_),
                              schema(member.value, at + "/" + escape_pointer_token(key)),
                              allocator_);
      }
    }
    if (constraints.MemberCount() == 0) return resolved;
    rapidjson::Value all_of(rapidjson::kArrayType);
    all_of.PushBack(resolved, allocator_).PushBack(constraints, allocator_);
    rapidjson::Value combined(rapidjson::kObjectType);
    combined.AddMember("allOf", all_of, allocator_);
    return combined;
  }

  void count() {
    if (++values_ > kMaxInlinedValues) {
      fail("inlining $refs produces more than " + std::to_string(kMaxInlinedValues) + " values");
    }
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw ContractError(std::string(origin_) + ": " + problem);
  }

  // Counts one level of schema() for as long as that call runs.
  class DepthGuard {
   public:
    explicit DepthGuard(std::size_t& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    std::size_t& depth_;
  };

  const rapidjson::Value& root_;
  rapidjson::Document::AllocatorType& allocator_;
  std::string_view origin_;
  RefSiblings siblings_;
  std::vector<std::string> in_progress_;
  std::size_t values_ = 0;
  std::size_t depth_ = 0;
};

}  // namespace

const rapidjson::Value* find_json_pointer(const rapidjson::Value& root, std::string_view pointer) {
  if (pointer.empty()) return &root;
  if (pointer[0] != '/') return nullptr;
  const rapidjson::Value* current = &root;
  std::size_t start = 1;
  while (current != nullptr) {
    const std::size_t slash = pointer.find('/', start);
    const std::string_view token =
        pointer.substr(start, slash == std::string_view::npos ? slash : slash - start);
    current = step(*current, unescape_pointer_token(token));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return current;
}

const rapidjson::Value* find_local_ref(const rapidjson::Value& root, std::string_view ref) {
  if (ref.empty() || ref[0] != '#') return nullptr;
  return find_json_pointer(root, percent_decode(ref.substr(1)));
}

rapidjson::Value inline_refs(const rapidjson::Value& value, const rapidjson::Value& root,
                             rapidjson::Document::AllocatorType& allocator, std::string_view origin,
                             const std::string& at, RefSiblings siblings) {
  Inliner inliner(root, allocator, origin, siblings);
  rapidjson::Value inlined = inliner.schema(value, at);
  if (nested_deeper_than(inlined, kMaxSchemaDepth)) inliner.too_deep();
  return inlined;
}

}  // namespace prm_mock
