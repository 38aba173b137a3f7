-- Loaded by each scenario script: the publish headers and body pieces they share, and report.lua.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

publish_headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = "k-bench" }

-- A valid publish (contract and advisory rules); `compiled` is the one field scenarios vary.
function valid_body(compiled)
  return '{"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":"1.2.0",' ..
         '"model":"gpt-4o","compiled":"' .. compiled .. '",' ..
         '"hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",' ..
         '"schema":{},"components":{},"metadata":{}}}'
end

function use_publish_body(body)
  wrk.method = "POST"
  for name, value in pairs(publish_headers) do wrk.headers[name] = value end
  wrk.body = body
end
