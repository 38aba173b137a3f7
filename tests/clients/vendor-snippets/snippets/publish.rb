require 'uri'
require 'net/http'

url = URI("https://api/registries/artifacts")

http = Net::HTTP.new(url.host, url.port)
http.use_ssl = true

request = Net::HTTP::Post.new(url)
request["X-API-Key"] = '<apiKey>'
request["Content-Type"] = 'application/json'
request.body = "{\n  \"registryRef\": \"string\",\n  \"artifact\": {\n    \"prompt\": \"string\",\n    \"version\": \"string\",\n    \"model\": \"string\",\n    \"compiled\": \"string\",\n    \"hash\": \"string\",\n    \"schema\": {},\n    \"components\": {},\n    \"metadata\": {}\n  }\n}"

response = http.request(request)
puts response.read_body
