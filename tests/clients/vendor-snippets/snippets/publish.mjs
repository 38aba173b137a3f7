const url = 'https://api/registries/artifacts';
const options = {
  method: 'POST',
  headers: {'X-API-Key': '<apiKey>', 'Content-Type': 'application/json'},
  body: '{"registryRef":"string","artifact":{"prompt":"string","version":"string","model":"string","compiled":"string","hash":"string","schema":{},"components":{},"metadata":{}}}'
};

try {
  const response = await fetch(url, options);
  const data = await response.json();
  console.log(data);
} catch (error) {
  console.error(error);
}
