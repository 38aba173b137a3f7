import com.mashape.unirest.http.HttpResponse;
import com.mashape.unirest.http.Unirest;

HttpResponse<String> response = Unirest.post("https://api/registries/artifacts")
  .header("X-API-Key", "<apiKey>")
  .header("Content-Type", "application/json")
  .body("{\n  \"registryRef\": \"string\",\n  \"artifact\": {\n    \"prompt\": \"string\",\n    \"version\": \"string\",\n    \"model\": \"string\",\n    \"compiled\": \"string\",\n    \"hash\": \"string\",\n    \"schema\": {},\n    \"components\": {},\n    \"metadata\": {}\n  }\n}")
  .asString();
