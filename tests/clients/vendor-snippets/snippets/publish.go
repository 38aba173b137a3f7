package main

import (
	"fmt"
	"strings"
	"net/http"
	"io"
)

func main() {

	url := "https://api/registries/artifacts"

	payload := strings.NewReader("{\n  \"registryRef\": \"string\",\n  \"artifact\": {\n    \"prompt\": \"string\",\n    \"version\": \"string\",\n    \"model\": \"string\",\n    \"compiled\": \"string\",\n    \"hash\": \"string\",\n    \"schema\": {},\n    \"components\": {},\n    \"metadata\": {}\n  }\n}")

	req, _ := http.NewRequest("POST", url, payload)

	req.Header.Add("X-API-Key", "<apiKey>")
	req.Header.Add("Content-Type", "application/json")

	res, _ := http.DefaultClient.Do(req)

	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)

	fmt.Println(res)
	fmt.Println(string(body))

}
