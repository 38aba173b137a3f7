<?php
require_once('vendor/autoload.php');

$client = new \GuzzleHttp\Client();

$response = $client->request('POST', 'https://api/registries/artifacts', [
  'body' => '{
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
}',
  'headers' => [
    'Content-Type' => 'application/json',
    'X-API-Key' => '<apiKey>',
  ],
]);

echo $response->getBody();
