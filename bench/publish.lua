-- wrk script: the valid publish body, as the vendor snippets send it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "k-bench"
wrk.body = '{"registryRef":"acme/prompts","artifact":{"prompt":"greeting","version":"1.2.0",' ..
           '"model":"gpt-4o","compiled":"Hello {{name}}",' ..
           '"hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",' ..
           '"schema":{},"components":{},"metadata":{}}}'
