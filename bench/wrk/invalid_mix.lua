-- Half valid publishes, half contract violations (hash missing, version a number: two violations,
-- so the 400 lists both), alternating per connection thread. prm-mock answers 200 and 400; the
-- ceiling servers answer every request alike.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")

local path = "/api/registries/artifacts"
local valid = nil
local invalid = nil
local sent = 0

function init(args)
  valid = wrk.format("POST", path, publish_headers, valid_body("Hello {{name}}"))
  invalid = wrk.format("POST", path, publish_headers,
    '{"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":120,' ..
    '"model":"gpt-4o","compiled":"Hello {{name}}","schema":{},"components":{},"metadata":{}}}')
end

function request()
  sent = sent + 1
  if sent % 2 == 0 then return invalid end
  return valid
end
