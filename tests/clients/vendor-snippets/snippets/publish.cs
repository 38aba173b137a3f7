using RestSharp;

var client = new RestClient("https://api/registries/artifacts");
var request = new RestRequest(Method.POST);
request.AddHeader("X-API-Key", "<apiKey>");
request.AddHeader("Content-Type", "application/json");
request.AddParameter("application/json", "{\n  \"registryRef\": \"string\",\n  \"artifact\": {\n    \"prompt\": \"string\",\n    \"version\": \"string\",\n    \"model\": \"string\",\n    \"compiled\": \"string\",\n    \"hash\": \"string\",\n    \"schema\": {},\n    \"components\": {},\n    \"metadata\": {}\n  }\n}", ParameterType.RequestBody);
IRestResponse response = client.Execute(request);
