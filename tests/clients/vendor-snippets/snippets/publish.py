import requests

url = "https://api/registries/artifacts"

payload = {
    "registryRef": "string",
    "artifact": {
        "prompt": "string",
        "version": "string",
        "model": "string",
        "compiled": "string",
        "hash": "string",
        "schema": {},
        "components": {},
        "metadata": {}
    }
}
headers = {
    "X-API-Key": "<apiKey>",
    "Content-Type": "application/json"
}

response = requests.post(url, json=payload, headers=headers)

print(response.json())
