#pragma once
// A recorded fixture's name (and file name) from the identity of the publish it answers.
#include <rapidjson/document.h>

#include <string>

namespace prm_mock {

// registryRef, prompt, model and version joined by '-', lower-cased, every run of characters
// outside [a-z0-9._] turned into one '-', at most 80 characters, never starting with '.' (hidden
// files are not loaded) and never empty ("recording"). So no path separator or ".." can appear.
std::string fixture_name_for(const rapidjson::Value& body);

}  // namespace prm_mock
