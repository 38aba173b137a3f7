-- The valid publish body, as the vendor snippets send it (about 270 bytes).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
use_publish_body(valid_body("Hello {{name}}"))
