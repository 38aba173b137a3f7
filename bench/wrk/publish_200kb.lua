-- A valid publish of about 200 KB: a large compiled prompt, the biggest field real clients send.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
use_publish_body(valid_body(string.rep("Hello {{name}}. ", 200 * 1024 / 16)))
